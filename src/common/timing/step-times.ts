/**
 * Where a grading's wall time goes inside the worker, step by step, for the sandbox bench
 * (bench/sandbox/run.js --only throughput): off, and then nothing is kept or logged, unless a
 * process calls enableStepTimes() (only bench/sandbox/worker.js does). Once on, each step's
 * durations (ms) are kept in memory until takeStepTimes() hands them over.
 */
let enabled = false;
const times = new Map<string, number[]>();

export function enableStepTimes(on = true): void {
  enabled = on;
  times.clear();
}

export function stepTimesEnabled(): boolean {
  return enabled;
}

export function recordStep(step: string, ms: number): void {
  if (!enabled) return;
  let list = times.get(step);
  if (!list) times.set(step, (list = []));
  list.push(ms);
}

/** Runs `work`, recording its wall time under `step` when step times are on. */
export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const began = performance.now();
  try {
    return await work();
  } finally {
    recordStep(step, performance.now() - began);
  }
}

/** The durations recorded since the last call, by step (and forgets them). */
export function takeStepTimes(): Record<string, number[]> {
  const out = Object.fromEntries(times);
  times.clear();
  return out;
}
