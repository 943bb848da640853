import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { lowerBackendPriority } from './background-priority';

const linux = process.platform === 'linux';
const niceOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};

(linux ? describe : describe.skip)('background priority (WORKER_NICE)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nice-'));
    // The module as plain JS, so a child process can lower ITS priority (not the test runner's).
    const source = readFileSync(path.join(__dirname, 'background-priority.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(path.join(dir, 'bp.js'), js.outputText);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lowers every thread of the process, and threads started later inherit it', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const said = require(${JSON.stringify(path.join(dir, 'bp.js'))}).lowerOwnPriority(7);
         new (require('node:worker_threads').Worker)('setTimeout(() => {}, 300)', { eval: true }).on('online', () => {
           const fs = require('node:fs');
           const nices = fs.readdirSync('/proc/self/task').map((t) => { const s = fs.readFileSync('/proc/self/task/' + t + '/stat', 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[16]); });
           console.log(JSON.stringify({ said, nices }));
           process.exit(0);
         });`,
      ],
      { encoding: 'utf8' },
    );
    const { said, nices } = JSON.parse(out) as { said: string; nices: number[] };
    expect(said).toMatch(/^nice 7 \(\d+ threads\)$/);
    expect(nices.length).toBeGreaterThan(3);
    expect(new Set(nices)).toEqual(new Set([7]));
  });

  it('leaves the priority alone at 0', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', `console.log(require(${JSON.stringify(path.join(dir, 'bp.js'))}).lowerOwnPriority(0))`],
      {
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('normal priority');
  });

  it('lowers a database backend only when it is a postgres process, never raises one', async () => {
    const sleep = execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim();
    const postgresLike = path.join(dir, 'postgres');
    copyFileSync(sleep, postgresLike);
    const other = spawn(sleep, ['30']);
    const backend = spawn(postgresLike, ['30']);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const base = niceOf(process.pid); // the children start at the runner's own value
      const asked = Math.min(19, base + 5);
      expect(lowerBackendPriority(other.pid!, asked)).toBe(false);
      expect(niceOf(other.pid!)).toBe(base);
      expect(lowerBackendPriority(backend.pid!, asked)).toBe(asked > base);
      expect(niceOf(backend.pid!)).toBe(asked);
      // Already lower than asked: left as it is.
      expect(lowerBackendPriority(backend.pid!, base)).toBe(false);
      expect(niceOf(backend.pid!)).toBe(asked);
      expect(lowerBackendPriority(999_999_999, asked)).toBe(false);
    } finally {
      other.kill();
      backend.kill();
    }
  });
});
