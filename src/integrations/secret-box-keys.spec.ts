import { purposeKey } from '../common/config/keys';
import { openSecret, seal, sealSecret, unseal } from './secret-box';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

describe('keys per purpose', () => {
  const root = 'a-root-secret-of-enough-length-000';
  it('derives a different 32-byte key for each purpose and each root, the same one every time', () => {
    const csrf = purposeKey(root, 'csrf');
    expect(csrf).toHaveLength(32);
    expect(purposeKey(root, 'csrf').equals(csrf)).toBe(true);
    expect(purposeKey(root, 'privacy-link').equals(csrf)).toBe(false);
    expect(purposeKey(`${root}x`, 'csrf').equals(csrf)).toBe(false);
    expect(csrf.equals(Buffer.from(root).subarray(0, 32))).toBe(false);
  });

  it('seals per purpose: a value sealed for one purpose does not open for another', () => {
    const s = seal(root, 'message-secrets', 'https://x.test/portal/abc');
    expect(s).not.toContain('abc');
    expect(unseal(root, 'message-secrets', s)).toBe('https://x.test/portal/abc');
    expect(() => unseal(root, 'webhook-secrets', s)).toThrow();
    expect(() => unseal('another-root-secret-0123456789', 'message-secrets', s)).toThrow();
  });

  it('still opens webhook secrets sealed with the old (v1) key', () => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', createHash('sha256').update(`webhook-secrets:v1:${root}`).digest(), iv);
    const data = Buffer.concat([c.update('old-secret', 'utf8'), c.final()]);
    const v1 = `v1.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${data.toString('base64url')}`;
    expect(openSecret(root, v1)).toBe('old-secret');
    expect(openSecret(root, sealSecret(root, 'new-secret'))).toBe('new-secret');
    expect(() => openSecret('a-different-root-secret-000000', sealSecret(root, 'x'))).toThrow(/SESSION_SECRET/);
  });
});
