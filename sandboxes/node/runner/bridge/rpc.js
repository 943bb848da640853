// The bridge between the grader (Jest, uid 10002, the hidden tests) and the candidate's code
// (the harness, uid 10001): synchronous request/response over two FIFOs, both sides running this
// same file. Values cross by copy (primitives, arrays, plain objects, Date, RegExp, Map, Set,
// errors); functions, class instances and classes cross as references (the other side gets a
// Proxy; calls, `new`, property access, `instanceof` go back over the FIFOs); promises cross as
// promises (the harness queues their outcome, the grader polls for it). Calls nest both ways
// (a callback of the test called by the candidate's code runs in the grader while the call waits).
//
// The grader trusts nothing it reads here: a message is JSON with tagged values; the candidate may
// only call functions the tests handed it (never read their properties: `fn.constructor` would be
// `Function`, `fn.toString()` the test's source), and read own properties of other objects.
'use strict';
const fs = require('fs');

const MAX_MESSAGE = 64 * 1024 * 1024;
const ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];
const realSetTimeout = setTimeout;

class BridgeClosed extends Error {
  constructor() {
    super('the code under test ended its process (the bridge to it is closed)');
    this.name = 'BridgeClosed';
  }
}

class Channel {
  constructor(rfd, wfd) {
    this.rfd = rfd;
    this.wfd = wfd;
    this.buf = Buffer.alloc(0);
    this.chunk = Buffer.alloc(256 * 1024);
    this.closed = false;
  }
  send(obj) {
    if (this.closed) throw new BridgeClosed();
    const data = Buffer.from(JSON.stringify(obj) + '\n', 'utf8');
    let off = 0;
    while (off < data.length) {
      try {
        off += fs.writeSync(this.wfd, data, off, data.length - off);
      } catch (e) {
        if (e.code === 'EAGAIN') continue;
        this.closed = true;
        throw new BridgeClosed();
      }
    }
  }
  recv() {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl).toString('utf8');
        this.buf = this.buf.subarray(nl + 1);
        return JSON.parse(line);
      }
      if (this.closed) throw new BridgeClosed();
      let n;
      try {
        n = fs.readSync(this.rfd, this.chunk, 0, this.chunk.length, null);
      } catch (e) {
        if (e.code === 'EAGAIN') continue;
        n = 0;
      }
      if (n === 0) {
        this.closed = true;
        throw new BridgeClosed();
      }
      this.buf = Buffer.concat([this.buf, this.chunk.subarray(0, n)]);
      if (this.buf.length > MAX_MESSAGE) {
        this.closed = true;
        throw new Error('bridge: a message from the other side is too large');
      }
    }
  }
}

const isPlainObject = (v) => {
  const proto = Object.getPrototypeOf(v);
  if (proto === null) return true;
  if (Object.getPrototypeOf(proto) !== null) return false;
  const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') && proto.constructor;
  return typeof ctor === 'function' && ctor.name === 'Object';
};
const tag = (v) => Object.prototype.toString.call(v);

class Peer {
  /**
   * @param channel the FIFOs
   * @param role 'grader' (serves only what the policy allows, pushes its promises' outcomes) or
   *   'harness' (queues its promises' outcomes for the grader's poll)
   * @param ops extra operations served by this side (name -> (msg) => encoded value)
   */
  constructor(channel, role, ops = {}) {
    this.ch = channel;
    this.role = role;
    this.ops = ops;
    this.seq = 0;
    this.reset();
  }

  reset() {
    this.nextId = 0;
    this.exported = new Map();
    this.exportIds = new Map();
    this.imported = new Map();
    this.proxyIds = new WeakMap();
    this.errorRefs = new WeakMap();
    this.pending = new Map();
    this.outbox = [];
    this.polling = false;
  }

  // ---- values -> wire
  exportValue(v) {
    let id = this.exportIds.get(v);
    if (id === undefined) {
      id = ++this.nextId;
      this.exportIds.set(v, id);
      this.exported.set(id, v);
    }
    return id;
  }

  encode(v, depth = 0, seen = new Set()) {
    if (depth > 200) throw new TypeError('bridge: value nested too deeply');
    switch (typeof v) {
      case 'undefined':
        return { $: 'u' };
      case 'boolean':
      case 'string':
        return v;
      case 'number':
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        return { $: 'n', v: Object.is(v, -0) ? '-0' : String(v) };
      case 'bigint':
        return { $: 'b', v: v.toString() };
      case 'symbol':
        return { $: 'y', v: v.description ?? '' };
      case 'function': {
        if (this.proxyIds.has(v)) return { $: 'l', id: this.proxyIds.get(v) };
        let isClass = false;
        try {
          isClass = /^class[\s{]/.test(Function.prototype.toString.call(v));
        } catch {
          isClass = false;
        }
        return { $: 'r', id: this.exportValue(v), k: isClass ? 'c' : 'f', name: typeof v.name === 'string' ? v.name : '' };
      }
    }
    if (v === null) return null;
    if (this.proxyIds.has(v)) return { $: 'l', id: this.proxyIds.get(v) };
    if (seen.has(v)) throw new TypeError('bridge: cannot pass a circular structure');
    const t = tag(v);
    if (t === '[object Promise]') return { $: 'p', id: this.exportPromise(v) };
    if (t === '[object Error]') {
      const props = {};
      for (const k of Object.keys(v)) if (k !== 'stack' && k !== 'message') props[k] = this.safeEncode(v[k], depth + 1, seen);
      const ctorName = v.constructor && typeof v.constructor.name === 'string' ? v.constructor.name : 'Error';
      return {
        $: 'e',
        id: this.exportValue(v),
        name: String(v.name ?? 'Error'),
        message: String(v.message ?? ''),
        base: ERRORS.includes(ctorName) ? ctorName : baseErrorName(v),
        props,
      };
    }
    if (t === '[object Date]') return { $: 'd', v: v.getTime() };
    if (t === '[object RegExp]') return { $: 'x', s: v.source, f: v.flags };
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map((x) => this.encode(x, depth + 1, seen));
      if (t === '[object Map]') return { $: 'm', v: [...v].map(([a, b]) => [this.encode(a, depth + 1, seen), this.encode(b, depth + 1, seen)]) };
      if (t === '[object Set]') return { $: 's', v: [...v].map((a) => this.encode(a, depth + 1, seen)) };
      if (isPlainObject(v)) {
        const out = {};
        for (const k of Object.keys(v)) out[k] = this.encode(v[k], depth + 1, seen);
        const esm = Object.prototype.hasOwnProperty.call(v, '__esModule') && Boolean(v.__esModule);
        return esm ? { $: 'o', v: out, esm: true } : { $: 'o', v: out };
      }
    } finally {
      seen.delete(v);
    }
    const name = v.constructor && typeof v.constructor.name === 'string' ? v.constructor.name : 'Object';
    return { $: 'r', id: this.exportValue(v), k: 'o', name };
  }

  safeEncode(v, depth, seen) {
    try {
      return this.encode(v, depth, seen);
    } catch {
      return { $: 'u' };
    }
  }

  exportPromise(p) {
    const id = this.exportValue(p);
    const settle = (ok, v) => {
      let value;
      try {
        value = this.encode(v);
      } catch (e) {
        ok = false;
        value = this.encode(e);
      }
      if (this.role === 'harness') this.outbox.push({ id, ok, v: value });
      else {
        try {
          this.request('settle', { id, ok, v: value });
        } catch {
          // the other side is gone: nothing to tell
        }
      }
    };
    p.then(
      (v) => settle(true, v),
      (e) => settle(false, e),
    );
    return id;
  }

  // ---- wire -> values
  decode(w) {
    if (w === null || typeof w !== 'object') return w;
    if (Array.isArray(w)) return w.map((x) => this.decode(x));
    switch (w.$) {
      case 'u':
        return undefined;
      case 'n':
        return w.v === '-0' ? -0 : Number(w.v);
      case 'b':
        return BigInt(w.v);
      case 'y':
        return Symbol(w.v);
      case 'd':
        return new Date(w.v);
      case 'x':
        return new RegExp(w.s, w.f);
      case 'm':
        return new Map(w.v.map(([a, b]) => [this.decode(a), this.decode(b)]));
      case 's':
        return new Set(w.v.map((a) => this.decode(a)));
      case 'o': {
        const out = {};
        for (const k of Object.keys(w.v)) {
          Object.defineProperty(out, k, { value: this.decode(w.v[k]), enumerable: true, writable: true, configurable: true });
        }
        if (w.esm) Object.defineProperty(out, '__esModule', { value: true });
        return out;
      }
      case 'l': {
        if (!this.exported.has(w.id)) throw new Error('bridge: unknown reference');
        return this.exported.get(w.id);
      }
      case 'r':
        return this.importRef(w.id, w.k, String(w.name ?? ''));
      case 'e': {
        const Ctor = ERRORS.includes(w.base) ? globalThis[w.base] || Error : Error;
        const e = new Ctor(String(w.message));
        if (w.name !== e.name) Object.defineProperty(e, 'name', { value: String(w.name), writable: true, configurable: true });
        for (const k of Object.keys(w.props || {})) {
          if (k === '__proto__') continue;
          Object.defineProperty(e, k, { value: this.decode(w.props[k]), enumerable: true, writable: true, configurable: true });
        }
        e.stack = `${e.name}: ${e.message}\n    at <the code under test>`;
        this.errorRefs.set(e, w.id);
        return e;
      }
      case 'raw':
        return w.v;
      case 'p':
        return new Promise((resolve, reject) => {
          this.pending.set(w.id, { resolve, reject });
          if (this.role === 'grader') this.schedulePoll();
        });
      default:
        throw new Error('bridge: unknown value tag');
    }
  }

  settle(id, ok, v) {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    const value = this.decode(v);
    if (ok) p.resolve(value);
    else p.reject(value);
  }

  schedulePoll(delay = 0) {
    if (this.polling) return;
    this.polling = true;
    realSetTimeout(() => {
      this.polling = false;
      let settled;
      try {
        settled = this.request('poll', {});
      } catch (e) {
        for (const [, p] of this.pending) p.reject(e);
        this.pending.clear();
        return;
      }
      for (const s of settled) this.settle(s.id, s.ok, s.v);
      if (this.pending.size) this.schedulePoll(settled.length ? 0 : Math.min(delay + 1, 5));
    }, delay);
  }

  importRef(id, kind, name) {
    const known = this.imported.get(id);
    if (known) return known;
    const peer = this;
    const target = kind === 'o' ? {} : function () {};
    let proxy;
    const handler = {
      get(t, key) {
        if (typeof key === 'symbol') {
          if (key === Symbol.hasInstance && kind !== 'o') return (v) => peer.instanceOf(v, proxy);
          if (key === Symbol.iterator) {
            if (!peer.request('iterable', { id })) return undefined;
            return function () {
              return peer.request('spread', { id })[Symbol.iterator]();
            };
          }
          return undefined;
        }
        if (key === 'then' && kind === 'o') return undefined;
        return peer.request('get', { id, key });
      },
      set(t, key, value) {
        if (typeof key === 'symbol') return false;
        peer.request('set', { id, key, v: peer.encode(value) });
        return true;
      },
      has(t, key) {
        if (typeof key === 'symbol') return false;
        return peer.request('has', { id, key });
      },
      deleteProperty(t, key) {
        if (typeof key === 'symbol') return false;
        return peer.request('del', { id, key });
      },
      ownKeys(t) {
        const keys = peer.request('keys', { id });
        if (typeof t === 'function' && !keys.includes('prototype')) keys.push('prototype');
        return keys;
      },
      getOwnPropertyDescriptor(t, key) {
        if (typeof t === 'function' && key === 'prototype') {
          return { value: peer.request('get', { id, key }), writable: true, enumerable: false, configurable: false };
        }
        if (typeof key === 'symbol') return undefined;
        const d = peer.request('desc', { id, key });
        return d ? { value: d.value, writable: true, enumerable: d.enumerable, configurable: true } : undefined;
      },
      apply(t, self, args) {
        return peer.request('call', { id, self: peer.encode(self), args: args.map((a) => peer.encode(a)) });
      },
      construct(t, args) {
        return peer.request('new', { id, args: args.map((a) => peer.encode(a)) });
      },
    };
    proxy = new Proxy(target, handler);
    this.imported.set(id, proxy);
    this.proxyIds.set(proxy, id);
    if (name && kind !== 'o') {
      // Shown by Jest in messages; the target is ours, the name the other side's.
      try {
        Object.defineProperty(target, 'name', { value: name });
      } catch {
        // ignore
      }
    }
    return proxy;
  }

  instanceOf(v, cls) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
    if (this.proxyIds.has(v)) return this.request('inst', { v: { $: 'l', id: this.proxyIds.get(v) }, c: { $: 'l', id: this.proxyIds.get(cls) } });
    if (this.errorRefs.has(v)) return this.request('inst', { v: { $: 'l', id: this.errorRefs.get(v) }, c: { $: 'l', id: this.proxyIds.get(cls) } });
    return false;
  }

  // ---- requests
  request(op, payload) {
    const n = ++this.seq;
    this.ch.send({ t: 'q', n, op, ...payload });
    for (;;) {
      const msg = this.ch.recv();
      if (msg && msg.t === 'q') {
        this.ch.send(this.serve(msg));
        continue;
      }
      if (!msg || msg.t !== 's') throw new Error('bridge: unexpected message');
      if (msg.ok) return this.decode(msg.v);
      throw this.decode(msg.v);
    }
  }

  serve(msg) {
    try {
      return { t: 's', n: msg.n, ok: true, v: this.handle(msg) };
    } catch (e) {
      if (e instanceof BridgeClosed) throw e;
      let v;
      try {
        v = this.encode(e);
      } catch {
        v = this.encode(new Error('bridge: the error could not be passed'));
      }
      return { t: 's', n: msg.n, ok: false, v };
    }
  }

  local(id) {
    if (!this.exported.has(id)) throw new Error('bridge: unknown reference');
    return this.exported.get(id);
  }

  handle(msg) {
    const op = msg.op;
    if (Object.prototype.hasOwnProperty.call(this.ops, op)) return this.ops[op](msg, this);
    const grader = this.role === 'grader';
    const key = typeof msg.key === 'string' ? msg.key : String(msg.key);
    switch (op) {
      case 'call': {
        const fn = this.local(msg.id);
        if (typeof fn !== 'function') throw new TypeError('not a function');
        return this.encode(Reflect.apply(fn, this.decode(msg.self), this.decode(msg.args)));
      }
      case 'new': {
        const fn = this.local(msg.id);
        if (grader) throw new TypeError('the tests do not let the code under test construct their objects');
        return this.encode(Reflect.construct(fn, this.decode(msg.args)));
      }
      case 'get': {
        const o = this.local(msg.id);
        if (grader && (typeof o === 'function' || !Object.prototype.hasOwnProperty.call(o, key))) return { $: 'u' };
        return this.encode(o[key]);
      }
      case 'desc': {
        const o = this.local(msg.id);
        if (grader && typeof o === 'function') return { $: 'u' };
        const d = Object.getOwnPropertyDescriptor(o, key);
        if (!d) return { $: 'u' };
        return { $: 'o', v: { value: this.encode('value' in d ? d.value : o[key]), enumerable: Boolean(d.enumerable) } };
      }
      case 'has': {
        const o = this.local(msg.id);
        if (grader) return typeof o !== 'function' && Object.prototype.hasOwnProperty.call(o, key);
        return key in o;
      }
      case 'keys': {
        const o = this.local(msg.id);
        if (grader && typeof o === 'function') return [];
        return Reflect.ownKeys(o).filter((k) => typeof k === 'string');
      }
      case 'set': {
        if (grader) throw new TypeError('the tests do not let the code under test change their objects');
        this.local(msg.id)[key] = this.decode(msg.v);
        return { $: 'u' };
      }
      case 'del': {
        if (grader) return false;
        return delete this.local(msg.id)[key];
      }
      case 'inst': {
        const v = this.decode(msg.v);
        const c = this.decode(msg.c);
        return typeof c === 'function' && v instanceof c;
      }
      case 'iterable': {
        const o = this.local(msg.id);
        return !grader && o != null && typeof o[Symbol.iterator] === 'function';
      }
      case 'spread': {
        if (grader) return [];
        return this.encode([...this.local(msg.id)]);
      }
      case 'settle':
        this.settle(msg.id, msg.ok, msg.v);
        return { $: 'u' };
      case 'poll': {
        const out = this.outbox;
        this.outbox = [];
        return { $: 'raw', v: out };
      }
      default:
        throw new Error(`bridge: unknown operation ${String(op)}`);
    }
  }
}

function baseErrorName(e) {
  for (let p = Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) {
    const n = p.constructor && p.constructor.name;
    if (ERRORS.includes(n)) return n;
  }
  return 'Error';
}

module.exports = { Peer, Channel, BridgeClosed };
