import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
 * Needs node (node runtime) or python3 with pytest (python runtime) on the host; for the other
 * runtimes, their toolchain (hostCanRun; `NEED_HOST_RUNNERS=1 bash scripts/setup.sh` installs
 * the small ones from Debian).
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
    } else if (SCRIPT_RUNTIMES[runtime]) {
      r = await runScriptOnHost(runtime, root, def.env);
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

/**
 * The runtimes whose fixed test command is a shell script in sandboxes/<runtime>/runner/test: on
 * the host the same script runs with the image's paths moved under a temp dir (/work/code, /work/out,
 * /work/.run, /opt/runner, /opt/sandbox), with the environment the image's Dockerfile sets.
 * `tool` is the command whose presence means the host can run it.
 */
const SCRIPT_RUNTIMES: Record<string, { tool: string; env: (root: string) => Record<string, string> }> = {
  java: { tool: 'javac', env: () => ({}) },
  go: {
    tool: 'go',
    env: () => ({ GOPROXY: 'off', GOSUMDB: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GO111MODULE: 'on', GOTELEMETRY: 'off' }),
  },
  ruby: { tool: 'ruby', env: (root) => ({ RUBYOPT: '', GEM_HOME: path.join(root, 'gems') }) },
  rust: {
    tool: 'cargo',
    env: (root) => ({
      // rustup's proxies find their toolchains through RUSTUP_HOME (HOME is a temp dir here)
      ...(process.env.RUSTUP_HOME || existsSync(path.join(os.homedir(), '.rustup'))
        ? { RUSTUP_HOME: process.env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup') }
        : {}),
      CARGO_HOME: path.join(root, 'cargo'),
      CARGO_TARGET_DIR: path.join(root, '.run/target'),
      CARGO_NET_OFFLINE: 'true',
      CARGO_TERM_COLOR: 'never',
      CARGO_INCREMENTAL: '0',
      CARGO_PROFILE_DEV_DEBUG: '0',
      CARGO_PROFILE_TEST_DEBUG: '0',
      CARGO_PROFILE_DEV_CODEGEN_UNITS: '16',
      CARGO_PROFILE_TEST_CODEGEN_UNITS: '16',
    }),
  },
  cpp: { tool: 'cmake', env: () => ({ CMAKE_GENERATOR: 'Ninja', CTEST_OUTPUT_ON_FAILURE: '1' }) },
  php: { tool: 'phpunit', env: () => ({}) },
};

const onPath = (cmd: string) => (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter).some((d) => d && existsSync(path.join(d, cmd)));

/** Whether this host can run the runtime's suites itself (its toolchain is installed). */
export function hostCanRun(runtime: string): boolean {
  if (runtime === 'node') return true;
  if (runtime === 'python') return onPath('python3');
  const s = SCRIPT_RUNTIMES[runtime];
  if (!s || !onPath(s.tool)) return false;
  if (runtime === 'java')
    return (
      existsSync('/usr/share/java/junit-platform-console.jar') ||
      readdirSync('/usr/share/java', { withFileTypes: true }).some((f) => f.name.startsWith('junit-platform-console'))
    );
  if (runtime === 'cpp') return existsSync('/usr/include/gtest/gtest.h');
  return true;
}

/**
 * Go's image carries a build cache of the standard library made at build time (/opt/go-cache),
 * read-only in each run. The host gets the same: one cache made once per host as the image makes
 * it (the warm-up module, `go list std`, `go build std`), hard-linked into each run's own GOCACHE by
 * runner/test (writable here), so a host run never reuses the previous run's compiled packages.
 */
let goStdCache: Promise<string> | undefined;
function hostGoStdCache(): Promise<string> {
  goStdCache ??= (async () => {
    // v2: with the standard library's index and its packages compiled without cgo, as the image's cache has them.
    const dir = path.join(os.tmpdir(), `hiring-host-go-std-cache-v2-${process.getuid?.() ?? 0}`);
    const ready = path.join(dir, 'hiring-ready');
    if (existsSync(ready)) return dir;
    const work = mkdtempSync(path.join(os.tmpdir(), 'go-warmup-'));
    const warmup = path.join(sandboxesDir(), 'go', 'runner', 'warmup');
    for (const f of readdirSync(warmup)) writeFileSync(path.join(work, f), readFileSync(path.join(warmup, f)));
    const env = { ...SCRIPT_RUNTIMES.go.env(work), GOCACHE: dir, GOPATH: path.join(work, 'gopath'), GOFLAGS: '-mod=mod' };
    const r = await run('go', ['test', '-json', '-count=1', './...'], work, env, 600_000);
    const std = r.code === 0 ? await run('go', ['list', '-e', 'std'], work, env, 600_000) : r;
    const built = std.code === 0 ? await run('go', ['build', 'std'], work, env, 600_000) : std;
    rmSync(work, { recursive: true, force: true });
    if (built.code !== 0) throw new Error(`go warm-up on the host failed: ${built.out.slice(-500)}`);
    writeFileSync(ready, '');
    return dir;
  })();
  return goStdCache;
}

async function runScriptOnHost(runtime: string, root: string, runtimeEnv: Record<string, string>): Promise<{ code: number; out: string }> {
  const spec = SCRIPT_RUNTIMES[runtime];
  const dirs = { runner: path.join(root, 'runner') };
  // go's per-run caches (/tmp in the image) move into the run's temp dir; its prebuilt cache is the host's
  const goDirs: [RegExp, string][] =
    runtime === 'go'
      ? [
          [/\/opt\/go-cache/g, await hostGoStdCache()],
          [/\/tmp\/go-cache/g, path.join(root, 'go-cache')],
          [/\/tmp\/gopath/g, path.join(root, 'gopath')],
        ]
      : [];
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isDirectory()) copy(src, dst);
      else {
        const buf = readFileSync(src);
        // text files get the image's paths moved into the temp dir; binaries are copied as they are
        const text = buf.includes(0) ? null : buf.toString('utf8');
        writeFileSync(
          dst,
          text === null
            ? buf
            : text
                .replace(/\/opt\/runner/g, dirs.runner)
                .replace(/\/work\/(code|out|\.run)/g, (_m, d: string) => path.join(root, d))
                .replace(/\/(?:opt\/go-cache|tmp\/go-cache|tmp\/gopath)/g, (m) => goDirs.find(([re]) => m.match(re))?.[1] ?? m),
        );
        chmodSync(dst, statSync(src).mode);
      }
    }
  };
  copy(path.join(sandboxesDir(), runtime, 'runner'), dirs.runner);
  mkdirSync(path.join(root, '.run'), { recursive: true });
  if (runtime === 'java') {
    const cp = await run('sh', [path.join(dirs.runner, 'classpath.sh')], root, {});
    if (cp.code !== 0) return cp;
    writeFileSync(path.join(dirs.runner, 'classpath.txt'), cp.out.trim());
  }
  return run('bash', [path.join(dirs.runner, 'test')], path.join(root, 'code'), { ...runtimeEnv, ...spec.env(root) }, 600_000);
}
