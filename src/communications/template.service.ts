import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { ENV } from '../common/config/config.module';
import { Env, publicUrl } from '../common/config/env.schema';
import { linkVariableProblems } from './domain/link-variables';
import { ApplicationException, ErrorCode, badRequest } from '../common/errors/application.exception';
import { projectRoot } from '../common/fs/project-root';
import { MessageTemplate } from './message.entity';
import { TEMPLATES } from './template-registry';

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}
interface Source {
  subject: string;
  html: string;
  text: string;
}
type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };

/** Handlebars for every message: files under templates/, overridable per opening (validated on save). */
@Injectable()
export class TemplateService {
  private readonly hbs = Handlebars.create();
  private readonly textHbs = Handlebars.create();
  private readonly files = new Map<string, Compiled>();
  private readonly layouts: Record<string, { html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate }> = {};
  private readonly dir = path.join(projectRoot(), 'templates');

  constructor(
    @InjectRepository(MessageTemplate) private readonly overrides: Repository<MessageTemplate>,
    @Inject(ENV) private readonly env: Env,
  ) {
    for (const file of readdirSync(path.join(this.dir, 'partials'))) {
      const name = file.replace(/\.hbs$/, '');
      const src = readFileSync(path.join(this.dir, 'partials', file), 'utf8');
      this.hbs.registerPartial(name, src);
      this.textHbs.registerPartial(name, src);
    }
    for (const audience of ['candidate', 'staff']) {
      const base = audience === 'candidate' ? 'email' : 'staff';
      this.layouts[audience] = {
        html: this.hbs.compile(this.read(`layouts/${base}.html.hbs`)),
        text: this.textHbs.compile(this.read(`layouts/${base}.text.hbs`), { noEscape: true }),
      };
    }
  }

  private read(rel: string): string {
    return readFileSync(path.join(this.dir, rel), 'utf8');
  }

  defaultSource(key: string): Source {
    return {
      subject: this.read(`messages/${key}.subject.hbs`).trim(),
      html: this.read(`messages/${key}.html.hbs`),
      text: this.read(`messages/${key}.text.hbs`),
    };
  }

  private compile(src: Source, strict = false): Compiled {
    return {
      subject: this.textHbs.compile(src.subject, { noEscape: true, strict }),
      html: this.hbs.compile(src.html, { strict }),
      text: this.textHbs.compile(src.text, { noEscape: true, strict }),
    };
  }

  private fileTemplate(key: string): Compiled {
    let c = this.files.get(key);
    if (!c) {
      c = this.compile(this.defaultSource(key));
      this.files.set(key, c);
    }
    return c;
  }

  /** Render a message, preferring the opening's override. */
  async render(
    key: string,
    context: Record<string, unknown>,
    openingId?: string | null,
    manager?: EntityManager,
  ): Promise<RenderedMessage> {
    const def = TEMPLATES[key];
    if (!def) throw new Error(`unknown message template ${key}`);
    const tpl = (await this.overrideFor(openingId ?? null, key, manager)) ?? this.fileTemplate(key);
    return this.renderWith(tpl, def.audience, { company: { name: this.companyName() }, ...context });
  }

  /** Overrides are cached for a few seconds (sweeps render thousands of messages); saving clears the cache. */
  private readonly overrideCache = new Map<string, { at: number; tpl: Compiled | null }>();
  private async overrideFor(openingId: string | null, key: string, manager?: EntityManager): Promise<Compiled | null> {
    const cacheKey = `${openingId ?? '-'}:${key}`;
    const hit = this.overrideCache.get(cacheKey);
    if (hit && Date.now() - hit.at < 5000) return hit.tpl;
    const repo = manager ? manager.getRepository(MessageTemplate) : this.overrides;
    const row = await repo.findOne({ where: { openingId: openingId ?? IsNull(), key } });
    const tpl = row ? this.compile(row) : null;
    if (this.overrideCache.size > 5000) this.overrideCache.clear();
    this.overrideCache.set(cacheKey, { at: Date.now(), tpl });
    return tpl;
  }

  /**
   * Reads the openings' overrides of `key` in one query into the cache that overrideFor() reads
   * (a sweep's first page names most openings at once: one round trip instead of one per opening).
   */
  async preloadOverrides(key: string, openingIds: readonly string[]): Promise<void> {
    const now = Date.now();
    const missing = [...new Set(openingIds)].filter((id) => {
      const hit = this.overrideCache.get(`${id}:${key}`);
      return !hit || now - hit.at >= 5000;
    });
    if (!missing.length) return;
    const rows = await this.overrides.find({ where: { key, openingId: In(missing) } });
    const byOpening = new Map(rows.map((r) => [r.openingId, r]));
    if (this.overrideCache.size + missing.length > 5000) this.overrideCache.clear();
    for (const id of missing) {
      const row = byOpening.get(id);
      this.overrideCache.set(`${id}:${key}`, { at: now, tpl: row ? this.compile(row) : null });
    }
  }

  /**
   * render() for many recipients whose contexts differ only in a few string values (`slots`:
   * dotted paths into `context`, e.g. `candidate.name`; the function returned takes one recipient's
   * values, `vals[j]` being its value of slot j). The template is rendered once with a placeholder per slot and each recipient's values
   * substituted: HTML-escaped in the html body (as Handlebars escapes them), raw in the subject and
   * text. The output is render()'s, byte for byte: a probe render with hostile values must equal
   * its substitution, or (a template that uses a slot other than by plain interpolation) every
   * recipient is rendered in full; so is a recipient whose value has whitespace the subject and
   * text normalisation would touch (anything but single inner spaces). The renderer returned is kept
   * and called for each recipient (a sweep keeps one per opening, stage and days in stage across
   * its pages): the skeleton and the probe renders are made once, here.
   */
  async variantRenderer(
    key: string,
    context: Record<string, unknown>,
    slots: readonly string[],
    openingId?: string | null,
  ): Promise<(vals: readonly string[]) => RenderedMessage> {
    const def = TEMPLATES[key];
    if (!def) throw new Error(`unknown message template ${key}`);
    const tpl = (await this.overrideFor(openingId ?? null, key)) ?? this.fileTemplate(key);
    const base = { company: { name: this.companyName() }, ...context };
    const full = (vals: readonly string[]) => this.renderWith(tpl, def.audience, withSlotValues(base, slots, vals));
    const skeleton = splitSkeleton(full(slots.map((_s, j) => `${SLOT_OPEN}${j}${SLOT_CLOSE}`)));
    const probes = [slots.map((_s, j) => `<b i="${j}">&'\`=x</b>`), slots.map((_s, j) => `Zq${j}`)];
    const fast = probes.every((probe) => sameRender(full(probe), substitute(skeleton, probe)));
    return (vals) => (fast && vals.every(substitutable) ? substitute(skeleton, vals) : full(vals));
  }

  private renderWith(tpl: Compiled, audience: string, ctx: Record<string, unknown>): RenderedMessage {
    const subject = tpl.subject(ctx).replace(/\s+/g, ' ').trim();
    const layout = this.layouts[audience];
    return {
      subject,
      html: layout.html({ ...ctx, subject, body: tpl.html(ctx) }),
      text: layout.text({ ...ctx, subject, body: tpl.text(ctx).trim() }).replace(/\n{3,}/g, '\n\n'),
    };
  }

  companyName(): string {
    return process.env.COMPANY_NAME ?? 'Our company';
  }

  /**
   * Validate an override: each part must compile and render in strict mode against the
   * template's complete sample context (so an unknown variable is named now, not at send time).
   */
  validate(key: string, src: Source): RenderedMessage {
    const def = TEMPLATES[key];
    if (!def) throw badRequest(`Unknown template "${key}"; known: ${Object.keys(TEMPLATES).join(', ')}`);
    const problems: string[] = [];
    const parts: Array<keyof Source> = ['subject', 'html', 'text'];
    for (const part of parts) {
      try {
        const c =
          part === 'html'
            ? this.hbs.compile(src[part], { strict: true })
            : this.textHbs.compile(src[part], { noEscape: true, strict: true });
        c(def.sample);
      } catch (e) {
        problems.push(`${part}: ${(e as Error).message.split('\n')[0].replace(/ in \[object Object\]/, '')}`);
      }
    }
    if (problems.length) {
      throw new ApplicationException(ErrorCode.ValidationFailed, `Template "${key}" refused: ${problems.join('; ')}`, {
        problems,
        variables: describeVariables(def.sample),
      });
    }
    const links = linkVariableProblems(src, def.sample, new URL(publicUrl(this.env)).origin);
    if (links.length) {
      throw new ApplicationException(ErrorCode.Unprocessable, `Template "${key}" refused: ${links.join('; ')}`, { problems: links });
    }
    return this.renderWith(this.compile(src), def.audience, def.sample);
  }

  async saveOverride(openingId: string | null, key: string, src: Source, userId: string): Promise<{ preview: RenderedMessage }> {
    const preview = this.validate(key, src);
    const existing = await this.overrides.findOne({ where: { openingId: openingId ?? IsNull(), key } });
    await this.overrides.save({
      ...(existing ?? {}),
      openingId,
      key,
      subject: src.subject,
      html: src.html,
      text: src.text,
      updatedBy: userId,
    });
    this.overrideCache.delete(`${openingId ?? '-'}:${key}`);
    return { preview };
  }

  async list(openingId: string | null) {
    const overrides = await this.overrides.find({ where: { openingId: openingId ?? IsNull() } });
    return Object.entries(TEMPLATES).map(([key, def]) => {
      const o = overrides.find((x) => x.key === key);
      return {
        key,
        audience: def.audience,
        description: def.description,
        overridden: !!o,
        source: o ? { subject: o.subject, html: o.html, text: o.text } : this.defaultSource(key),
        variables: describeVariables(def.sample),
      };
    });
  }
}

/** Dotted variable names a template may use, for error messages and the editor. */
export function describeVariables(sample: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(sample).flatMap(([k, v]) => {
    const name = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) return [`${name}[] (${v[0] && typeof v[0] === 'object' ? Object.keys(v[0] as object).join(', ') : 'values'})`];
    if (v && typeof v === 'object') return describeVariables(v as Record<string, unknown>, name);
    return [name];
  });
}

// Placeholders of variantRenderer: control characters that Handlebars does not escape and that no
// template or value from PostgreSQL holds (text cannot store NUL). Latin-1 on purpose: one
// character above U+00FF would make V8 store every body it is sliced into with two bytes a
// character (twice the memory, slower to send to PostgreSQL).
const SLOT_OPEN = '\u0000';
const SLOT_CLOSE = '\u0001';
const SLOT = /\u0000(\d+)\u0001/;
type Skeleton = Record<keyof RenderedMessage, string[]>;

/** `ctx` with each dotted `slots[j]` set to `vals[j]` (the objects along the path copied, never mutated). */
function withSlotValues(ctx: Record<string, unknown>, slots: readonly string[], vals: readonly string[]): Record<string, unknown> {
  const out = { ...ctx };
  slots.forEach((slot, j) => {
    const path = slot.split('.');
    let o: Record<string, unknown> = out;
    for (const k of path.slice(0, -1)) {
      const next = { ...((o[k] as Record<string, unknown> | undefined) ?? {}) };
      o[k] = next;
      o = next;
    }
    o[path[path.length - 1]] = vals[j];
  });
  return out;
}

/** Literal text and slot numbers, alternating (split's capture group): literal, slot, literal, ... */
function splitSkeleton(r: RenderedMessage): Skeleton {
  return { subject: r.subject.split(SLOT), html: r.html.split(SLOT), text: r.text.split(SLOT) };
}

/** Joined (not concatenated): a flat string, not a rope that the next step flattens into a second copy. */
function fill(parts: string[], vals: readonly string[], escape: boolean): string {
  const out = parts.slice();
  for (let i = 1; i < parts.length; i += 2) {
    const v = vals[Number(parts[i])];
    out[i] = escape ? Handlebars.escapeExpression(v) : v;
  }
  return out.join('');
}

function substitute(s: Skeleton, vals: readonly string[]): RenderedMessage {
  return { subject: fill(s.subject, vals, false), html: fill(s.html, vals, true), text: fill(s.text, vals, false) };
}

function sameRender(a: RenderedMessage, b: RenderedMessage): boolean {
  return a.subject === b.subject && a.html === b.html && a.text === b.text;
}

/** A value the normalisation of subjects and texts (whitespace runs, trimming, blank lines) leaves alone. */
function substitutable(v: string): boolean {
  return typeof v === 'string' && /^\S+(?: \S+)*$/u.test(v) && !v.includes(SLOT_OPEN) && !v.includes(SLOT_CLOSE);
}
