#!/usr/bin/env node
/**
 * Where a request's CPU goes, by layer, from a V8 CPU profile (`bench/api/run.js --cpu-prof <dir>`).
 * Each sample is charged to the innermost known component on its stack (Node's own frames count
 * for their caller), so the shares add up to 100%. Prints nothing but figures.
 *
 *   node bench/api/profile-layers.js <file.cpuprofile>                 # busy % per second, to find the phase
 *   MS_PER_REQ=1.2 node bench/api/profile-layers.js <file> <from s> <to s>   # the breakdown of that window
 */
'use strict';

const fs = require('fs');
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
let t = p.startTime;
const times = [];
for (const d of p.timeDeltas) {
  t += d;
  times.push(t);
}
if (process.argv.length < 5) {
  const per = {};
  p.samples.forEach((s, i) => {
    const sec = Math.floor((times[i] - p.startTime) / 1e6);
    per[sec] ??= [0, 0];
    per[sec][1]++;
    if (nodes.get(s).callFrame.functionName !== '(idle)') per[sec][0]++;
  });
  console.log(
    Object.entries(per)
      .map(([sec, [b, a]]) => `${sec}s:${((b / a) * 100).toFixed(0)}%`)
      .join(' '),
  );
  process.exit(0);
}
const from = p.startTime + Number(process.argv[3]) * 1e6,
  to = p.startTime + Number(process.argv[4]) * 1e6;
const rules = [
  ['GC', (cf) => cf.functionName === '(garbage collector)'],
  [
    'socket write syscall (writev/write)',
    (cf) => cf.url === '' && /^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/.test(cf.functionName),
  ],
  ['helmet (security headers)', (cf) => /node_modules\/helmet\//.test(cf.url)],
  ['cookie-parser', (cf) => /node_modules\/(cookie-parser|cookie)\//.test(cf.url)],
  ['body parsers (json+urlencoded on GET)', (cf) => /node_modules\/(body-parser|type-is|content-type|raw-body|media-typer)\//.test(cf.url)],
  [
    'pino-http / nestjs-pino / pino (request logger)',
    (cf) => /node_modules\/(pino-http|nestjs-pino|pino|pino-std-serializers)\//.test(cf.url),
  ],
  ['prom-client (http metrics)', (cf) => /node_modules\/prom-client\//.test(cf.url) || /http-metrics/.test(cf.url)],
  ['access-denied recorder', (cf) => /access-denied/.test(cf.url)],
  // configure-app's direct JSON writer (session 10): its own frame, before the request-id rule that matches the file.
  ['JSON writer (writeApiJsonDirectly)', (cf) => /configure-app/.test(cf.url) && cf.functionName === 'adapter.reply'],
  ['request id + context (ALS)', (cf) => /request-context|configure-app|logging\/logging/.test(cf.url) || cf.url === 'node:async_hooks'],
  ['auth guard + identity (token hash, cache)', (cf) => /auth\.guard|identity\.service|principal-cache/.test(cf.url)],
  ['team-scope guard', (cf) => /team-scope/.test(cf.url)],
  ['audit / decision-locals interceptors', (cf) => /audit\.interceptor|decision-locals/.test(cf.url)],
  ['ParseUUIDPipe / validation', (cf) => /pipes\/parse-uuid|class-validator|class-transformer|validation-pipe|validation\.js/.test(cf.url)],
  ['handler + service + dto', (cf) => /applications\.(controller|service)|prepared\.js|team-scope/.test(cf.url)],
  ['pg / pg-pool / typeorm (driver)', (cf) => /node_modules\/(pg|pg-pool|pg-protocol|pg-types|postgres-[a-z]+|typeorm)\//.test(cf.url)],
  [
    'Nest pipeline (router-execution-context, guards/interceptors consumers, rxjs)',
    (cf) => /node_modules\/(@nestjs\/core|@nestjs\/common|rxjs)\//.test(cf.url),
  ],
  [
    'Fastify (routing, hooks, reply, middie)',
    (cf) =>
      /node_modules\/(fastify|@fastify\/[^/]+|find-my-way|avvio|light-my-request|fast-json-stringify|reusify|fastq|toad-cache|@nestjs\/platform-fastify)\//.test(
        cf.url,
      ),
  ],
  [
    'Express response (res.json/send, etag, headers)',
    (cf) =>
      /node_modules\/express\/lib\/response|node_modules\/(etag|fresh|send|vary|mime-types)\//.test(cf.url) ||
      /platform-express\/adapters/.test(cf.url),
  ],
  [
    'Express routing (router, path-to-regexp, parseurl, app.handle)',
    (cf) =>
      /node_modules\/(express|router|path-to-regexp|parseurl|finalhandler|on-finished|qs)\//.test(cf.url) ||
      /platform-express/.test(cf.url),
  ],
  [
    'node http (parse, headers, res end)',
    (cf) => /^node:_http|^node:net|^node:internal\/streams|^node:internal\/stream_base|^node:events/.test(cf.url),
  ],
];
const counts = new Map();
let busy = 0;
p.samples.forEach((s, i) => {
  if (times[i] < from || times[i] > to) return;
  const leaf = nodes.get(s).callFrame;
  if (leaf.functionName === '(idle)') return;
  busy++;
  let label = null;
  for (let id = s; id && !label; id = parent.get(id)) {
    const cf = nodes.get(id).callFrame;
    if (id !== s && cf.url.startsWith('node:') && cf.url !== 'node:async_hooks') continue; // node internals: charge the caller
    for (const [name, test] of rules)
      if (test(cf)) {
        label = name;
        break;
      }
  }
  if (!label || label.startsWith('node http')) {
    // only node frames: the http server itself (parser, socket reads, finish events)
    label = null;
    for (let id = s; id && !label; id = parent.get(id)) {
      const cf = nodes.get(id).callFrame;
      if (!cf.url.startsWith('node:')) {
        for (const [name, test] of rules)
          if (test(cf)) {
            label = name;
            break;
          }
      }
    }
    label ??= 'node http (parse, headers, res end)';
    if (label.startsWith('node http')) {
      let u = null;
      for (let id = s; id; id = parent.get(id)) {
        const cf = nodes.get(id).callFrame;
        if (cf.url && !cf.url.startsWith('node:')) {
          u = cf.url;
          break;
        }
      }
      if (u)
        label =
          'other: ' +
          u
            .replace(/.*node_modules\//, '')
            .split('/')
            .slice(0, 2)
            .join('/');
    }
  }
  label ??= 'other: ' + (leaf.url.replace(/.*node_modules\//, '') || leaf.functionName);
  counts.set(label, (counts.get(label) || 0) + 1);
});
const perReq = Number(process.env.MS_PER_REQ || 0);
console.log(`busy samples ${busy}`);
let other = 0;
[...counts]
  .sort((a, b) => b[1] - a[1])
  .forEach(([k, v]) => {
    if (k.startsWith('other:') && v / busy < 0.005) {
      other += v;
      return;
    }
    console.log(`${((v / busy) * 100).toFixed(1).padStart(5)}%${perReq ? ' ' + ((v / busy) * perReq).toFixed(3) + ' ms' : ''}  ${k}`);
  });
console.log(`${((other / busy) * 100).toFixed(1).padStart(5)}%  other (small)`);
