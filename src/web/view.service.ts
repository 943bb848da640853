import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/fs/project-root';
import { PAGE_LOCALS } from './page-locals';
import {
  deliveryName,
  describeEvent,
  TimelineEvent,
  formatDay,
  formatMoney,
  formatTime,
  humanize,
  roleName,
  sourceName,
  StageLike,
  stageName,
  statusName,
} from './format';

type Root = {
  user?: { timezone?: string };
  viewerZone?: string;
  opening?: { stages?: StageLike[] };
  stages?: StageLike[];
  people?: Record<string, string>;
};
const rootOf = (options: unknown): Root => (options as { data?: { root?: Root } })?.data?.root ?? {};
/** Helpers take an optional last argument; Handlebars always passes its options object last. */
const args = (a: unknown[]): unknown[] => a.slice(0, -1);

/**
 * Plain-words helpers, registered once for every page template:
 *  - {{date at}}: the instant in the viewer's zone, zone named (the signed-in user's zone, or
 *    `viewerZone` from the page's context, e.g. the candidate's on portal pages; else UTC);
 *    {{timeIn at zone}} in a given zone.
 *  - {{stageLabel key}} (the page's `opening.stages` or `stages`, or pass them: {{stageLabel key stages}}),
 *    {{roleName role}}, {{statusName status}}, {{sourceName kind}}, {{deliveryName status}}, {{humanize key}}.
 *  - {{money amount currency}}, {{localDay "2027-05-03"}}, {{eventText event}} (a timeline event as a sentence,
 *    naming staff from the page's `people` map {id: name}).
 */
export function registerPlainWords(hbs: typeof Handlebars): void {
  hbs.registerHelper('date', (v: unknown, options: unknown) => {
    const root = rootOf(options);
    return formatTime(v, root.viewerZone ?? root.user?.timezone);
  });
  hbs.registerHelper('timeIn', (...a: unknown[]) => formatTime(a[0], args(a)[1]));
  hbs.registerHelper('stageLabel', (...a: unknown[]) => {
    const root = rootOf(a[a.length - 1]);
    const given = args(a)[1] as StageLike[] | undefined;
    return stageName(a[0], given ?? root.opening?.stages ?? root.stages);
  });
  /** {{#if (hasRole user "recruiter" "hiring_manager")}}: any of the roles (administrators have all). */
  hbs.registerHelper('hasRole', (...a: unknown[]) => {
    const roles = ((a[0] as { roles?: string[] } | undefined)?.roles ?? []) as string[];
    return (
      roles.includes('admin') ||
      args(a)
        .slice(1)
        .some((r) => roles.includes(String(r)))
    );
  });
  /** {{flashFor "stages"}}: the refusal of that form, shown beside it (role=alert), with each problem listed. */
  hbs.registerHelper('flashFor', (form: unknown, options: unknown) => {
    const flash = (rootOf(options) as { flash?: { kind: string; text: string; form?: string; violations?: Array<{ message: string }> } })
      .flash;
    if (!flash || flash.form !== form) return '';
    const e = Handlebars.escapeExpression;
    const list = flash.violations?.length ? `<ul>${flash.violations.map((v) => `<li>${e(v.message)}</li>`).join('')}</ul>` : '';
    return new Handlebars.SafeString(`<div class="flash ${e(flash.kind)}" role="alert"><p>${e(flash.text)}</p>${list}</div>`);
  });
  hbs.registerHelper('concat', (...a: unknown[]) => args(a).map(String).join(''));
  hbs.registerHelper('gte', (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a >= b);
  hbs.registerHelper('inc', (a: unknown) => Number(a) + 1);
  hbs.registerHelper('roleName', (v: unknown) => roleName(v));
  hbs.registerHelper('statusName', (v: unknown) => statusName(v));
  hbs.registerHelper('sourceName', (v: unknown) => sourceName(v));
  hbs.registerHelper('deliveryName', (v: unknown) => deliveryName(v));
  hbs.registerHelper('humanize', (v: unknown) => humanize(v));
  hbs.registerHelper('money', (amount: unknown, currency: unknown) => formatMoney(amount, currency));
  hbs.registerHelper('localDay', (v: unknown) => formatDay(v));
  hbs.registerHelper('eventText', (e: TimelineEvent, options: unknown) => {
    const root = rootOf(options);
    return describeEvent(e, { stages: root.opening?.stages ?? root.stages, people: root.people });
  });
}

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
    registerPlainWords(this.hbs);
    const partials = path.join(this.dir, 'partials');
    try {
      if (statSync(partials).isDirectory()) {
        for (const f of readdirSync(partials))
          this.hbs.registerPartial(f.replace(/\.hbs$/, ''), readFileSync(path.join(partials, f), 'utf8'));
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
