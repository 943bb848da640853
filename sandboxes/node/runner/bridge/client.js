// The grader's side of the bridge, loaded by Jest inside each test file's realm (so values from the
// candidate's code are made with the tests' own Array, Error, Promise...). Every module of the
// submission a test imports resolves to a stub (resolver.js) that calls load() here.
'use strict';
const { Peer, Channel } = require('./rpc');

const fds = globalThis.__sandboxBridge;
if (!fds) throw new Error('sandbox bridge: not running in the grader environment');
const timers = new Map();
let nextTimer = 0;
const peer = new Peer(new Channel(fds.r, fds.w), 'grader', {
  // The code under test's timers run on the tests' clock (jest.useFakeTimers() included).
  timer(msg, p) {
    const cb = p.decode(msg.cb);
    if (typeof cb !== 'function') throw new TypeError('not a function');
    const tid = ++nextTimer;
    const run = () => {
      if (!msg.repeat) timers.delete(tid);
      try {
        cb();
      } catch {
        // an error of the code under test in a timer: like an uncaught one, it fails no test here
      }
    };
    const ms = Math.max(0, Number(msg.ms) || 0);
    timers.set(tid, { repeat: Boolean(msg.repeat), handle: msg.repeat ? globalThis.setInterval(run, ms) : globalThis.setTimeout(run, ms) });
    return tid;
  },
  clear(msg) {
    const t = timers.get(msg.tid);
    if (t) {
      timers.delete(msg.tid);
      if (t.repeat) globalThis.clearInterval(t.handle);
      else globalThis.clearTimeout(t.handle);
    }
    return { $: 'u' };
  },
});
peer.request('reset', {});

exports.load = (file) => peer.request('load', { path: file });
