import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { JobName, JobOf, QueueName } from '../common/queues/queues';
import { runJob } from '../common/queues/run-job';
import { timed } from '../common/timing/step-times';
import { SandboxService } from '../sandbox';
import { GradingService } from './grading.service';

/**
 * Grading queue consumer (workers whose WORKER_QUEUES include grading). Concurrency comes from
 * GRADING_CONCURRENCY. A worker killed mid-run leaves a stalled job that BullMQ hands to another
 * worker; that run waits for the dead run's lease (45 s after its last heartbeat, retrying with
 * backoff), and the sweep resets expired leases and re-enqueues lost jobs.
 */
@Processor(QueueName.Grading, { concurrency: 1, maxStalledCount: 2 })
export class GradingJob extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(GradingJob.name);
  constructor(
    private readonly grading: GradingService,
    private readonly sandbox: SandboxService,
    @Inject(ENV) private readonly env: Env,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // The decorator runs at import time, before the environment is loaded; apply it here.
    this.worker.concurrency = this.env.GRADING_CONCURRENCY;
    // One container started ahead per slot, so a grading skips container create + start.
    this.sandbox.keepWarm(this.env.GRADING_CONCURRENCY);
  }

  async process(job: Job<JobOf<JobName.GradeSubmission>>): Promise<string> {
    return runJob(job, () => {
      this.logger.debug({ jobId: job.id, submissionId: job.data.submissionId, attempt: job.attemptsMade + 1 }, 'grading submission');
      return timed('job (grade)', () => this.grading.grade(job.data.submissionId));
    });
  }
}
