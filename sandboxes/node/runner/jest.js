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
const compiled = [];
const compile = Module.prototype._compile;

Module.prototype._compile = function (content, filename) {
  if (!filename.startsWith(ROOT)) return compile.call(this, content, filename);
  const mod = this;
  if (content.charCodeAt(0) === 35 && content.charCodeAt(1) === 33) content = content.replace(/^#![^\n]*/, ''); // #!
  const entry = Object.prototype.hasOwnProperty.call(index, filename) ? index[filename] : null;
  const cachedData = entry && entry[0] === content.length ? blob.subarray(entry[1], entry[2]) : undefined;
  const script = new vm.Script(Module.wrap(content), { filename, cachedData });
  if (BUILD) compiled.push([filename, content.length, script]);
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

if (BUILD) {
  process.once('exit', () => {
    const parts = [];
    const out = {};
    let offset = 0;
    for (const [filename, length, script] of compiled) {
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

require('./node_modules/jest/bin/jest');
