import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { readDirectory } from '../../../src/sandbox/archive';
import { parseJUnitXml, TestCaseResult } from '../../../src/sandbox/domain/junit';
import { planWorkFiles, WorkFile } from '../../../src/sandbox/domain/work-files';
import { ensureRunnerModules } from '../../../src/sandbox/image-builder';
import { sandboxesDir } from '../../../src/sandbox/paths';
import { getRuntime } from '../../../src/sandbox/runtimes';
import { RUN_ID_LABEL, SANDBOX_LABEL } from '../../../src/sandbox/sandbox-runner';

export const docker = new Docker({ socketPath: '/var/run/docker.sock' });

export async function filesOf(dir: string): Promise<WorkFile[]> {
  if (!existsSync(dir)) return [];
  return (await readDirectory(dir)).files;
}

/** Containers carrying our label for one run (must be none once the run returned). */
export async function containersOfRun(runId: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`, `${RUN_ID_LABEL}=${runId}`] } });
  return list.map((c) => c.Id);
}

export async function sandboxContainers(owner?: string): Promise<string[]> {
  const labels = [`${SANDBOX_LABEL}=1`];
  if (owner) labels.push(`hiring.owner=${owner}`);
  const list = await docker.listContainers({ all: true, filters: { label: labels } });
  return list.map((c) => c.Id);
}

/** Runs async jobs with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

export const listDirs = (dir: string) =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

function run(cmd: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8', CI: 'true', NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

export interface HostRun {
  tests: TestCaseResult[] | null;
  exitCode: number;
  durationMs: number;
  log: string;
}

/**
 * Runs the same test runner with the same configuration directly on the host (the files laid
 * out as the sandbox would lay them out), for comparisons and the benchmark.
 */
export async function runOnHost(runtime: string, submission: WorkFile[], tests: WorkFile[]): Promise<HostRun> {
  const def = getRuntime(runtime);
  const plan = planWorkFiles(submission, tests, def.protectedPaths);
  const root = mkdtempSync(path.join(os.tmpdir(), `host-${runtime}-`));
  const code = path.join(root, 'code');
  const out = path.join(root, 'out');
  mkdirSync(out, { recursive: true });
  for (const f of plan.files) {
    mkdirSync(path.dirname(path.join(code, f.path)), { recursive: true });
    writeFileSync(path.join(code, f.path), f.content);
  }
  try {
    const started = Date.now();
    let r: { code: number; out: string };
    if (runtime === 'python') {
      const ini = readFileSync(path.join(sandboxesDir(), 'python/runner/pytest.ini'), 'utf8').replace(/\/work\/code/g, code);
      writeFileSync(path.join(root, 'pytest.ini'), ini);
      r = await run('python3', ['-I', '-B', '-m', 'pytest', '-c', path.join(root, 'pytest.ini'), `--rootdir=${code}`, '-p', 'no:cacheprovider', `--junitxml=${out}/junit.xml`, code], code);
    } else if (runtime === 'node') {
      const modules = await nodeRunnerModules();
      const config = path.join(root, 'jest.config.js');
      writeFileSync(
        config,
        `const base = require(${JSON.stringify(path.join(path.dirname(modules), 'jest.config.js'))});
module.exports = { ...base, rootDir: ${JSON.stringify(code)}, cacheDirectory: ${JSON.stringify(path.join(root, 'cache'))},
  reporters: base.reporters.map((r) => Array.isArray(r) ? [r[0], { ...r[1], outputDirectory: ${JSON.stringify(out)} }] : r) };\n`,
      );
      r = await run('node', [path.join(modules, 'jest/bin/jest.js'), `--config=${config}`, '--ci', '--runInBand', '--no-watchman'], code);
    } else {
      throw new Error(`no host runner for ${runtime}`);
    }
    const durationMs = Date.now() - started;
    const report = path.join(out, 'junit.xml');
    const tests = existsSync(report) ? parseJUnitXml(readFileSync(report), { noiseLines: def.messageNoise }) : null;
    return { tests, exitCode: r.code, durationMs, log: r.out };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

let modulesPromise: Promise<string> | undefined;
/** The node runner's node_modules on the host, with the image's jest.config.js beside them. */
export function nodeRunnerModules(): Promise<string> {
  modulesPromise ??= ensureRunnerModules(getRuntime('node')).then((modules) => {
    writeFileSync(path.join(path.dirname(modules), 'jest.config.js'), readFileSync(path.join(sandboxesDir(), 'node/runner/jest.config.js')));
    return modules;
  });
  return modulesPromise;
}
