import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QueueService } from '../common/queues/queue.service';

/**
 * Prometheus metrics. Business gauges are read at scrape time from their source of truth
 * (queue counts from Redis, pipeline counts from PostgreSQL) so every API replica reports the
 * same numbers and nothing is lost when a process restarts.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly collectors: Array<() => Promise<void>> = [];

  constructor(private readonly queues: QueueService) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const depth = new Gauge({ name: 'queue_jobs', help: 'Jobs per queue and state (waiting, active, delayed, failed, completed)', labelNames: ['queue', 'state'], registers: [this.registry] });
    const up = new Gauge({ name: 'queue_redis_up', help: '1 when queue counts could be read from Redis', registers: [this.registry] });
    this.addCollector(async () => {
      try {
        const all = await this.queues.depths();
        depth.reset();
        for (const [queue, counts] of Object.entries(all)) for (const [state, n] of Object.entries(counts)) depth.set({ queue, state }, n);
        up.set(1);
      } catch {
        up.set(0);
      }
    });
  }

  /** Other modules register scrape-time collectors (gauges read from Postgres). */
  addCollector(fn: () => Promise<void>): void {
    this.collectors.push(fn);
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map((c) => c().catch(() => undefined)));
    return this.registry.metrics();
  }
}
