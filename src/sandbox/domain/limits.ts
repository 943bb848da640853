/** Resource limits of one sandbox run. Pure: no Docker, no Nest. */
export interface SandboxLimits {
  /** Wall-clock deadline of the test run (unpacking included); the container is killed after it. */
  timeoutMs: number;
  /** Memory cap; swap is capped to the same value (no swap). */
  memoryMb: number;
  /** CPU quota in CPUs (1 = one core). */
  cpus: number;
  /** Max processes + threads in the container. */
  pids: number;
  /** Stdout + stderr bytes captured; beyond this the run is killed with output_exceeded. */
  outputBytes: number;
  /** Size of the tmpfs work dir (/work) holding code and report. */
  workDirMb: number;
  /** Size of the tmpfs /tmp. */
  tmpMb: number;
  /** Open-file ulimit (nofile). */
  openFiles: number;
  /** Largest file a process may write (fsize ulimit). */
  fileSizeMb: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 60_000,
  memoryMb: 512,
  cpus: 1,
  pids: 128,
  outputBytes: 1024 * 1024,
  workDirMb: 64,
  tmpMb: 32,
  openFiles: 256,
  fileSizeMb: 64,
};

/** Hard bounds: whatever an assignment asks for, a run stays inside these. */
export const LIMIT_BOUNDS: Record<keyof SandboxLimits, [number, number]> = {
  timeoutMs: [1_000, 15 * 60_000],
  memoryMb: [64, 8192],
  cpus: [0.1, 8],
  pids: [16, 4096],
  outputBytes: [1024, 64 * 1024 * 1024],
  workDirMb: [8, 2048],
  tmpMb: [4, 1024],
  openFiles: [32, 65536],
  fileSizeMb: [1, 2048],
};

export class InvalidLimitsError extends Error {}

/** Merges runtime defaults and overrides, rejecting values outside LIMIT_BOUNDS. */
export function resolveLimits(...layers: Array<Partial<SandboxLimits> | undefined>): SandboxLimits {
  const out: SandboxLimits = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as Array<[keyof SandboxLimits, unknown]>) {
      if (value === undefined) continue;
      if (!(key in LIMIT_BOUNDS)) throw new InvalidLimitsError(`unknown sandbox limit "${key}"`);
      const [min, max] = LIMIT_BOUNDS[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
        throw new InvalidLimitsError(`sandbox limit ${key} must be a number from ${min} to ${max} (got ${String(value)})`);
      }
      out[key] = key === 'cpus' ? value : Math.floor(value);
    }
  }
  return out;
}
