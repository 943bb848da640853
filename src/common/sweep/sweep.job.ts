import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { Clock } from '../clock/clock';
import { JobName, JobOf, QueueName } from '../queues/queues';
import { runJob } from '../queues/run-job';
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
    return runJob(job, async () => {
      const report = await this.registry.runAll(this.clock.now());
      this.logger.log({ report }, 'sweep done');
      return report;
    });
  }
}
