import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationEvent, WebhookAttempt, WebhookDelivery } from './timeline.entity';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * The timeline: owner of `application_events` (append-only) and of the webhook outbox
 * (`webhook_deliveries`, `webhook_attempts`). It sits below pipeline, communications and
 * integrations: they write events through timeline.repository.ts (inside their own transaction
 * or statement) and the delivery worker moves deliveries through WebhookDeliveriesRepository.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApplicationEvent, WebhookDelivery, WebhookAttempt])],
  providers: [WebhookDeliveriesRepository],
  exports: [WebhookDeliveriesRepository],
})
export class TimelineModule {}
