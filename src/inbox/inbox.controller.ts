import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiController } from '../common/http/api-controller';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { TeamScope, Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { AssignInboundDto } from './dto/inbox.dto';
import { InboundMailService } from './inbound-mail.service';
import { scopedAttachment, sendAttachment } from './inbox-pages.controller';

/** The team mailbox: unmatched mail to assign or dismiss, attachments, the reader's state (docs/inbox.md). */
@ApiController('inbox', 'inbox')
@Roles(Role.Recruiter)
export class InboxController {
  constructor(
    private readonly inbound: InboundMailService,
    private readonly scope: TeamScope,
  ) {}

  /** Mail from the team mailbox that matched no application, newest first. */
  @Get('unmatched')
  @Unscoped()
  unmatched() {
    return this.inbound.unmatched();
  }

  /** Files an unmatched mail on an application (a message.received event; the reply clock starts). */
  @Post(':id/assign')
  @HttpCode(200)
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignInboundDto, @CurrentUser() me: Principal) {
    return this.inbound.assign(id, dto.applicationId, { kind: 'user', id: me.id });
  }

  /** Not about any application (spam, a vendor): off the unmatched list. */
  @Post(':id/dismiss')
  @HttpCode(204)
  @Unscoped()
  async dismiss(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal) {
    await this.inbound.dismiss(id, { kind: 'user', id: me.id });
  }

  /** Whether the mailbox is read: off (no IMAP_URL), up, or degraded with the error. */
  @Get('status')
  @Unscoped()
  @Roles(Role.Admin)
  status() {
    return this.inbound.status();
  }

  /** An attachment of a candidate's mail, as a download (never shown inline). */
  @Get(':id/attachments/:attachmentId')
  @Unscoped()
  @Roles(Role.Recruiter, Role.HiringManager)
  async attachment(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    sendAttachment(res, await scopedAttachment(this.inbound, this.scope, me, id, attachmentId));
  }
}
