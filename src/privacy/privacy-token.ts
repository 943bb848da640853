import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The candidate's privacy link (every e-mail footer) carries an HMAC of the candidate id with
 * SESSION_SECRET, so nobody can reach another person's page by guessing or changing an id.
 */
export function privacyToken(secret: string, candidateId: string): string {
  return createHmac('sha256', secret).update(`privacy:v1:${candidateId.toLowerCase()}`).digest('base64url');
}

export function verifyPrivacyToken(secret: string, candidateId: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false;
  const a = Buffer.from(privacyToken(secret, candidateId));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `${publicUrl}/privacy/<candidateId>?t=<token>` (publicUrl may be '' for a same-site link). */
export function privacyLink(publicUrl: string, candidateId: string, secret: string): string {
  return `${publicUrl}/privacy/${candidateId}?t=${privacyToken(secret, candidateId)}`;
}
