import { Worker } from 'node:worker_threads';
import { BusyInterval, CalendarDataError, DEFAULT_EXPANSION_LIMITS, ExpansionInput } from './domain/busy-expansion';

/**
 * Runs expandBusy in a worker thread that is terminated after a hard deadline. The in-process
 * budget of expandBusy is checked between occurrences, but a malformed rule can spin inside one
 * step of ical.js (a DAILY rule whose BYMONTHDAY never occurs), which no in-process check can
 * interrupt; a worker can be killed. The worker loads the compiled module (dist) or, under the
 * tests, transpiles the TypeScript source with the compiler (the module imports only ical.js and
 * luxon).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const file = workerData.file;
const req = createRequire(file);
let mod;
if (workerData.js) {
  const Module = require('node:module');
  const js = workerData.js;
  const m = new Module(file);
  m.filename = file;
  m.paths = Module._nodeModulePaths(require('node:path').dirname(file));
  m._compile(js, file);
  mod = m.exports;
} else {
  mod = req(file);
}
try {
  const input = workerData.input;
  const out = mod.expandBusy({
    ...input,
    from: new Date(input.from),
    to: new Date(input.to),
    ignoreUids: new Set(input.ignoreUids || []),
  });
  parentPort.postMessage({ ok: true, busy: out.map((b) => [b.startsAt.getTime(), b.endsAt.getTime()]) });
} catch (e) {
  parentPort.postMessage({ ok: false, dataError: e instanceof mod.CalendarDataError, message: String((e && e.message) || e) });
}
`;

let transpiled: string | undefined;
/** Under the tests the module is TypeScript: transpiled once here (typescript is a dev dependency), handed to each worker. */
function sourceFor(file: string): string | undefined {
  if (!file.endsWith('.ts')) return undefined;
  if (transpiled === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof import('typescript');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const source = (require('node:fs') as typeof import('node:fs')).readFileSync(file, 'utf8');
    transpiled = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
  }
  return transpiled;
}

export async function expandBusyIsolated(input: ExpansionInput, hardTimeoutMs?: number): Promise<BusyInterval[]> {
  const budget = input.limits?.budgetMs ?? DEFAULT_EXPANSION_LIMITS.budgetMs;
  const deadline = hardTimeoutMs ?? budget + 10_000; // generous: the worker's start (and, in tests, the transpile) counts too
  const file = require.resolve('./domain/busy-expansion');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      js: sourceFor(file),
      input: {
        ...input,
        from: input.from.toISOString(),
        to: input.to.toISOString(),
        ignoreUids: [...(input.ignoreUids ?? [])],
        nowMs: undefined,
      },
    },
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  try {
    const msg = await new Promise<{ ok: boolean; busy?: Array<[number, number]>; dataError?: boolean; message?: string }>(
      (resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new CalendarDataError(`expanding the calendar did not finish within ${deadline} ms; it has too costly repeating events`),
            ),
          deadline,
        );
        worker.once('message', (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        worker.once('error', (e) => {
          clearTimeout(timer);
          reject(
            /memory/i.test(e.message)
              ? new CalendarDataError('expanding the calendar needed too much memory; it has too many events')
              : new CalendarDataError(`the calendar could not be read: ${e.message}`),
          );
        });
        worker.once('exit', (code) => {
          clearTimeout(timer);
          reject(new CalendarDataError(`the calendar reader stopped (exit ${code})`));
        });
      },
    );
    if (!msg.ok) throw msg.dataError ? new CalendarDataError(msg.message ?? 'unreadable calendar') : new Error(msg.message);
    return (msg.busy ?? []).map(([s, e]) => ({ startsAt: new Date(s), endsAt: new Date(e) }));
  } finally {
    await worker.terminate();
  }
}
