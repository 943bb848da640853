#!/usr/bin/env node
/**
 * The same Node calls in two CPU profiles (e.g. the API and the raw baseline under the same reads,
 * `bench/api/run.js --cpu-prof <dir>` writes both): the self time of each function, in µs per
 * request, side by side. Prints figures only.
 *
 *   node bench/api/profile-compare.js <a.cpuprofile> <from s> <to s> <requests> <b.cpuprofile> <from s> <to s> <requests> [top]
 *
 * Self time is charged to the function on top of the stack (native calls such as `writev` count
 * as themselves); the "group" rows add up Node's own modules, the pg driver and V8's GC.
 */
'use strict';
const fs = require('fs');

function load(file, fromS, toS, requests) {
  const p = JSON.parse(fs.readFileSync(file));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  let t = p.startTime;
  const from = p.startTime + fromS * 1e6;
  const to = p.startTime + toS * 1e6;
  const self = new Map();
  const groups = new Map();
  let busy = 0;
  let prev = p.startTime;
  p.samples.forEach((s, i) => {
    t += p.timeDeltas[i];
    const dt = t - prev; // µs this sample stands for
    prev = t;
    if (t < from || t > to) return;
    const cf = nodes.get(s).callFrame;
    if (cf.functionName === '(idle)') return;
    busy += dt;
    const url = cf.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/');
    const key = `${cf.functionName || '(anonymous)'} ${url}${url ? ':' + cf.lineNumber : ''}`;
    self.set(key, (self.get(key) || 0) + dt);
    const group =
      cf.functionName === '(garbage collector)'
        ? 'V8 GC'
        : cf.functionName === '(program)'
          ? 'V8 (program)'
          : url === ''
            ? 'native (syscalls, crypto, JSON)'
            : /^node:_http/.test(url)
              ? 'node:_http_*'
              : /^node:(net|internal\/stream|internal\/streams|stream)/.test(url)
                ? 'node:net + streams'
                : /^node:/.test(url)
                  ? 'node: other internals'
                  : /^(pg|pg-pool|pg-protocol|pg-types|postgres-)/.test(url)
                    ? 'pg driver'
                    : /^(typeorm)/.test(url)
                      ? 'typeorm'
                      : 'application + frameworks';
    groups.set(group, (groups.get(group) || 0) + dt);
  });
  return { self, groups, busy, requests };
}

const [a, b] = [
  load(process.argv[2], +process.argv[3], +process.argv[4], +process.argv[5]),
  load(process.argv[6], +process.argv[7], +process.argv[8], +process.argv[9]),
];
const top = Number(process.argv[10] || 30);
const us = (x, r) => (x / r).toFixed(1).padStart(7);
console.log(`sampled busy time per request: A ${us(a.busy, a.requests)} µs, B ${us(b.busy, b.requests)} µs`);
console.log('\n  A µs    B µs  group');
for (const g of new Set([...a.groups.keys(), ...b.groups.keys()]))
  console.log(`${us(a.groups.get(g) || 0, a.requests)} ${us(b.groups.get(g) || 0, b.requests)}  ${g}`);
console.log('\n  A µs    B µs  function (self), by A');
const keys = [...new Set([...a.self.keys(), ...b.self.keys()])].sort(
  (x, y) =>
    (a.self.get(y) || 0) / a.requests +
    (b.self.get(y) || 0) / b.requests -
    (a.self.get(x) || 0) / a.requests -
    (b.self.get(x) || 0) / b.requests,
);
for (const k of keys.slice(0, top)) console.log(`${us(a.self.get(k) || 0, a.requests)} ${us(b.self.get(k) || 0, b.requests)}  ${k}`);
