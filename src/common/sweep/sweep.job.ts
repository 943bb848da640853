import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { Clock } from '../clock/clock';
import { JobName, JobOf, QueueName } from '../queues/queues';
import { SweepRegistry } from './sweep.registry';

/** The repeatable sweep: every periodic check, as of the clock's now. */
@Processor(QueueName.Sweep, { concurrency: 1 })
export class SweepJob extends WorkerHost {
  private readonly logger = new Logger('SweepJob');
  constructor(
    private readonly registry: SweepRegistry,
    private readonly clock: Clock,
  ) {
    super();
  }
  async process(job: Job<JobOf<JobName.RunSweep>>) {
    const report = await this.registry.runAll(this.clock.now(), job.data.requestId);
    this.logger.log({ report, requestId: job.data.requestId }, 'sweep done');
    return report;
  }
}
