/**
 * Preload for a bench server (the API or the baseline): bytes allocated on the JS heap per
 * `GET /api/v1/applications/<uuid>`, printed for each window of 4,000 such requests. Prints figures
 * only; bench-only, never loaded by the product.
 *
 *   API_WORKERS=1 NODE_OPTIONS="--require $PWD/bench/api/alloc-per-read.js" node bench/api/run.js --only reads ...
 *
 * Each process that serves the read appends to `<ALLOC_LOG_DIR or /tmp>/alloc-per-read-<pid>.log`
 * (the API's, then the baseline's). Allocation = the used heap before each GC minus the used heap
 * after the previous one (v8.GCProfiler), plus the growth since the last GC: exact, not sampled.
 * The first window after the creates may include their leftovers; the steady windows are the figure.
 * `HEAP_PROFILE=1` also writes a sampling heap profile (objects collected by GC included) over the
 * reads 3,000 to 13,000 to `<dir>/heap-<pid>.json`; `node bench/api/alloc-per-read.js <file>`
 * prints its allocations per read by function (self, kB).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

if (require.main === module) {
  const p = JSON.parse(fs.readFileSync(process.argv[2]));
  const N = 10_000;
  const self = new Map();
  let total = 0;
  (function walk(node) {
    const cf = node.callFrame;
    const url = cf.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const key = `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber}`;
    total += node.selfSize;
    self.set(key, (self.get(key) || 0) + node.selfSize);
    for (const c of node.children) walk(c);
  })(p.head);
  console.log(`sampled allocation: ${(total / N / 1024).toFixed(1)} kB per read`);
  [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.argv[3] ?? 40))
    .forEach(([k, v]) => console.log(`${(v / N / 1024).toFixed(2).padStart(7)} kB  ${k}`));
  return;
}

const v8 = require('node:v8');
const http = require('node:http');
const WINDOW = 4000;
const dir = process.env.ALLOC_LOG_DIR ?? '/tmp';
const hot = /^\/api\/v1\/applications\/[0-9a-f-]{36}$/;
let n = 0;
let prof = null;
let startUsed = 0;
const used = () => v8.getHeapStatistics().used_heap_size;
function close() {
  const data = prof.stop();
  let prev = startUsed;
  let alloc = 0;
  for (const s of data.statistics) {
    alloc += s.beforeGC.heapStatistics.usedHeapSize - prev;
    prev = s.afterGC.heapStatistics.usedHeapSize;
  }
  alloc += used() - prev;
  fs.appendFileSync(
    path.join(dir, `alloc-per-read-${process.pid}.log`),
    `${new Date().toISOString()} ${(alloc / WINDOW / 1024).toFixed(1)} kB per read, ${data.statistics.length} GCs in ${WINDOW} reads\n`,
  );
}
let session = null;
if (process.env.HEAP_PROFILE) {
  session = new (require('node:inspector').Session)();
  session.connect();
}
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (ev, req) {
  if (ev === 'request' && req.method === 'GET' && hot.test(req.url)) {
    if (n % WINDOW === 0) {
      if (prof) close();
      prof = new v8.GCProfiler();
      startUsed = used();
      prof.start();
    }
    n++;
    if (session && n === 3000)
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    if (session && n === 13000)
      session.post('HeapProfiler.stopSampling', (err, r) => {
        if (!err) fs.writeFileSync(path.join(dir, `heap-${process.pid}.json`), JSON.stringify(r.profile));
      });
  }
  return emit.apply(this, arguments);
};
