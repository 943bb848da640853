import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobName, JobOf, QueueName } from '../common/queues/queues';
import { MailService } from './mail.service';

@Processor(QueueName.Mail, { concurrency: 4 })
export class MailJob extends WorkerHost {
  private readonly logger = new Logger(MailJob.name);
  constructor(private readonly mail: MailService) {
    super();
  }
  async process(job: Job<JobOf<JobName.DeliverMessage>>): Promise<string> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    this.logger.debug({ jobId: job.id, requestId: job.data.requestId }, 'delivering message');
    return this.mail.deliver(job.data.messageId, finalAttempt, job.data.requestId);
  }
}
