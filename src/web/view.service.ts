import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/fs/project-root';
import { PAGE_LOCALS } from './page-locals';

/** Server-rendered Handlebars pages (templates/pages), escaped by default, in one layout. */
@Injectable()
export class ViewService {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();
  private readonly dir = path.join(projectRoot(), 'templates', 'pages');
  private readonly layout: HandlebarsTemplateDelegate;

  constructor() {
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('json', (v: unknown) => new Handlebars.SafeString(JSON.stringify(v).replace(/</g, '\\u003c')));
    this.hbs.registerHelper('date', (v: unknown) => (v ? new Date(v as string).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : ''));
    const partials = path.join(this.dir, 'partials');
    try {
      if (statSync(partials).isDirectory()) {
        for (const f of readdirSync(partials)) this.hbs.registerPartial(f.replace(/\.hbs$/, ''), readFileSync(path.join(partials, f), 'utf8'));
      }
    } catch {
      /* no partials */
    }
    this.layout = this.hbs.compile(readFileSync(path.join(this.dir, 'layout.hbs'), 'utf8'));
  }

  render(view: string, ctx: Record<string, unknown>): string {
    let tpl = this.cache.get(view);
    if (!tpl) {
      tpl = this.hbs.compile(readFileSync(path.join(this.dir, `${view}.hbs`), 'utf8'));
      this.cache.set(view, tpl);
    }
    const locals = PAGE_LOCALS.getStore();
    if (locals) ctx = { ...locals, ...ctx };
    return this.layout({ ...ctx, body: tpl(ctx) });
  }

  /** Raw Handlebars (for modules that render fragments, e.g. syntax-highlighted files). */
  get engine(): typeof Handlebars {
    return this.hbs;
  }
}
