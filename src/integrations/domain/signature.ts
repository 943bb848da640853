import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers reject deliveries whose timestamp is further than this from their clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** hex HMAC-SHA256 of "<timestamp>.<raw body>" with the endpoint's secret. */
export function signBody(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The X-Hiring-Signature header: `t=<unix seconds>,v1=<hex hmac>`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signBody(secret, timestamp, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'too_old' | 'too_new' };

/** What a receiver does (docs/webhooks.md): constant-time compare, then the replay window. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): VerifyResult {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!parts.t || !parts.v1 || !Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(parts.v1)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signBody(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'))) return { ok: false, reason: 'mismatch' };
  if (nowSeconds - timestamp > toleranceSeconds) return { ok: false, reason: 'too_old' };
  if (timestamp - nowSeconds > toleranceSeconds) return { ok: false, reason: 'too_new' };
  return { ok: true, timestamp };
}
