import { hkdfSync } from 'node:crypto';

/**
 * One root secret (SESSION_SECRET, or the one generated into the data directory on first start),
 * many keys: each use gets its own key derived with HKDF-SHA256 (RFC 5869) from the root and a
 * purpose string, so a key that leaks from one use (say, a CSRF token's HMAC) tells nothing about
 * another (the webhook secrets' encryption key), and a new use never reuses an old key.
 *
 * Call `purposeKey(rootSecret, 'my-purpose')`; purposes in use are listed in KeyPurpose (add yours
 * there so the list in docs/security.md stays true). Derivation is deterministic: every process
 * with the same root secret derives the same keys, nothing to store.
 */
export type KeyPurpose =
  | 'csrf' // CSRF tokens of signed-in page sessions
  | 'login-csrf' // the sign-in form's CSRF token (before there is a session)
  | 'privacy-link' // the candidate's signed privacy link in every e-mail footer
  | 'survey-link' // the signed link to the candidate experience survey (src/survey)
  | 'webhook-secrets' // AES-256-GCM of webhook signing secrets at rest
  | 'message-secrets' // AES-256-GCM of the link-bearing parts of queued messages
  | 'chat-webhooks' // AES-256-GCM of chat incoming-webhook URLs (the URL is the secret; src/inbox/chat.service.ts)
  | 'calendar-credentials' // AES-256-GCM of calendar URLs and credentials at rest (src/calendars)
  | 'oidc-state'; // the single sign-on round trip's state cookie

const SALT = 'hiring-platform/keys/v1';
const cache = new Map<string, Buffer>();

/** A 32-byte key for `purpose`, derived from `rootSecret`. */
export function purposeKey(rootSecret: string, purpose: KeyPurpose, length = 32): Buffer {
  const id = `${length}:${purpose}:${rootSecret}`;
  let key = cache.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(rootSecret, 'utf8'), SALT, purpose, length));
    if (cache.size > 64) cache.clear();
    cache.set(id, key);
  }
  return key;
}
