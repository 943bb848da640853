import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, JobOf, QueueName } from '../common/queues/queues';
import { runJob } from '../common/queues/run-job';
import { MAIL_CONCURRENCY, MailService } from './mail.service';

@Processor(QueueName.Mail, { concurrency: MAIL_CONCURRENCY })
export class MailJob extends WorkerHost {
  private readonly logger = new Logger(MailJob.name);
  constructor(private readonly mail: MailService) {
    super();
  }
  async process(job: Job<JobOf<JobName.DeliverMessage>>): Promise<string> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return runJob(job, () => {
      this.logger.debug({ jobId: job.id }, 'delivering message');
      return this.mail.deliver(job.data.messageId, finalAttempt);
    });
  }
}
