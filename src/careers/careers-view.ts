import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/fs/project-root';
import { ViewService } from '../web/view.service';
import { CareersService } from './careers.service';

/** The public careers pages have their own layout (company theme, Open Graph, JSON-LD), on the shared Handlebars engine. */
@Injectable()
export class CareersView {
  private readonly dir = path.join(projectRoot(), 'templates', 'careers');
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();
  constructor(
    private readonly views: ViewService,
    private readonly careers: CareersService,
  ) {}

  private tpl(name: string): HandlebarsTemplateDelegate {
    let t = this.cache.get(name);
    if (!t) {
      t = this.views.engine.compile(readFileSync(path.join(this.dir, `${name}.hbs`), 'utf8'));
      this.cache.set(name, t);
    }
    return t;
  }

  render(view: string, ctx: Record<string, unknown>): string {
    const cfg = this.careers.cfg;
    const company = {
      name: cfg.COMPANY_NAME,
      color: cfg.COMPANY_COLOR,
      url: cfg.COMPANY_URL,
      logo: cfg.COMPANY_LOGO_FILE ? '/careers/logo' : null,
    };
    const full = { ...ctx, company, baseUrl: this.careers.baseUrl };
    return this.tpl('layout')({ ...full, body: this.tpl(view)(full) });
  }
}
