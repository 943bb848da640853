import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseJUnitXml, TestCaseResult } from './domain/junit';
import { planWorkFiles, WorkFile } from './domain/work-files';
import { ensureRunnerModules } from './image-builder';
import { sandboxesDir } from './paths';
import { getRuntime } from './runtimes';

/**
 * Runs a runtime's test runner, with the image's own configuration, directly on this host
 * (files laid out as the sandbox lays them out). NOT a sandbox: for comparing results and
 * measuring the sandbox's overhead only (tests and bench/sandbox), never for candidate code.
 * Needs node (node runtime) or python3 with pytest (python runtime) on the host.
 */

function run(
  cmd: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number; out: string }> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8', CI: 'true', ...extraEnv };
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env }, (err, stdout, stderr) =>
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
      r = await run(
        'python3',
        [
          '-I',
          '-B',
          '-m',
          'pytest',
          '-c',
          path.join(root, 'pytest.ini'),
          `--rootdir=${code}`,
          '-p',
          'no:cacheprovider',
          `--junitxml=${out}/junit.xml`,
          code,
        ],
        code,
        def.env,
      );
    } else if (runtime === 'node') {
      const modules = await nodeRunnerModules();
      const config = path.join(root, 'jest.config.js');
      writeFileSync(
        config,
        `const base = require(${JSON.stringify(path.join(path.dirname(modules), 'jest.config.js'))});
module.exports = { ...base, rootDir: ${JSON.stringify(code)}, cacheDirectory: ${JSON.stringify(path.join(root, 'cache'))},
  reporters: base.reporters.map((r) => Array.isArray(r) ? [r[0], { ...r[1], outputDirectory: ${JSON.stringify(out)} }] : r) };\n`,
      );
      r = await run(
        'node',
        [path.join(modules, 'jest/bin/jest.js'), `--config=${config}`, '--ci', '--runInBand', '--no-watchman'],
        code,
        def.env,
      );
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
    writeFileSync(
      path.join(path.dirname(modules), 'jest.config.js'),
      readFileSync(path.join(sandboxesDir(), 'node/runner/jest.config.js')),
    );
    return modules;
  });
  return modulesPromise;
}
