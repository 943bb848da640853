import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { ChatService } from './chat.service';
import { CreateChatWebhookDto } from './dto/inbox.dto';

/** Chat notifications (admin): Slack, Teams and Mattermost incoming webhooks; the URL is never echoed. */
@ApiController('chat-webhooks', 'chat')
@Roles(Role.Admin)
@Unscoped()
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Get()
  list() {
    return this.chat.list();
  }

  @Post()
  create(@Body() dto: CreateChatWebhookDto, @CurrentUser() me: Principal) {
    return this.chat.create(dto, me.id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string) {
    await this.chat.remove(id);
  }

  /** The delivery log, newest first: each attempt's answer and what happens next. */
  @Get('deliveries')
  deliveries() {
    return this.chat.deliveries();
  }
}
