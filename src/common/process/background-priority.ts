import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { DataSource } from 'typeorm';

/**
 * Background work yields to interactive work: a worker process (mail, sweeps, webhooks) lowers its
 * own CPU priority to WORKER_NICE, so that under a burst of requests the kernel gives the API the
 * cores first and the worker's backlog lags, then catches up when the burst is over. Nothing is
 * dropped: jobs wait in the queue.
 *
 * Linux keeps a nice value per thread, so every thread of the process is lowered (V8's and libuv's
 * helper threads exist before the first line of JS runs; threads created later inherit it). Only
 * ever lowers the priority (a nice value is never set lower than the thread's own), which needs no
 * privilege. Returns what it did, for the start-up log line.
 */
export function lowerOwnPriority(nice: number): string {
  if (nice <= 0) return 'normal priority';
  let threads = 0;
  try {
    for (const tid of readdirSync('/proc/self/task')) if (lower(Number(tid), nice)) threads++;
  } catch {
    // Not Linux: the process (its calling thread on systems where that differs).
    if (lower(0, nice)) threads++;
  }
  return `nice ${nice} (${threads} thread${threads === 1 ? '' : 's'})`;
}

/**
 * The same for the PostgreSQL backend serving one of this worker's connections, so that the
 * worker's queries yield too (a delivery costs PostgreSQL more CPU than the worker itself). Only
 * when the server runs on this host: the caller passes the backend's pid only for a connection over
 * a unix socket (a server reached over TCP may be another machine, where that pid is something
 * else), and the process must be a `postgres` one, of this user (another user's process cannot be
 * reniced without privilege: that is skipped).
 */
export function lowerBackendPriority(pid: number, nice: number): boolean {
  if (nice <= 0 || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) return false;
  } catch {
    return false;
  }
  return lower(pid, nice);
}

/**
 * Each connection of the worker's pool to a PostgreSQL on this host (a unix socket) gets its backend
 * lowered to the worker's priority as it opens (the pool's 'connect' event; pg knows the backend's
 * pid from the handshake). Connections over TCP are left alone: the server may be elsewhere.
 * Reaches into TypeORM's pg pool (`driver.master`, `_clients`): after an upgrade of either, check
 * the worker's start-up still lowers its backends (`bench/api/run.js --with-worker` prints them).
 */
export function lowerPoolBackendsPriority(ds: DataSource, nice: number): void {
  type PgClient = { processID?: number; host?: string };
  const pool = (ds.driver as unknown as { master?: { on(event: 'connect', cb: (c: PgClient) => void): void; _clients?: PgClient[] } })
    .master;
  if (!pool || nice <= 0) return;
  const lower = (c: PgClient) => {
    if (c.host?.startsWith('/') && c.processID) lowerBackendPriority(c.processID, nice);
  };
  pool.on('connect', lower);
  // The connection(s) opened while the app started.
  for (const c of pool._clients ?? []) lower(c);
}

function lower(pid: number, nice: number): boolean {
  try {
    // getPriority is not per-thread in Node, so read the thread's own from /proc where there is one.
    const current = pid ? threadNice(pid) : 0;
    if (current >= nice) return false;
    setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}

/** A task's nice value (field 19 of /proc/<tid>/stat; /proc/<pid>/stat for a process). */
function threadNice(tid: number): number {
  const path = tid === process.pid ? `/proc/self/stat` : `/proc/self/task/${tid}/stat`;
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    stat = readFileSync(`/proc/${tid}/stat`, 'utf8');
  }
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
