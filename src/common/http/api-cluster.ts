import cluster, { Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Env } from '../config/env.schema';

/**
 * Node cluster mode for the API (API_WORKERS): the primary owns the embedded PostgreSQL and the
 * migrations, forks the workers (each a full Nest app; the listening socket is shared, the
 * primary hands out connections), restarts a worker that dies, and on SIGTERM/SIGINT stops the
 * workers gracefully before the database. The API keeps no state of its own, so workers need
 * no coordination, except /metrics, which asks the primary to gather the other workers'
 * per-process metrics (see MetricsService.render).
 */
export function apiWorkerCount(env: Pick<Env, 'API_WORKERS'>): number {
  return env.API_WORKERS ?? availableParallelism();
}

const REQ = 'hiring:metrics:req';
const LOCAL = 'hiring:metrics:local';
const LOCAL_RES = 'hiring:metrics:local-res';
const RES = 'hiring:metrics:res';
type Msg = { type?: string; id?: string; metrics?: unknown[] };

/**
 * Primary: relay a worker's metrics request to the other workers and hand back their answers
 * (4 s at most: a worker busy on a loaded machine can take a second or more to answer, and a
 * scrape that left it out would undercount; Prometheus waits 10 s for a scrape by default).
 */
export function relayMetricsRequests(timeoutMs = 4000): void {
  const pending = new Map<string, { from: Worker; waiting: Set<number>; metrics: unknown[]; timer: NodeJS.Timeout }>();
  const finish = (id: string) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    if (p.from.isConnected()) p.from.send({ type: RES, id, metrics: p.metrics });
  };
  cluster.on('message', (worker: Worker, msg: Msg) => {
    if (msg?.type === REQ && msg.id) {
      const others = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.id !== worker.id && w.isConnected());
      pending.set(msg.id, {
        from: worker,
        waiting: new Set(others.map((w) => w.id)),
        metrics: [],
        timer: setTimeout(() => finish(msg.id!), timeoutMs),
      });
      for (const w of others) w.send({ type: LOCAL, id: msg.id });
      if (!others.length) finish(msg.id);
    } else if (msg?.type === LOCAL_RES && msg.id) {
      const p = pending.get(msg.id);
      if (!p) return;
      p.metrics.push(msg.metrics ?? []);
      p.waiting.delete(worker.id);
      if (!p.waiting.size) finish(msg.id);
    }
  });
}

/** Worker: answer the primary's request for this process's own metrics. */
export function answerMetricsRequests(local: () => Promise<unknown[]>): void {
  if (!cluster.isWorker) return;
  process.on('message', (msg: Msg) => {
    if (msg?.type !== LOCAL || !msg.id) return;
    local()
      .catch(() => [])
      .then((metrics) => process.send?.({ type: LOCAL_RES, id: msg.id, metrics }));
  });
}

/**
 * Worker: the other workers' per-process metrics (an empty list outside cluster mode). Waits a
 * second longer than the primary's relay, so the answers the relay did gather are used.
 */
export function otherWorkersMetrics(timeoutMs = 5000): Promise<unknown[][]> {
  if (!cluster.isWorker || !process.send) return Promise.resolve([]);
  const id = randomUUID();
  return new Promise((resolve) => {
    const onMessage = (msg: Msg) => {
      if (msg?.type !== RES || msg.id !== id) return;
      done((msg.metrics ?? []) as unknown[][]);
    };
    const timer = setTimeout(() => done([]), timeoutMs);
    const done = (v: unknown[][]) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(v);
    };
    process.on('message', onMessage);
    process.send!({ type: REQ, id });
  });
}
