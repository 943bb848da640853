import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { ENV } from '../common/config/config.module';
import { Env } from '../common/config/env.schema';
import { badRequest, conflict, notFound } from '../common/errors/application.exception';
import { checkTarget, TargetRefused } from './http-post';
import { sealSecret } from './secret-box';
import { SettingsService } from './settings.service';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { DeliveryListRow, WebhookDeliveriesRepository } from '../timeline/webhook-deliveries.repository';
import { WebhookEndpoint } from './webhook.entity';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';

export function endpointDto(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function deliveryDto(r: DeliveryListRow) {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    applicationId: r.application_id,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
    redeliveryOf: r.redelivery_of,
    createdAt: r.created_at,
    payload: r.payload,
    log: (r.log ?? []).map((a) => ({
      attempt: a.attempt,
      at: a.at,
      statusCode: a.status_code,
      error: a.error,
      durationMs: a.duration_ms,
      response: a.response_excerpt,
    })),
  };
}

/** Admin management of webhook endpoints, their delivery log and redelivery. */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
    private readonly delivery: WebhookDeliveryService,
    private readonly deliveryRows: WebhookDeliveriesRepository,
    private readonly clock: Clock,
    @Inject(ENV) private readonly env: Env,
  ) {}

  private async vet(url: string): Promise<string> {
    try {
      await checkTarget(url, await this.settings.allowPrivateTargets());
    } catch (e) {
      if (e instanceof TargetRefused) throw badRequest(`url refused: ${e.message}`, { fields: [{ field: 'url', errors: [e.message] }] });
      throw e;
    }
    return new URL(url).toString();
  }

  async create(dto: CreateWebhookDto, userId: string): Promise<WebhookEndpoint> {
    const url = await this.vet(dto.url);
    const now = this.clock.now();
    const repo = this.ds.getRepository(WebhookEndpoint);
    const saved = await repo.save(
      repo.create({
        url,
        secretEnc: sealSecret(this.env.SESSION_SECRET, dto.secret),
        events: dto.events,
        description: dto.description ?? null,
        enabled: dto.enabled ?? true,
        createdBy: userId,
        createdAt: now,
        updatedAt: now,
      }),
    );
    return this.get(saved.id);
  }

  list(): Promise<WebhookEndpoint[]> {
    return this.ds.getRepository(WebhookEndpoint).find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<WebhookEndpoint> {
    const e = await this.ds.getRepository(WebhookEndpoint).findOne({ where: { id } });
    if (!e) throw notFound('Webhook');
    return e;
  }

  async update(id: string, dto: UpdateWebhookDto): Promise<WebhookEndpoint> {
    await this.get(id);
    const patch: Partial<WebhookEndpoint> = { updatedAt: this.clock.now() };
    if (dto.url !== undefined) patch.url = await this.vet(dto.url);
    if (dto.secret !== undefined) patch.secretEnc = sealSecret(this.env.SESSION_SECRET, dto.secret);
    if (dto.events !== undefined) patch.events = dto.events;
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.enabled !== undefined) patch.enabled = dto.enabled;
    await this.ds.getRepository(WebhookEndpoint).update({ id }, patch);
    return this.get(id);
  }

  /** Deletes the endpoint and its delivery log. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.ds.getRepository(WebhookEndpoint).delete({ id });
  }

  async deliveries(endpointId: string, q: { status?: string; limit: number; offset: number }) {
    await this.get(endpointId);
    const rows = await this.deliveryRows.list(endpointId, q);
    return rows.map(deliveryDto);
  }

  async deliveryOf(endpointId: string, deliveryId: string) {
    const row = await this.deliveryRows.one(endpointId, deliveryId);
    if (!row) throw notFound('Delivery');
    return deliveryDto(row);
  }

  /** A new delivery of the same payload (same event id) to the same endpoint, due now. */
  async redeliver(endpointId: string, deliveryId: string, userId: string) {
    const endpoint = await this.get(endpointId);
    if (!endpoint.enabled) throw conflict('The endpoint is disabled; enable it first');
    const now = this.clock.now();
    const id = await this.deliveryRows.redeliver(endpointId, deliveryId, now, userId);
    if (!id) throw notFound('Delivery');
    await this.delivery.enqueue(id);
    return this.deliveryOf(endpointId, id);
  }
}
