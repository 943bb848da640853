import { HttpException } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApplicationException } from '../common/errors/application.exception';
import { buildValidationPipe } from '../common/http/validation';

/**
 * Post/redirect/get for pages: a form POST does its work, leaves a one-time message in a short
 * cookie and answers 303 to the page, which shows the message once (role="status" or "alert").
 * A refused form keeps what was typed (`values`) and any per-item problems (`violations`).
 */
export const FLASH_COOKIE = 'flash';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
  /** Which form the message belongs to (shown beside it). */
  form?: string;
  values?: Record<string, string>;
  violations?: Array<{ rule?: string; message: string; sessionIds?: string[] }>;
}

export function setFlash(res: Response, flash: Flash): void {
  let value = Buffer.from(JSON.stringify(flash)).toString('base64url');
  if (value.length > 3500 && flash.values)
    value = Buffer.from(JSON.stringify({ ...flash, text: flash.text.slice(0, 1500), values: undefined })).toString('base64url');
  if (value.length > 3500)
    value = Buffer.from(JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, 1500), form: flash.form })).toString('base64url');
  res.cookie(FLASH_COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 120_000 });
}

/** The message left by the previous POST, cleared once read. */
export function takeFlash(req: Request, res: Response): Flash | undefined {
  const raw = (req as Request & { cookies?: Record<string, string> }).cookies?.[FLASH_COOKIE];
  if (!raw) return undefined;
  res.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const f = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    return f && typeof f.text === 'string' ? f : undefined;
  } catch {
    return undefined;
  }
}

/** A refused request's message and details, as a page shows them. */
export function problemOf(e: unknown): { status: number; text: string; violations?: Flash['violations'] } | undefined {
  if (e instanceof ApplicationException) {
    const details = (e.details ?? {}) as { violations?: Flash['violations'] };
    return { status: e.status, text: e.message, violations: details.violations };
  }
  if (e instanceof HttpException) {
    const body = e.getResponse();
    const text = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? e.message);
    return { status: e.getStatus(), text };
  }
  return undefined;
}

/**
 * A refusal the user can fix (an ApplicationException, or an HttpException below 500): its status
 * and message (a validation list joined with "; "). Anything else is thrown again.
 */
export function refusalOf(e: unknown): { status: number; message: string } {
  if (e instanceof ApplicationException) return { status: e.status, message: e.message };
  if (e instanceof HttpException && e.getStatus() < 500) {
    const body = e.getResponse() as { message?: string | string[] } | string;
    const m = typeof body === 'string' ? body : body.message;
    return { status: e.getStatus(), message: Array.isArray(m) ? m.join('; ') : String(m ?? e.message) };
  }
  throw e;
}

/**
 * Runs a form's action on a page that answers a refusal by rendering itself again with the
 * refusal's status (the message beside the form, what was typed kept: `page` builds it), where
 * formAction would redirect. The work answers on success itself (a 303, usually); anything but a
 * refusal (see refusalOf) propagates to the error page.
 */
export async function renderOnRefusal(
  res: Response,
  work: () => Promise<unknown>,
  page: (message: string) => Promise<string>,
): Promise<void> {
  try {
    await work();
  } catch (e) {
    const r = refusalOf(e);
    res
      .status(r.status)
      .type('html')
      .send(await page(r.message));
  }
}

/**
 * Runs a form's action: on success redirects (303) to `to` with an ok message; a refusal the user
 * can fix (4xx) goes back to `back` with the reason and what was typed. Anything else propagates
 * (the error page with its error id).
 */
export async function formAction<R>(
  res: Response,
  opts: {
    to: string | ((r: R) => string);
    back: string;
    ok: string | ((r: R) => string);
    form?: string;
    values?: Record<string, unknown>;
  },
  work: () => Promise<R>,
): Promise<void> {
  try {
    const result = await work();
    const to = typeof opts.to === 'function' ? opts.to(result) : opts.to;
    setFlash(res, { kind: 'ok', text: typeof opts.ok === 'function' ? opts.ok(result) : opts.ok });
    res.redirect(303, to);
  } catch (e) {
    const p = problemOf(e);
    if (!p || p.status >= 500 || p.status === 401 || p.status === 404) throw e;
    const values = Object.fromEntries(
      Object.entries(opts.values ?? {}).filter(([k, v]) => k !== '_csrf' && typeof v === 'string' && v.length <= 2000),
    ) as Record<string, string>;
    setFlash(res, { kind: 'error', text: p.text, form: opts.form, values, violations: p.violations });
    res.redirect(303, opts.back);
  }
}

/** The same validation as the JSON route's DTO (the global pipe's rules and messages). */
export async function validated<T>(metatype: new () => T, plain: Record<string, unknown>): Promise<T> {
  return buildValidationPipe().transform(plain, { type: 'body', metatype }) as Promise<T>;
}

/** A form field as a trimmed string, or undefined when blank. */
export function field(body: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = body?.[name];
  const s = typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '';
  return s === '' ? undefined : s;
}

/** A form number ("120000", "120 000", "120,000.50") or the raw text for the validator to refuse. */
export function numberField(body: Record<string, unknown> | undefined, name: string): number | string | undefined {
  const s = field(body, name);
  if (s === undefined) return undefined;
  const n = Number(s.replace(/[\s,_]/g, ''));
  return Number.isFinite(n) ? n : s;
}
