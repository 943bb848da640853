import { Job } from 'bullmq';
import { RequestContext, SYSTEM_ACTOR } from '../context/request-context';

/**
 * Runs a job's work in a request context: the request id of the request (or sweep) that enqueued
 * it, else the job's own id; the actor is the system.
 */
export function runJob<T>(job: Job<{ requestId?: string }>, work: () => Promise<T>): Promise<T> {
  return RequestContext.run({ requestId: job.data.requestId ?? `job:${job.queueName}:${job.id}`, actor: SYSTEM_ACTOR }, work);
}
