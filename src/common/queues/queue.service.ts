import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { RequestContext } from '../context/request-context';
import { withTimeout } from '../with-timeout';
import { JobName, JobOf, QueueName } from './queues';

/** Background re-tries of a failed enqueue: 1+2+4+8+15×20 s, about 5 minutes. */
const RETRY_ATTEMPTS = 24;
const MAX_PENDING_RETRIES = 10_000;

const DEFAULTS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Enqueue after the database transaction committed. Best effort by design: the row in Postgres
 * is the truth, and the worker's sweep re-enqueues anything whose job was lost (Redis down,
 * process killed between commit and enqueue). The job id is the row id, so a second enqueue of
 * the same row is a no-op.
 */
function withRequestId<T extends { requestId?: string }>(data: T): T {
  const requestId = data.requestId ?? RequestContext.requestId;
  return requestId ? { ...data, requestId } : data;
}

@Injectable()
export class QueueService implements OnModuleDestroy {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues: Record<QueueName, Queue>;
  constructor(
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Grading) grading: Queue,
    @InjectQueue(QueueName.Sweep) sweep: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
  ) {
    this.queues = { [QueueName.Mail]: mail, [QueueName.Grading]: grading, [QueueName.Sweep]: sweep, [QueueName.Webhooks]: webhooks };
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /** The job carries the request id of the context that enqueues it (its processor runs in it again). */
  async enqueue<N extends JobName>(queue: QueueName, name: N, payload: JobOf<N>, jobId: string, opts: JobsOptions = {}): Promise<boolean> {
    const data = withRequestId(payload);
    try {
      await withTimeout(this.queues[queue].add(name, data, { ...DEFAULTS, ...opts, jobId }), 2000, `enqueue ${queue}`);
      return true;
    } catch (e) {
      this.logger.warn(
        { queue, jobId, err: (e as Error).message },
        'enqueue failed; retrying in the background (the sweep is the backstop)',
      );
      this.retryLater(queue, name, data, jobId, opts, 0);
      return false;
    }
  }

  /**
   * enqueue(), coalesced: the jobs asked for during one turn of the event loop (several requests'
   * answers read from PostgreSQL in one wake-up) reach Redis as ONE `addBulk` (one MULTI, one
   * socket write) when the turn ends (`setImmediate`), instead of one command and one write each.
   * Resolves once the batch is in Redis, as enqueue() does, so a caller that awaits it answers
   * with its job queued; a lone job goes the way of enqueue(). Same best-effort semantics: a
   * failed batch retries each job in the background, and the sweep is the backstop (a process
   * that dies before the flush loses only jobs whose rows the sweep re-enqueues).
   */
  enqueueSoon<N extends JobName>(queue: QueueName, name: N, payload: JobOf<N>, jobId: string): Promise<boolean> {
    const data = withRequestId(payload);
    return new Promise((resolve) => {
      let batch = this.pending.get(queue);
      if (!batch) {
        batch = [];
        this.pending.set(queue, batch);
        setImmediate(() => void this.flush(queue));
      }
      batch.push({ name, data, jobId, resolve });
    });
  }

  private readonly pending = new Map<
    QueueName,
    Array<{ name: JobName; data: JobOf<JobName>; jobId: string; resolve: (ok: boolean) => void }>
  >();

  private async flush(queue: QueueName): Promise<void> {
    const batch = this.pending.get(queue) ?? [];
    this.pending.delete(queue);
    if (batch.length === 1) {
      const [j] = batch;
      j.resolve(await this.enqueue(queue, j.name, j.data, j.jobId));
      return;
    }
    try {
      await this.addBulk(queue, batch, 2000);
      for (const j of batch) j.resolve(true);
    } catch (e) {
      this.logger.warn(
        { queue, jobs: batch.length, err: (e as Error).message },
        'enqueue failed; retrying in the background (the sweep is the backstop)',
      );
      for (const j of batch) {
        this.retryLater(queue, j.name, j.data, j.jobId, {}, 0);
        j.resolve(false);
      }
    }
  }

  /**
   * After a failed enqueue (Redis restarting), try again from this process every 1 s, 2 s, …
   * (at most 15 s apart, for about 5 minutes), so work flows again within seconds of Redis
   * coming back instead of waiting for the sweep (a minute or more later). Best effort: lost if
   * the process dies, which the sweep covers. Bounded, and a second add of one job id is a no-op.
   */
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private retryLater<N extends JobName>(
    queue: QueueName,
    name: N,
    data: JobOf<N>,
    jobId: string,
    opts: JobsOptions,
    attempt: number,
  ): void {
    const key = `${queue}:${jobId}`;
    if (attempt >= RETRY_ATTEMPTS || (attempt === 0 && (this.retries.has(key) || this.retries.size >= MAX_PENDING_RETRIES))) return;
    const timer = setTimeout(
      async () => {
        this.retries.delete(key);
        try {
          await withTimeout(this.queues[queue].add(name, data, { ...DEFAULTS, ...opts, jobId }), 2000, `enqueue ${queue}`);
        } catch {
          this.retryLater(queue, name, data, jobId, opts, attempt + 1);
        }
      },
      Math.min(1000 * 2 ** attempt, 15_000),
    );
    timer.unref();
    this.retries.set(key, timer);
  }

  onModuleDestroy(): void {
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }

  /** Many jobs in one round trip (sweeps); same best-effort semantics as enqueue. */
  async enqueueBulk<N extends JobName>(queue: QueueName, name: N, jobs: Array<{ jobId: string; data: JobOf<N> }>): Promise<boolean> {
    try {
      for (let i = 0; i < jobs.length; i += 500) {
        const chunk = jobs.slice(i, i + 500);
        await this.addBulk(
          queue,
          chunk.map((j) => ({ name, data: withRequestId(j.data), jobId: j.jobId })),
          10_000,
        );
      }
      return true;
    } catch (e) {
      this.logger.warn({ queue, jobs: jobs.length, err: (e as Error).message }, 'bulk enqueue failed; the sweep will retry');
      return false;
    }
  }

  /** One `addBulk` (one MULTI, one socket write) of jobs whose data already carries its request id. */
  private addBulk(queue: QueueName, jobs: ReadonlyArray<{ name: JobName; data: JobOf<JobName>; jobId: string }>, timeoutMs: number) {
    return withTimeout(
      this.queues[queue].addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: { ...DEFAULTS, jobId: j.jobId } }))),
      timeoutMs,
      `enqueue ${queue}`,
    );
  }

  async depths(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    await Promise.all(
      Object.entries(this.queues).map(async ([name, q]) => {
        out[name] = await withTimeout(
          q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
          1000,
          'queue counts',
        );
      }),
    );
    return out;
  }
}
