import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Webhook secrets must be readable to sign deliveries, so they are encrypted at rest
 * (AES-256-GCM, key derived from SESSION_SECRET) rather than hashed. Rotating SESSION_SECRET
 * makes stored secrets unreadable: deliveries then fail naming the cause until an admin
 * re-enters the secret (PATCH /webhooks/:id).
 */
const keyOf = (sessionSecret: string) => createHash('sha256').update(`webhook-secrets:v1:${sessionSecret}`).digest();

export function sealSecret(sessionSecret: string, secret: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyOf(sessionSecret), iv);
  const data = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return `v1.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${data.toString('base64url')}`;
}

export function openSecret(sessionSecret: string, sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unreadable webhook secret');
  try {
    const d = createDecipheriv('aes-256-gcm', keyOf(sessionSecret), Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
  } catch {
    throw new Error('the webhook secret cannot be decrypted (was SESSION_SECRET changed?); set the secret again');
  }
}
