import { Body, DefaultValuePipe, Delete, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { badRequest } from '../common/errors/application.exception';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal } from '../identity/decorators';
import { CreateWebhookDto, RetentionSettingsDto, UpdateWebhookDto, WebhookSettingsDto } from './dto/webhook.dto';
import { SETTING, SettingsService } from './settings.service';
import { endpointDto, WebhooksService } from './webhooks.service';

const STATUSES = ['pending', 'delivering', 'succeeded', 'failed'];

/** Webhook endpoints (admin only: no @Roles means admin). */
@ApiController('webhooks', 'webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  async create(@Body() dto: CreateWebhookDto, @CurrentUser() me: Principal) {
    return endpointDto(await this.webhooks.create(dto, me.id));
  }

  @Get()
  async list() {
    return (await this.webhooks.list()).map(endpointDto);
  }

  @Get(':id')
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return endpointDto(await this.webhooks.get(id));
  }

  @Patch(':id')
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto) {
    return endpointDto(await this.webhooks.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.webhooks.remove(id);
  }

  /** The delivery log, newest first, each with its attempts and response codes. */
  @Get(':id/deliveries')
  deliveries(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('status') status?: string,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit = 50,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset = 0,
  ) {
    if (status && !STATUSES.includes(status)) throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    if (limit < 1 || limit > 200) throw badRequest('limit must be between 1 and 200');
    if (offset < 0) throw badRequest('offset must be 0 or more');
    return this.webhooks.deliveries(id, { status, limit, offset });
  }

  @Get(':id/deliveries/:deliveryId')
  delivery(@Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string) {
    return this.webhooks.deliveryOf(id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  redeliver(@Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string, @CurrentUser() me: Principal) {
    return this.webhooks.redeliver(id, deliveryId, me.id);
  }
}

/** Admin settings of integrations and data protection. */
@ApiController('settings', 'settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get('webhooks')
  webhooks() {
    return this.settings.webhooks();
  }

  @Put('webhooks')
  async putWebhooks(@Body() dto: WebhookSettingsDto, @CurrentUser() me: Principal) {
    await this.settings.set(SETTING.webhooksAllowPrivate, dto.allowPrivateTargets, me.id);
    return this.settings.webhooks();
  }

  /** The outbound guard shared by webhooks and calendars (`/settings/webhooks` is its older name). */
  @Get('outbound')
  outbound() {
    return this.settings.webhooks();
  }

  @Put('outbound')
  putOutbound(@Body() dto: WebhookSettingsDto, @CurrentUser() me: Principal) {
    return this.putWebhooks(dto, me);
  }

  @Get('retention')
  retention() {
    return this.settings.retention();
  }

  @Put('retention')
  async putRetention(@Body() dto: RetentionSettingsDto, @CurrentUser() me: Principal) {
    await this.settings.set(SETTING.retentionDefaultMonths, dto.defaultMonths, me.id);
    return this.settings.retention();
  }
}
