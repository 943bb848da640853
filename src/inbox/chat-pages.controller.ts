import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { field, formAction, validated } from '../web/flash';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { ChatService } from './chat.service';
import { CHAT_FLAVORS, CHAT_KIND_WORDS, CHAT_KINDS, ChatKind, FLAVOR_WORDS } from './domain/chat';
import { CreateChatWebhookDto } from './dto/inbox.dto';
import { InboundMailService } from './inbound-mail.service';

const DELIVERY_WORDS: Record<string, string> = { pending: 'waiting to be sent', succeeded: 'delivered', failed: 'failed' };

/** `/admin/chat`: chat webhooks (add, remove, the delivery log) and the team mailbox's state. */
@ApiExcludeController()
@Controller('admin/chat')
@Roles(Role.Admin)
@Unscoped()
export class ChatPagesController {
  constructor(
    private readonly chat: ChatService,
    private readonly inbound: InboundMailService,
    private readonly views: ViewService,
    private readonly identity: IdentityService,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const [hooks, deliveries, mailbox] = await Promise.all([this.chat.list(), this.chat.deliveries(), this.inbound.status()]);
    const ctx = pageContext(req, this.identity, res);
    const values = ctx.flash?.form === 'chat' ? (ctx.flash.values ?? {}) : {};
    return this.views.render('admin-chat', {
      title: 'Chat and mailbox',
      section: 'admin-chat',
      ...ctx,
      hooks: hooks.map((h) => ({
        ...h,
        flavorText: FLAVOR_WORDS[h.flavor],
        kindsText: h.kinds.map((k) => CHAT_KIND_WORDS[k as ChatKind] ?? k).join('; '),
      })),
      deliveries: deliveries.map((d: Record<string, unknown>) => ({ ...d, statusText: DELIVERY_WORDS[d.status as string] ?? d.status })),
      flavors: CHAT_FLAVORS.map((f) => ({ value: f, label: FLAVOR_WORDS[f], selected: values.flavor === f })),
      kinds: CHAT_KINDS.map((k) => ({ value: k, label: CHAT_KIND_WORDS[k] })),
      name: values.name ?? '',
      mailbox,
      mailboxOff: mailbox.state === 'off',
      mailboxUp: mailbox.state === 'up',
    });
  }

  @Post()
  async create(@Body() body: Record<string, unknown>, @CurrentUser() me: Principal, @Res() res: Response) {
    const kinds = Array.isArray(body.kinds) ? body.kinds.map(String) : typeof body.kinds === 'string' ? [body.kinds] : [];
    await formAction(
      res,
      // The URL is a secret: never sent back into the form.
      { to: '/admin/chat', back: '/admin/chat', ok: 'Chat webhook added', form: 'chat', values: { name: body.name, flavor: body.flavor } },
      async () => {
        const dto = await validated(CreateChatWebhookDto, {
          name: field(body, 'name') ?? '',
          flavor: field(body, 'flavor') ?? '',
          url: field(body, 'url') ?? '',
          kinds,
        });
        return this.chat.create(dto, me.id);
      },
    );
  }

  @Post(':id/delete')
  async remove(@Param('id', ParseUUIDPipe) id: string, @Res() res: Response) {
    await formAction(res, { to: '/admin/chat', back: '/admin/chat', ok: 'Chat webhook removed' }, () => this.chat.remove(id));
  }
}
