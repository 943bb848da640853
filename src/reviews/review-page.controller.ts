import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import hljs from 'highlight.js';
import { ApplicationException, ErrorCode } from '../common/errors/application.exception';
import { formatInZone } from '../communications/ics';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { displayLanguage } from './domain';
import { ReviewsService } from './reviews.service';

const LANG_BY_EXT: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  py: 'python',
  json: 'json',
  md: 'markdown',
};

/** Highlight one file and split it into numbered lines (highlight.js escapes the source). */
export function highlightLines(path: string, content: string): string[] {
  const lang = LANG_BY_EXT[path.split('.').pop() ?? ''];
  const html = lang
    ? hljs.highlight(content, { language: lang, ignoreIllegals: true }).value
    : content.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // Re-open spans that cross line breaks so each line is well-formed on its own.
  const out: string[] = [];
  const open: string[] = [];
  for (const line of html.split('\n')) {
    const prefix = open.join('');
    const tags = line.match(/<span[^>]*>|<\/span>/g) ?? [];
    for (const t of tags) {
      if (t.startsWith('</')) open.pop();
      else open.push(t);
    }
    out.push(prefix + line + '</span>'.repeat(open.length));
  }
  return out;
}

/** Who may record a review's outcome: the assigned engineer, a hiring manager or an admin (as the API). */
export function mayDecideReview(me: Pick<Principal, 'id' | 'roles'>, reviewerId: string): boolean {
  return (
    me.roles.includes(Role.Admin) || me.roles.includes(Role.HiringManager) || (me.roles.includes(Role.Engineer) && me.id === reviewerId)
  );
}

const STATUS_WORDS: Record<string, string> = { scheduled: 'scheduled', completed: 'decided', cancelled: 'cancelled' };
const DECISION_WORDS: Record<string, string> = { advance: 'move on', reject: 'reject' };

@ApiExcludeController()
@Controller('reviews')
@Roles(Role.Engineer, Role.HiringManager, Role.Recruiter)
export class ReviewPageController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly views: ViewService,
    private readonly identity: IdentityService,
  ) {}

  /** "My reviews": the reviews assigned to the signed-in engineer, the scheduled ones soonest first. */
  @Get()
  @Roles(Role.Engineer)
  @Header('content-type', 'text/html; charset=utf-8')
  async mine(@Req() req: Request, @CurrentUser() me: Principal) {
    const rows = await this.reviews.forReviewer(me.id);
    const items = rows.map((r) => ({
      ...r,
      when: formatInZone(r.startsAt, me.timezone || 'UTC', r.endsAt),
      languageName: displayLanguage(r.language),
      statusText: STATUS_WORDS[r.status] ?? r.status,
      decisionText: r.decision ? DECISION_WORDS[r.decision] : null,
    }));
    return this.views.render('my-reviews', {
      title: 'My reviews',
      ...pageContext(req, this.identity),
      upcoming: items.filter((r) => r.status === 'scheduled'),
      past: items.filter((r) => r.status !== 'scheduled'),
      zone: me.timezone || 'UTC',
    });
  }

  @Get(':id')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @CurrentUser() me: Principal) {
    return this.render(id, req, me);
  }

  private async render(id: string, req: Request, me: Principal, form: { error?: string; notes?: string } = {}) {
    const p = await this.reviews.packet(id);
    const files = p.files.map((f) => ({
      path: f.path,
      isFocus: p.focus?.file === f.path,
      lines: highlightLines(f.path, f.content).map((html, i) => ({
        n: i + 1,
        html,
        focus: !!p.focus && p.focus.file === f.path && i + 1 >= p.focus.startLine && i + 1 <= p.focus.endLine,
      })),
    }));
    files.sort((a, b) => Number(b.isFocus) - Number(a.isFocus));
    return this.views.render('review', {
      title: `Review: ${p.candidate.name}`,
      ...pageContext(req, this.identity),
      p,
      files,
      result: p.result as Record<string, unknown> | null,
      when: formatInZone(p.startsAt, me.timezone || 'UTC', p.endsAt),
      languageName: displayLanguage(p.language),
      statusText: STATUS_WORDS[p.status] ?? p.status,
      decisionText: p.decision ? DECISION_WORDS[p.decision] : null,
      mayDecide: mayDecideReview(me, p.reviewerId),
      formError: form.error,
      notes: form.notes,
    });
  }

  @Post(':id/outcome')
  @Roles(Role.Engineer, Role.HiringManager)
  async outcome(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, string>,
    @CurrentUser() me: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const decision = body.decision === 'reject' ? 'reject' : 'advance';
    const notes = String(body.notes ?? '').slice(0, 10000);
    try {
      // The assigned reviewer, the opening's hiring manager or an admin (the same check as the JSON route).
      await this.reviews.assertDecider(id, me);
      await this.reviews.outcome(id, { decision, notes: notes.trim() || '(no notes)' }, { kind: 'user', id: me.id });
      res.redirect(303, `/reviews/${id}?decided=1#outcome`);
    } catch (e) {
      // Refused (not yours, already decided, cancelled): the page again with the reason and the notes kept.
      if (!(e instanceof ApplicationException) || e.code === ErrorCode.NotFound) throw e;
      res
        .status(e.status)
        .type('html')
        .send(await this.render(id, req, me, { error: e.message, notes }));
    }
  }
}
