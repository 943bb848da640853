import { createHmac, timingSafeEqual } from 'node:crypto';
import { purposeKey } from '../common/config/keys';

/**
 * The candidate's privacy link (every e-mail footer) carries an HMAC of the candidate id with its
 * own key (keys.ts, purpose 'privacy-link', derived from the root secret), so nobody can reach
 * another person's page by guessing or changing an id. Links sent before per-purpose keys (an
 * HMAC with the root secret itself) are still accepted, so old e-mails keep working.
 */
export function privacyToken(secret: string, candidateId: string): string {
  return createHmac('sha256', purposeKey(secret, 'privacy-link')).update(`privacy:v1:${candidateId.toLowerCase()}`).digest('base64url');
}

const legacyToken = (secret: string, candidateId: string) =>
  createHmac('sha256', secret).update(`privacy:v1:${candidateId.toLowerCase()}`).digest('base64url');

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function verifyPrivacyToken(secret: string, candidateId: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false;
  return same(privacyToken(secret, candidateId), given) || same(legacyToken(secret, candidateId), given);
}

/** `${publicUrl}/privacy/<candidateId>?t=<token>` (publicUrl may be '' for a same-site link). */
export function privacyLink(publicUrl: string, candidateId: string, secret: string): string {
  return `${publicUrl}/privacy/${candidateId}?t=${privacyToken(secret, candidateId)}`;
}
