import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INTEGRATIONS_CONFIG, parseIntegrationsConfig } from './integrations.config';
import { SettingsService } from './settings.service';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { PlatformSetting, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity';
import { WebhookJob, WebhookPoller } from './webhook.job';
import { SettingsController, WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Webhooks (endpoints, the delivery outbox, signed delivery with retries) and admin settings. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookAttempt, PlatformSetting])],
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
