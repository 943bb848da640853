import { Injectable } from '@nestjs/common';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  MetricObjectWithValues,
  MetricValue,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import { answerMetricsRequests, otherWorkersMetrics } from '../common/http/api-cluster';
import { QueueService } from '../common/queues/queue.service';

/**
 * Prometheus metrics. Business gauges are read at scrape time from their source of truth
 * (queue counts from Redis, pipeline counts from PostgreSQL) so every API replica reports the
 * same numbers and nothing is lost when a process restarts.
 *
 * In cluster mode (API_WORKERS > 1) the worker serving a scrape reads the scrape-time gauges
 * once and adds the other workers' per-process metrics (HTTP latency histogram, process and
 * Node.js metrics), summed with prom-client's cluster aggregation, so one scrape describes the
 * whole API process group.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly collectors: Array<() => Promise<void>> = [];
  /** Gauges read from their source at scrape time: only the serving worker reports them. */
  private readonly scrapeTime = new Set<string>();

  constructor(private readonly queues: QueueService) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.scrapeTime.add('queue_jobs').add('queue_redis_up');
    answerMetricsRequests(async () => (await this.registry.getMetricsAsJSON()).filter((m) => !this.scrapeTime.has(m.name)));
    const depth = new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed, completed)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
    });
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
    this.scrapeTime.add(name);
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  async render(): Promise<string> {
    await Promise.all(this.collectors.map((c) => c().catch(() => undefined)));
    const others = await otherWorkersMetrics();
    if (!others.length) return this.registry.metrics();
    const own = await this.registry.getMetricsAsJSON();
    return AggregatorRegistry.aggregate([own, ...(others as Array<MetricObjectWithValues<MetricValue<string>>[]>)]).metrics();
  }
}
