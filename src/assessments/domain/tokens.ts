import { createHash, randomBytes } from 'node:crypto';

/** Candidate link tokens: 32 random bytes (base64url, 43 characters); only their SHA-256 is stored. */
export function newPortalToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashPortalToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Anything else is refused before a database lookup. */
export function looksLikePortalToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function sha256Hex(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
