import type { CanaryTemplate } from './domain/integrity';
import { SandboxLimits } from './domain/limits';

/**
 * The registry of sandbox runtimes. Adding a runtime = a folder `sandboxes/<name>/` (a Dockerfile
 * with `ARG BASE_IMAGE` / `FROM ${BASE_IMAGE}`, user 10001, the entry `prestart/` copied to
 * /opt/sandbox with its non-dumpable copies of dash and timeout, and `/opt/runner/test` writing
 * /work/out/junit.xml) plus one entry here. Every container's entry is `/opt/sandbox/serve` (no
 * `docker exec`): it starts the test runner (and, split, the candidate's harness) before the
 * submission exists, does a warm-up run of the image's own fixed suite when the host asks (only
 * while it has a free slot; go, rust, java and cpp ignore it), and waits on its attached stdin
 * for the files. The image's `test` / `split-test` honour SANDBOX_PRESTART (see
 * sandboxes/README.md, "Prestarted runs"). A container serves exactly one run.
 */
export interface RuntimeDefinition {
  name: string;
  language: string;
  /** Source file extensions of this runtime (used to pick focus files, style checks, uploads). */
  extensions: string[];
  /** The test command, fixed by the image (informational: the image's entry /opt/sandbox/serve runs /opt/runner/test). */
  testCommand: string[];
  /** Submission files dropped before a run because they would configure the test runner. */
  protectedPaths: RegExp[];
  /** Extra environment of the run (the only variables besides the image's own). */
  env: Record<string, string>;
  /** Limits used when an assignment sets none. */
  defaultLimits: Partial<SandboxLimits>;
  /** Lines dropped from failure messages: stack frames inside the test runner itself. */
  messageNoise?: RegExp;
  /** Extra preparation of the build context on the host (node: `npm ci` of the runner). */
  prepare?: 'npm-ci-runner';
  /**
   * Submission files the test command would collect as tests (the candidate's own tests). They
   * are left out of the graded run (only hidden tests are counted) and run apart, in a run
   * without the hidden tests (`SandboxRunInput.ownTestsOnly`). Optional: without it, every
   * submission file goes into the graded run and only the hidden files' tests are counted.
   */
  testFilePattern?: RegExp;
  /**
   * A control test the host appends to every hidden test file (files matching testFilePattern)
   * of a run: it must fail, and the test command must then exit with `canary.exitCode` (the
   * framework's "some tests failed" code). A report where it passed or is missing, or an exit
   * 0, makes the run `error` with reason `tampered…` (see domain/integrity.ts). Optional.
   */
  canary?: CanaryTemplate & { exitCode: number };
  /**
   * The report does not name each test's file (JUnit classes, Go packages, CTest names): every
   * test of a graded run counts as hidden (the candidate's own test files are left out of it by
   * testFilePattern) and its ids are compared with the reference run's as one set.
   */
  reportOmitsFiles?: boolean;
  /**
   * The run builds and executes native binaries in the work dir (go test binaries, cargo's
   * target/, CMake's build/), so /work is mounted without `noexec`. Nothing else changes: the
   * code under test could already run anything its language can, as the same unprivileged user
   * with every capability dropped; /tmp stays noexec.
   */
  execWorkDir?: boolean;
  /** Reviewer language names (lower case) that match this runtime's code reviews. */
  reviewLanguages: string[];
  /**
   * A run with hidden tests is split in two users (sandboxes/README.md, "Threat model"): the
   * test framework, the hidden tests and the report belong to the grader (uid 10002), the
   * submission's code runs in a harness as the candidate (uid 10001) and is reached through a
   * bridge. The image provides `/opt/runner/split-test` and `/opt/runner/split-harness`; its
   * containers get CAP_SETUID/CAP_SETGID (for the root run script only) and a /work owned by the
   * grader. Runs without hidden tests (the candidate's own tests) run as before, as 10001.
   */
  split?: boolean;
}

const anyDepth = (name: string) => new RegExp(`(^|/)${name}$`);
const anyDir = (name: string) => new RegExp(`(^|/)${name}(/|$)`);
/** A class name from a canary's name (sandbox_canary_<hex> -> Sandbox_canary_<hex>). */
const className = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const RUNTIMES: Record<string, RuntimeDefinition> = {
  node: {
    name: 'node',
    language: 'JavaScript / TypeScript',
    extensions: ['.js', '.cjs', '.jsx', '.ts', '.tsx', '.json'],
    testCommand: [
      'node',
      '--snapshot-blob=/opt/runner/node.blob',
      '/opt/runner/jest.js',
      '--config=/opt/runner/jest.config.js',
      '--ci',
      '--runInBand',
      '--no-watchman',
      '--cacheDirectory=/tmp/jest-cache',
    ],
    protectedPaths: [
      anyDepth('package\\.json'),
      anyDepth('jest\\.config\\.[a-z]+'),
      anyDepth('\\.swcrc'),
      anyDepth('babel\\.config\\.[a-z]+'),
      anyDepth('\\.babelrc(\\.[a-z]+)?'),
      anyDepth('junit(TestCase)?Properties\\.js'),
      anyDir('node_modules'),
      /^\.hidden(\/|$)/,
    ],
    env: { NODE_ENV: 'test', NO_COLOR: '1', FORCE_COLOR: '0' },
    // Jest's start-up (V8 compile and GC threads, SWC) is ~25% faster with two CPUs of quota.
    defaultLimits: { memoryMb: 512, pids: 128, cpus: 2 },
    reviewLanguages: ['javascript', 'typescript'],
    split: true,
    messageNoise: /^\s+at (.*node_modules\/(jest-[a-z-]+|@jest\/[a-z-]+|@swc\/[a-z-]+)\/|new Promise \(<anonymous>\))/,
    prepare: 'npm-ci-runner',
    // Jest's testMatch in runner/jest.config.js.
    testFilePattern: /(^|\/)__tests__\/.*\.[jt]sx?$|(^|\/)[^/]*[.](spec|test)\.[jt]sx?$/,
    canary: {
      source: (name, a, b) => `\n;test(${JSON.stringify(name)}, () => { expect(${a}).toBe(${b}); });\n`,
      reportedName: (name) => name,
      exitCode: 1,
    },
  },
  python: {
    name: 'python',
    language: 'Python 3',
    extensions: ['.py'],
    testCommand: ['python3', '-I', '-B', '-m', 'pytest', '-c', '/opt/runner/pytest.ini', '--junitxml=/work/out/junit.xml'],
    protectedPaths: [
      anyDepth('conftest\\.py'),
      anyDepth('pytest\\.ini'),
      anyDepth('tox\\.ini'),
      anyDepth('setup\\.cfg'),
      anyDepth('pyproject\\.toml'),
      anyDepth('pytest\\.py'),
      anyDir('_pytest'),
      anyDepth('(site|user)customize\\.py'),
      anyDir('__pycache__'),
      /\.py[co]$/,
      /\.pth$/,
      /^\.hidden(\/|$)/,
    ],
    env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
    defaultLimits: { memoryMb: 256, pids: 64 },
    // python_files in runner/pytest.ini.
    testFilePattern: /(^|\/)(test_[^/]*|[^/]*_test)\.py$/,
    canary: {
      // pytest collects only test_* functions.
      source: (name, a, b) => `\n\ndef test_${name}():\n    assert ${a} == ${b}\n`,
      reportedName: (name) => `test_${name}`,
      exitCode: 1,
    },
    reviewLanguages: ['python'],
    split: true,
  },
  go: {
    name: 'go',
    language: 'Go',
    extensions: ['.go', '.mod'],
    testCommand: ['go', 'test', '-json', '-count=1', '-ldflags=-s -w', './...'],
    // go.work would pull in other modules; vendor/ would replace the module's own packages.
    protectedPaths: [anyDepth('go\\.work(\\.sum)?'), anyDir('vendor')],
    env: { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTELEMETRY: 'off' },
    // The compiler and linker: more memory and time than an interpreter; the build goes to /work.
    defaultLimits: { memoryMb: 1024, pids: 256, cpus: 2, timeoutMs: 120_000, workDirMb: 256, tmpMb: 256 },
    execWorkDir: true,
    // Go compiles test functions only from _test.go files: the graded run holds the hidden ones only.
    testFilePattern: /_test\.go$/,
    canary: {
      // Needs "testing" imported under its own name; a file without it gets no control test.
      source: (name, a, b, _path, text) =>
        /^\s*(import\s+)?"testing"\s*$/m.test(text)
          ? `\nfunc Test_${name}(t *testing.T) {\n\tif ${a} != ${b} {\n\t\tt.Fatal("control test")\n\t}\n}\n`
          : null,
      reportedName: (name) => `Test_${name}`,
      exitCode: 1,
    },
    reportOmitsFiles: true,
    // Compiled as the grader, the test binary run as the candidate (runner/split-test).
    split: true,
    // The entry is the run: folders, bridge and the report's converter ready before the files come.
    reviewLanguages: ['go', 'golang'],
  },
  java: {
    name: 'java',
    language: 'Java 17',
    extensions: ['.java'],
    testCommand: ['javac', '…', '&&', 'java', 'org.junit.platform.console.ConsoleLauncher', '--scan-class-path', '--reports-dir=…'],
    // Build files are not read (no Maven or Gradle in the image); listed so a dropped one is reported.
    protectedPaths: [
      anyDepth('pom\\.xml'),
      anyDepth('build\\.gradle(\\.kts)?'),
      anyDepth('settings\\.gradle(\\.kts)?'),
      anyDepth('junit-platform\\.properties'),
      /\.(jar|class)$/,
    ],
    env: {},
    // The JVM twice (javac, then the launcher): more memory, threads and time than an interpreter.
    defaultLimits: { memoryMb: 1024, pids: 256, cpus: 2, timeoutMs: 120_000, workDirMb: 128 },
    // The Maven test tree and the console launcher's class name pattern (Test*, *Test, *Tests).
    testFilePattern: /(^|\/)src\/test\/java\/.*\.java$|(^|\/)(Test[^/]*|[^/]*Tests?)\.java$/,
    canary: {
      // A second top-level class in the file (package-private, named so the launcher scans it).
      source: (name, a, b, path) =>
        path.endsWith('.java')
          ? `\nclass ${className(name)}Test {\n    @org.junit.jupiter.api.Test\n    void ${name}() {\n        org.junit.jupiter.api.Assertions.assertEquals(${a}L, ${b}L);\n    }\n}\n`
          : null,
      reportedName: (name) => name,
      exitCode: 1,
    },
    reportOmitsFiles: true,
    reviewLanguages: ['java'],
    messageNoise:
      /^\s+at (org\.junit\.|java\.base\/jdk\.internal\.reflect\.|java\.base\/java\.lang\.reflect\.|java\.base\/java\.util\.(ArrayList|stream)|org\.assertj\.core\.internal\.)/,
  },
  ruby: {
    name: 'ruby',
    language: 'Ruby',
    extensions: ['.rb'],
    testCommand: ['ruby', '/opt/runner/minitest_run.rb', '…', ';', 'ruby', '/opt/runner/rspec_run.rb', '…'],
    // Bundler, rake and RSpec configuration files are not read; a minitest plugin is never loaded.
    protectedPaths: [anyDepth('\\.rspec'), anyDepth('Gemfile(\\.lock)?'), anyDepth('Rakefile'), anyDir('\\.bundle'), anyDir('vendor')],
    env: {},
    defaultLimits: { memoryMb: 256, pids: 64 },
    // The runner's globs (test/**/*_test.rb, test_*.rb, spec/**/*_spec.rb).
    testFilePattern: /(^|\/)([^/]*_test|test_[^/]*|[^/]*_spec)\.rb$/,
    canary: {
      source: (name, a, b, path) =>
        path.endsWith('_spec.rb')
          ? `\nRSpec.describe(${JSON.stringify(name)}) do\n  it(${JSON.stringify(name)}) { expect(${a}).to eq(${b}) }\nend\n`
          : `\nclass ${className(name)}Test < Minitest::Test\n  def test_${name}\n    assert_equal ${a}, ${b}\n  end\nend\n`,
      reportedName: (name) => name,
      exitCode: 1,
    },
    reviewLanguages: ['ruby'],
  },
  rust: {
    name: 'rust',
    language: 'Rust',
    extensions: ['.rs', '.toml'],
    testCommand: ['cargo', 'test', '--offline', '--no-fail-fast', '--', '-Z', 'unstable-options', '--format', 'json'],
    // Cargo configuration would change the build (runner, rustflags, target dir, sources).
    // build.rs would run the candidate's code before the tests are compiled (and could rewrite
    // or read them); a Cargo.toml of the submission could declare one, or a proc-macro crate.
    protectedPaths: [
      anyDepth('build\\.rs'),
      anyDepth('Cargo\\.toml'),
      anyDir('\\.cargo'),
      anyDepth('Cargo\\.lock'),
      anyDir('target'),
      anyDepth('rust-toolchain(\\.toml)?'),
    ],
    env: {},
    defaultLimits: { memoryMb: 1536, pids: 256, cpus: 2, timeoutMs: 180_000, workDirMb: 512, tmpMb: 64 },
    execWorkDir: true,
    // Integration tests (tests/*.rs); unit tests inside src/ cannot be told apart from the code.
    testFilePattern: /(^|\/)tests\/[^/]+\.rs$/,
    canary: {
      source: (name, a, b) => `\n#[test]\nfn ${name}() {\n    assert_eq!(${a}u64, ${b}u64);\n}\n`,
      reportedName: (name) => name,
      exitCode: 101,
    },
    reviewLanguages: ['rust'],
    // The entry is the run (no `docker exec`), as the sandbox user alone.
  },
  cpp: {
    name: 'cpp',
    language: 'C++',
    extensions: ['.cpp', '.cc', '.cxx', '.hpp', '.hh', '.h', '.txt'],
    testCommand: [
      'cmake',
      '-S',
      '/work/code',
      '-B',
      '/work/build',
      '&&',
      'cmake',
      '--build',
      '/work/build',
      '&&',
      'ctest',
      '--output-junit',
      '…',
    ],
    // The assignment's CMakeLists.txt decides the build; the submission's CMake files are dropped.
    protectedPaths: [
      anyDepth('CMakeLists\\.txt'),
      /\.cmake$/,
      anyDepth('CMakeCache\\.txt'),
      anyDepth('CTestTestfile\\.cmake'),
      anyDir('build'),
    ],
    env: {},
    defaultLimits: { memoryMb: 1536, pids: 256, cpus: 2, timeoutMs: 300_000, workDirMb: 512, tmpMb: 128 },
    execWorkDir: true,
    // The default layout's test files (runner/default/CMakeLists.txt); an assignment's CMakeLists.txt declares its own.
    testFilePattern: /^tests?\/.*\.(cpp|cc|cxx)$|(^|\/)(test_[^/]*|[^/]*_test)\.(cpp|cc|cxx)$/,
    reportOmitsFiles: true,
    reviewLanguages: ['c++', 'cpp'],
  },
  php: {
    name: 'php',
    language: 'PHP 8.2',
    extensions: ['.php'],
    testCommand: [
      'phpunit',
      '--no-configuration',
      '--bootstrap',
      '/opt/runner/bootstrap.php',
      '--log-junit',
      '/work/out/junit.xml',
      'tests',
    ],
    protectedPaths: [anyDepth('phpunit\\.xml(\\.dist)?'), anyDir('vendor'), anyDepth('composer\\.lock')],
    env: {},
    defaultLimits: { memoryMb: 256, pids: 64 },
    testFilePattern: /(^|\/)[^/]*Test\.php$/,
    canary: {
      // PHPUnit 9 takes one class per file (the one named like it): a file of its own beside it.
      separateFile: (name, path) => `${path.includes('/') ? path.replace(/\/[^/]*$/, '/') : ''}${className(name)}Test.php`,
      source: (name, a, b) =>
        `<?php\nfinal class ${className(name)}Test extends \\PHPUnit\\Framework\\TestCase\n{\n    public function test_${name}(): void\n    {\n        $this->assertSame(${a}, ${b});\n    }\n}\n`,
      reportedName: (name) => name,
      exitCode: 1,
    },
    reviewLanguages: ['php'],
  },
};

export type RuntimeName = keyof typeof RUNTIMES;

export class UnknownRuntimeError extends Error {
  constructor(readonly runtime: string) {
    super(`Unknown sandbox runtime "${runtime}" (known: ${Object.keys(RUNTIMES).join(', ')})`);
  }
}

export function getRuntime(name: string): RuntimeDefinition {
  const def = Object.prototype.hasOwnProperty.call(RUNTIMES, name) ? RUNTIMES[name] : undefined;
  if (!def) throw new UnknownRuntimeError(name);
  return def;
}

export const runtimeNames = (): string[] => Object.keys(RUNTIMES);

/** Everything in a run happens here, inside the container (tmpfs). */
export const SANDBOX_PATHS = {
  workDir: '/work',
  codeDir: '/work/code',
  reportPath: '/work/out/junit.xml',
  /** The entry of every sandbox container (sandboxes/prestart/serve). */
  serveScript: '/opt/sandbox/serve',
  /** Copies of dash and timeout the sandbox users may execute but not read (non-dumpable; see prestart/serve). */
  serveShell: '/opt/sandbox/serve-sh',
  serveTimeout: '/opt/sandbox/serve-timeout',
} as const;

export const SANDBOX_UID = 10001;
export const SANDBOX_GID = 10001;
/** The grader's user in a split run (owns the hidden tests and the report). */
export const SANDBOX_GRADER_UID = 10002;
/** Where the host puts the hidden tests in a split run's tar (the entry moves them to /work/tests). */
export const SPLIT_TESTS_PREFIX = '.hidden/';
