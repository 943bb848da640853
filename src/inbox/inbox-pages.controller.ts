import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { notFound } from '../common/errors/application.exception';
import { attachmentDisposition } from '../common/http/content-disposition';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { TeamScope, Unscoped } from '../identity/team-scope';
import { Role } from '../identity/user.entity';
import { field, formAction, validated } from '../web/flash';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { AssignInboundDto } from './dto/inbox.dto';
import { InboundMailService } from './inbound-mail.service';

/**
 * `/inbox`: mail from the team mailbox that matched no application, for recruiters to file on the
 * right application or dismiss (the same service as the JSON routes; works without JavaScript).
 */
@ApiExcludeController()
@Controller('inbox')
@Roles(Role.Recruiter)
@Unscoped()
export class InboxPagesController {
  constructor(
    private readonly inbound: InboundMailService,
    private readonly views: ViewService,
    private readonly identity: IdentityService,
    private readonly scope: TeamScope,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentUser() me: Principal) {
    const [mail, applications, status] = await Promise.all([
      this.inbound.unmatched(),
      this.inbound.assignable(this.scope.viewer(me)),
      this.inbound.status(),
    ]);
    return this.views.render('inbox-unmatched', {
      title: 'Unmatched mail',
      ...pageContext(req, this.identity, res),
      mail: mail.map((m, i) => ({ ...m, n: i + 1 })),
      applications,
      status,
      off: status.state === 'off',
      degraded: status.state === 'degraded',
    });
  }

  @Post(':id/assign')
  async assign(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
    @Res() res: Response,
  ) {
    await formAction(res, { to: '/inbox', back: '/inbox', ok: 'Filed on the application', form: 'unmatched', values: body }, async () => {
      const dto = await validated(AssignInboundDto, { applicationId: field(body, 'applicationId') ?? '' });
      await this.scope.assertApplication(me, dto.applicationId);
      return this.inbound.assign(id, dto.applicationId, { kind: 'user', id: me.id });
    });
  }

  @Post(':id/dismiss')
  async dismiss(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: Principal, @Res() res: Response) {
    await formAction(res, { to: '/inbox', back: '/inbox', ok: 'Dismissed', form: 'unmatched' }, () =>
      this.inbound.dismiss(id, { kind: 'user', id: me.id }),
    );
  }

  /** An attachment of a candidate's mail, for the application page (signed-in staff on its team). */
  @Get(':id/attachments/:attachmentId')
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

/**
 * An attachment the signed-in person may fetch: of a matched mail, for staff on its application's
 * team; of unmatched mail, for recruiters and admins (who file it). Shared by the page and the API.
 */
export async function scopedAttachment(inbound: InboundMailService, scope: TeamScope, me: Principal, id: string, attachmentId: string) {
  const a = await inbound.attachment(id, attachmentId);
  if (a.applicationId) await scope.assertApplication(me, a.applicationId);
  else if (!me.roles.includes(Role.Recruiter) && !me.roles.includes(Role.Admin)) throw notFound('Attachment');
  return a;
}

/** Always a download (never rendered inline): the content type is not trusted. */
export function sendAttachment(res: Response, a: { filename: string; content: Buffer }): void {
  res.setHeader('content-type', 'application/octet-stream');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-disposition', attachmentDisposition(a.filename));
  res.end(a.content);
}
