// The candidate's side of the bridge, run as the candidate's user (10001): loads the submission's
// modules on the grader's request and serves calls into them (see rpc.js). It can read
// /work/code (the submission) and write /tmp; it cannot read /work/tests, /work/out or the
// grader's /tmp/grader, nor reach the grader's process (another user).
// Timers of the code under test are the grader's (so Jest's fake timers drive them); its promises
// and microtasks move between two requests.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { Peer, Channel, BridgeClosed } = require('./rpc');

const CODE = (process.env.SANDBOX_CODE_DIR || '/work/code') + '/';
const DIR = process.argv[2] || '/work/bridge';
const realSetImmediate = setImmediate;

// The compiler of the submission's modules, loaded before anything of the submission exists (a
// prestarted harness waits below for the grader's first request).
const swc = require('../node_modules/@swc/core');
swc.transformSync('export const a = 1;', { swcrc: false, configFile: false, module: { type: 'commonjs' } });

// Open in the grader's order (to-code first), before any of the candidate's code is loaded.
const rfd = fs.openSync(path.join(DIR, 'to-code'), 'r');
const wfd = fs.openSync(path.join(DIR, 'from-code'), 'w');

const compile = (ext) =>
  function (mod, filename) {
    if (!filename.startsWith(CODE)) return Module._extensions['.js.orig'](mod, filename);
    const ts = ext === '.ts' || ext === '.tsx';
    const out = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      swcrc: false,
      configFile: false,
      sourceMaps: 'inline',
      jsc: {
        parser: ts ? { syntax: 'typescript', tsx: ext === '.tsx' } : { syntax: 'ecmascript', jsx: true },
        target: 'es2021',
        transform: { react: { runtime: 'classic' } },
      },
      module: { type: 'commonjs' },
    });
    mod._compile(out.code, filename);
  };
Module._extensions['.js.orig'] = Module._extensions['.js'];
for (const ext of ['.js', '.jsx', '.cjs', '.ts', '.tsx']) Module._extensions[ext] = compile(ext);

const peer = new Peer(new Channel(rfd, wfd), 'harness', {
  load(msg, p) {
    const file = String(msg.path);
    if (!file.startsWith(CODE)) throw new Error('bridge: only modules of the submission are loaded');
    return p.encode(require(file));
  },
  reset(msg, p) {
    for (const k of Object.keys(require.cache)) if (k.startsWith(CODE)) delete require.cache[k];
    p.reset();
    return { $: 'u' };
  },
});

// The grader's timers (fake ones while a test uses jest.useFakeTimers()).
class Timer {
  constructor(tid) {
    this.tid = tid;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
  hasRef() {
    return true;
  }
  refresh() {
    return this;
  }
  [Symbol.toPrimitive]() {
    return this.tid;
  }
}
const startTimer = (repeat) =>
  function (fn, ms, ...args) {
    if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const cb = () => fn(...args);
    return new Timer(peer.request('timer', { cb: peer.encode(cb), ms: Number(ms) || 0, repeat }));
  };
const clearTimer = (t) => {
  if (t == null) return;
  const tid = t instanceof Timer ? t.tid : Number(t);
  if (Number.isFinite(tid)) peer.request('clear', { tid });
};
global.setTimeout = startTimer(false);
global.setInterval = startTimer(true);
global.clearTimeout = clearTimer;
global.clearInterval = clearTimer;

async function serve() {
  for (;;) {
    let msg;
    try {
      msg = peer.ch.recv();
    } catch (e) {
      if (e instanceof BridgeClosed) process.exit(0);
      throw e;
    }
    if (!msg || msg.t !== 'q') process.exit(3);
    const reply = peer.serve(msg);
    // Let the candidate's promises and microtasks move (they may call the grader: it is waiting).
    await new Promise((r) => realSetImmediate(r));
    if (msg.op === 'poll' && reply.ok) reply.v = { $: 'raw', v: reply.v.v.concat(peer.outbox.splice(0)) };
    peer.ch.send(reply);
  }
}
process.chdir(CODE);
serve().catch((e) => {
  process.stderr.write(`sandbox bridge: ${e && e.message}\n`);
  process.exit(3);
});
