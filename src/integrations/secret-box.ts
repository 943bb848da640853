import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { KeyPurpose, purposeKey } from '../common/config/keys';

/**
 * Webhook secrets must be readable to sign deliveries, so they are encrypted at rest
 * (AES-256-GCM) rather than hashed, with their own key derived from the root secret
 * (keys.ts, purpose 'webhook-secrets'). `v2.` values use that key; `v1.` values (sealed before
 * per-purpose keys) are still read with the old derivation. Rotating SESSION_SECRET makes stored
 * secrets unreadable: deliveries then fail naming the cause until an admin re-enters the secret
 * (PATCH /webhooks/:id).
 */
const legacyKeyOf = (sessionSecret: string) => createHash('sha256').update(`webhook-secrets:v1:${sessionSecret}`).digest();

/** AES-256-GCM with the key of `purpose`: `v2.<iv>.<tag>.<data>` (base64url). */
export function seal(rootSecret: string, purpose: KeyPurpose, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', purposeKey(rootSecret, purpose), iv);
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v2.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${data.toString('base64url')}`;
}

/** The inverse of seal(); throws when the value was not sealed with this root secret and purpose. */
export function unseal(rootSecret: string, purpose: KeyPurpose, sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if ((v !== 'v1' && v !== 'v2') || !iv || !tag || data === undefined) throw new Error('not a sealed value');
  const key = v === 'v1' ? legacyKeyOf(rootSecret) : purposeKey(rootSecret, purpose);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
}

export function sealSecret(sessionSecret: string, secret: string): string {
  return seal(sessionSecret, 'webhook-secrets', secret);
}

export function openSecret(sessionSecret: string, sealed: string): string {
  if (!/^v[12]\./.test(sealed)) throw new Error('unreadable webhook secret');
  try {
    return unseal(sessionSecret, 'webhook-secrets', sealed);
  } catch {
    throw new Error('the webhook secret cannot be decrypted (was SESSION_SECRET changed?); set the secret again');
  }
}
