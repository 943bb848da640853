// Jest's entry in the node sandbox: Jest, with a V8 code cache of the runner's own modules.
//
// Debian's Node 18 is built without a code cache or start-up snapshot, so every run would
// compile Jest's ~600 modules from source. When the image is built, one warm-up run with
// SANDBOX_CODE_CACHE=build saves, at exit, V8's code cache of every module under /opt/runner
// (functions compiled while running included, which is why this is not v8-compile-cache: that
// one saves the cache right after compiling, before anything ran, and writes it back on every
// run). A grading run only reads it: /opt/runner is read-only, V8 rejects an entry that does not
// fit (then the module is compiled as usual), and nothing is written. Only modules under
// /opt/runner go through here; code under test is compiled by Jest's own runtime.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const ROOT = __dirname + path.sep;
const DIR = path.join(__dirname, 'v8-cache');
const BUILD = process.env.SANDBOX_CODE_CACHE === 'build';
delete process.env.SANDBOX_CODE_CACHE;

let index = {};
let blob = Buffer.alloc(0);
if (!BUILD) {
  try {
    index = JSON.parse(fs.readFileSync(path.join(DIR, 'index.json'), 'utf8'));
    blob = fs.readFileSync(path.join(DIR, 'code.bin'));
  } catch {
    // No cache: every module is compiled from source.
  }
}
/** The build's scripts by key (the last one compiled of a file wins). */
const compiled = new Map();
const compile = Module.prototype._compile;
const VmScript = vm.Script;

Module.prototype._compile = function (content, filename) {
  if (!filename.startsWith(ROOT)) return compile.call(this, content, filename);
  const mod = this;
  if (content.charCodeAt(0) === 35 && content.charCodeAt(1) === 33) content = content.replace(/^#![^\n]*/, ''); // #!
  const entry = Object.prototype.hasOwnProperty.call(index, filename) ? index[filename] : null;
  const cachedData = entry && entry[0] === content.length ? blob.subarray(entry[1], entry[2]) : undefined;
  const script = new VmScript(Module.wrap(content), { filename, cachedData });
  if (BUILD) compiled.set(filename, [content.length, script]);
  // What Node's own loader hands a CommonJS module.
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  const fn = script.runInThisContext({ displayErrors: true });
  return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
};

// The modules Jest loads inside each test file's context (jest-circus's adapter, expect,
// jest-snapshot, pretty-format, …: a third of a run's CPU) are compiled by jest-runtime with its
// own vm.Script, which the hook above does not see. The same cache serves them (a code cache does
// not depend on the context it runs in), keyed by file name and the length of the code jest-runtime
// wraps; only files under /opt/runner, the image's own read-only files, never the submission's
// or the hidden tests'.
const Runtime = require('./node_modules/jest-runtime').default;
const createScript = Runtime.prototype.createScriptFromCode;
let contextFile = null;
class ContextScript extends VmScript {
  constructor(code, options) {
    const key = contextFile && `ctx:${contextFile}`;
    contextFile = null;
    if (!key) {
      super(code, options);
      return;
    }
    const entry = Object.prototype.hasOwnProperty.call(index, key) ? index[key] : null;
    const cachedData = entry && entry[0] === code.length ? blob.subarray(entry[1], entry[2]) : undefined;
    super(code, { ...options, cachedData });
    if (BUILD) compiled.set(key, [code.length, this]);
  }
}
Runtime.prototype.createScriptFromCode = function (scriptSource, filename) {
  if (typeof filename !== 'string' || !filename.startsWith(ROOT)) return createScript.call(this, scriptSource, filename);
  contextFile = filename;
  vm.Script = ContextScript;
  try {
    return createScript.call(this, scriptSource, filename);
  } finally {
    vm.Script = VmScript;
    contextFile = null;
  }
};

if (BUILD) {
  process.once('exit', () => {
    const parts = [];
    const out = {};
    let offset = 0;
    for (const [filename, [length, script]] of compiled) {
      const data = script.createCachedData();
      out[filename] = [length, offset, offset + data.length];
      offset += data.length;
      parts.push(data);
    }
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(path.join(DIR, 'code.bin'), Buffer.concat(parts));
    fs.writeFileSync(path.join(DIR, 'index.json'), JSON.stringify(out));
  });
}

// A prestarted run (sandboxes/prestart/serve): load Jest before the submission exists, do a warm-up
// run of our own fixed suite when the host asks for one, wait for the go on stdin, then run as
// usual. The container serves one run, so nothing loaded here ever sees a second submission.
// Given as arguments (not in the environment, which the tests can read from /proc/self/environ);
// taken off argv before Jest parses it.
const option = (name) => {
  const at = process.argv.findIndex((a) => a.startsWith(`--${name}=`));
  return at < 0 ? undefined : process.argv.splice(at, 1)[0].slice(name.length + 3);
};
/** What was read from the go FIFO past the last line. */
let pending = '';
const PRESTART = option('sandbox-prestart');
const RUN_DIR = option('sandbox-run-dir');

// Jest's command line is fixed (runner/test, runner/split-test): jest-cli reads it with yargs
// (~20 ms of CPU per run to load and run it). When the image is built, each script is started once
// with SANDBOX_RECORD_ARGV=1 and yargs' reading of its arguments is recorded (argv.json, read-only
// like the rest of /opt/runner, nothing of a submission in it); a run whose arguments are exactly
// one of those gets the recorded reading from a stand-in for yargs, any other goes through yargs.
const ARGV_FILE = path.join(__dirname, 'argv.json');
const argvKey = JSON.stringify(process.argv.slice(1));
if (process.env.SANDBOX_RECORD_ARGV === '1') {
  delete process.env.SANDBOX_RECORD_ARGV;
  require('./node_modules/jest-cli/build/run')
    .buildArgv()
    .then((argv) => {
      let all = {};
      try {
        all = JSON.parse(fs.readFileSync(ARGV_FILE, 'utf8'));
      } catch {
        // the first one recorded
      }
      all[argvKey] = argv;
      fs.writeFileSync(ARGV_FILE, JSON.stringify(all, null, 1) + '\n');
      process.exit(0);
    });
  return;
}
let recorded = null;
try {
  const all = JSON.parse(fs.readFileSync(ARGV_FILE, 'utf8'));
  if (Object.prototype.hasOwnProperty.call(all, argvKey)) recorded = JSON.stringify(all[argvKey]);
} catch {
  // Not recorded: yargs reads the arguments.
}
if (recorded) {
  const cliRun = path.join(ROOT, 'node_modules', 'jest-cli', 'build', 'run.js');
  const load = Module._load;
  // jest-cli's buildArgv: yargs(rawArgv).usage(…).version(…).alias(…).options(…).epilogue(…).check(…).argv
  const stand = new Proxy(
    {},
    {
      get: (_, key) => (key === 'argv' ? JSON.parse(recorded) : key === 'then' ? undefined : () => stand),
    },
  );
  Module._load = function (request, parent, isMain) {
    if (request === 'yargs' && parent && parent.filename === cliRun) {
      Module._load = load;
      return () => stand;
    }
    return load.call(this, request, parent, isMain);
  };
}

if (PRESTART) {
  prestart().catch((e) => {
    process.stderr.write(`sandbox: the test runner could not start: ${e && e.stack}\n`);
    process.exit(125);
  });
} else {
  require('./node_modules/jest/bin/jest');
}

/** One line from descriptor 0 (the go FIFO), blocking; '' at end of file. */
function readLine() {
  const buf = Buffer.alloc(64);
  for (;;) {
    const nl = pending.indexOf('\n');
    if (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      return line;
    }
    let n;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      continue;
    }
    if (n === 0) return pending;
    pending += buf.toString('latin1', 0, n);
  }
}

/**
 * Jest loaded, then the lines of the go FIFO: `warm` (the host has a free slot: do the warm-up
 * run now, at most once) or `go` (the files are there: run). A container taken in a backlog is
 * never asked to warm up, so its warm-up never delays a run or takes CPU from one.
 */
async function prestart() {
  const { run } = require('./node_modules/jest-cli/build/run');
  let warmed = false;
  for (;;) {
    const line = readLine();
    if (line === 'go') break;
    if (line !== 'warm') process.exit(125);
    if (!warmed) await warmUp();
    warmed = true;
  }
  if (RUN_DIR) process.chdir(RUN_DIR);
  await run();
}

/**
 * Jest over warmup/ (a TypeScript test with an ES import, a passing and a failing test), with the
 * run's own configuration but its own folders and nothing printed: every module a run needs is
 * loaded and its functions compiled once, before the submission exists.
 */
async function warmUp() {
  const os = require('os');
  const { runCLI } = require('./node_modules/@jest/core');
  const configArg = process.argv.find((a) => a.startsWith('--config='));
  const base = configArg ? configArg.slice('--config='.length) : path.join(__dirname, 'jest.config.js');
  const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'warmup-'));
  const dir = path.join(tmp, 'code');
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(path.join(__dirname, 'warmup'))) fs.copyFileSync(path.join(__dirname, 'warmup', f), path.join(dir, f));
  const config = path.join(tmp, 'jest.config.js');
  fs.writeFileSync(
    config,
    `const base = require(${JSON.stringify(base)});
module.exports = { ...base, rootDir: ${JSON.stringify(dir)}, roots: [${JSON.stringify(dir)}],
  reporters: base.reporters.map((r) => (Array.isArray(r) ? [r[0], { ...r[1], outputDirectory: ${JSON.stringify(path.join(tmp, 'out'))} }] : r)) };\n`,
  );
  const cacheArg = process.argv.find((a) => a.startsWith('--cacheDirectory='));
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = process.stderr.write = () => true;
  try {
    await runCLI(
      { _: [], $0: 'jest', config, ci: true, runInBand: true, watchman: false, ...(cacheArg ? { cacheDirectory: cacheArg.slice(17) } : {}) },
      [dir],
    );
  } catch {
    // A failed warm-up only means a slower run.
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
