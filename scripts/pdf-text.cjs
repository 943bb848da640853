// Extracts the text of a PDF in a worker thread (src/careers/resume-reader.ts): a hostile or broken
// PDF can only exhaust this thread's own heap (resourceLimits) or time (terminated by the caller).
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PDFParse } = require('pdf-parse');

(async () => {
  const parser = new PDFParse({ data: new Uint8Array(workerData.bytes), verbosity: 0, isEvalSupported: false });
  try {
    const result = await parser.getText({ first: workerData.maxPages });
    parentPort.postMessage({ ok: true, text: result.text });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.message) || 'damaged file').slice(0, 200) });
  } finally {
    await parser.destroy().catch(() => undefined);
  }
})();
