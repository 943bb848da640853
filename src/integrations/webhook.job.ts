import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job } from 'bullmq';
import { Clock } from '../common/clock/clock';
import { JobName, JobOf, QueueName } from '../common/queues/queues';
import { runJob } from '../common/queues/run-job';
import { INTEGRATIONS_CONFIG, IntegrationsConfig } from './integrations.config';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** One delivery attempt per job (job id = delivery id). */
@Processor(QueueName.Webhooks, { concurrency: 8 })
export class WebhookJob extends WorkerHost {
  constructor(private readonly deliveries: WebhookDeliveryService) {
    super();
  }
  process(job: Job<JobOf<JobName.DeliverWebhook>>): Promise<string> {
    return runJob(job, () => this.deliveries.attempt(job.data.deliveryId));
  }
}

/**
 * Deliveries are written inside the event's transaction, where nothing can be enqueued after
 * commit; the worker polls for due rows every WEBHOOKS_POLL_MS (2 s by default) instead. Every
 * worker polls; the job id makes the extra adds no-ops.
 */
@Injectable()
export class WebhookPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookPoller');
  private timer?: NodeJS.Timeout;
  private running = false;
  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly clock: Clock,
    @Inject(INTEGRATIONS_CONFIG) private readonly cfg: IntegrationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.cfg.WEBHOOKS_POLL_MS);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.deliveries.dispatchDue(this.clock.now());
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'webhook poll failed; retrying on the next tick');
    } finally {
      this.running = false;
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
