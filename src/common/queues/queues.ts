import { RedisOptions } from 'ioredis';

/** Queue names. Never rename one without a migration plan for jobs already in Redis. */
export enum QueueName {
  Mail = 'mail',
  Grading = 'grading',
  Sweep = 'sweep',
  Webhooks = 'webhooks',
}
export const ALL_QUEUES = Object.values(QueueName);

export enum JobName {
  DeliverMessage = 'deliver-message',
  GradeSubmission = 'grade-submission',
  RunSweep = 'run-sweep',
  DeliverWebhook = 'deliver-webhook',
}

/**
 * Payloads carry ids only (state lives in Postgres) plus the request id for log correlation, which
 * QueueService.enqueue copies from the request context; the processor runs in it again (runJob).
 */
export interface JobPayloads {
  [JobName.DeliverMessage]: { messageId: string; requestId?: string };
  [JobName.GradeSubmission]: { submissionId: string; requestId?: string };
  [JobName.RunSweep]: { requestId?: string };
  [JobName.DeliverWebhook]: { deliveryId: string; requestId?: string };
}
export type JobOf<N extends JobName> = JobPayloads[N];

export function redisOptions(url: string, extra: RedisOptions = {}): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    ...extra,
  };
}
