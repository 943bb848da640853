import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INTEGRATIONS_CONFIG, parseIntegrationsConfig } from './integrations.config';
import { SettingsService } from './settings.service';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { PlatformSetting, WebhookEndpoint } from './webhook.entity';
import { TimelineModule } from '../timeline/timeline.module';
import { WebhookJob, WebhookPoller } from './webhook.job';
import { SettingsController, WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Webhooks (endpoints, signed delivery of the timeline's outbox with retries) and admin settings. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, PlatformSetting]), TimelineModule],
  controllers: [WebhooksController, SettingsController],
  providers: [
    { provide: INTEGRATIONS_CONFIG, useFactory: () => parseIntegrationsConfig(process.env) },
    SettingsService,
    WebhookDeliveryService,
    WebhooksService,
  ],
  exports: [INTEGRATIONS_CONFIG, SettingsService, WebhookDeliveryService, WebhooksService],
})
export class IntegrationsModule {}

/** Worker only: the webhooks queue consumer and the outbox poller. */
@Module({ imports: [IntegrationsModule], providers: [WebhookJob, WebhookPoller] })
export class IntegrationsWorkerModule {}
