import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import hljs from 'highlight.js';
import { CurrentUser, Principal, Roles } from '../identity/decorators';
import { IdentityService } from '../identity/identity.service';
import { Role } from '../identity/user.entity';
import { pageContext } from '../web/page-context';
import { ViewService } from '../web/view.service';
import { ReviewsService } from './reviews.service';

const LANG_BY_EXT: Record<string, string> = { js: 'javascript', mjs: 'javascript', cjs: 'javascript', ts: 'typescript', py: 'python', json: 'json', md: 'markdown' };

/** Highlight one file and split it into numbered lines (highlight.js escapes the source). */
export function highlightLines(path: string, content: string): string[] {
  const lang = LANG_BY_EXT[path.split('.').pop() ?? ''];
  const html = lang ? hljs.highlight(content, { language: lang, ignoreIllegals: true }).value : content.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // Re-open spans that cross line breaks so each line is well-formed on its own.
  const out: string[] = [];
  let open: string[] = [];
  for (const line of html.split('\n')) {
    const prefix = open.join('');
    const tags = line.match(/<span[^>]*>|<\/span>/g) ?? [];
    for (const t of tags) t.startsWith('</') ? open.pop() : open.push(t);
    out.push(prefix + line + '</span>'.repeat(open.length));
  }
  return out;
}

@ApiExcludeController()
@Controller('reviews')
@Roles(Role.Engineer, Role.HiringManager, Role.Recruiter)
export class ReviewPageController {
  constructor(private readonly reviews: ReviewsService, private readonly views: ViewService, private readonly identity: IdentityService) {}

  @Get(':id')
  @Header('content-type', 'text/html; charset=utf-8')
  async page(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request) {
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
    return this.views.render('review', { title: `Review: ${p.candidate.name}`, ...pageContext(req, this.identity), p, files, result: p.result as Record<string, unknown> | null });
  }

  @Post(':id/outcome')
  @Roles(Role.Engineer, Role.HiringManager)
  async outcome(@Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, string>, @CurrentUser() me: Principal, @Res() res: Response) {
    await this.reviews.assertDecider(id, me);
    const decision = body.decision === 'reject' ? 'reject' : 'advance';
    await this.reviews.outcome(id, { decision, notes: String(body.notes ?? '').slice(0, 10000) || '(no notes)' }, { kind: 'user', id: me.id });
    res.redirect(303, `/reviews/${id}`);
  }
}
