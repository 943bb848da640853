import { isPrivateAddress, parseTargetUrl } from './address-policy';
import { serializePayload, webhookData } from '../../timeline/domain/webhook-events';
import { nextAttempt } from './retry';
import { signatureHeader, verifySignature } from './signature';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    'not-an-ip',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '100.128.0.1'])(
    'allows %s',
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe('parseTargetUrl', () => {
  it('accepts http(s) URLs and notes IP literals', () => {
    expect(parseTargetUrl('https://hooks.example.com/x')).toMatchObject({ ok: true, host: 'hooks.example.com', ipLiteral: false });
    expect(parseTargetUrl('http://[::1]:8080/x')).toMatchObject({ ok: true, host: '::1', ipLiteral: true });
  });
  it.each(['ftp://example.com', 'example.com/hook', 'https://example.com/#frag', 'javascript:alert(1)'])('refuses %s', (u) =>
    expect(parseTargetUrl(u).ok).toBe(false),
  );
});

describe('signatures', () => {
  const body = '{"id":"1","type":"stage.changed"}';
  it('round-trips and rejects tampering, other secrets and replays older than 5 minutes', () => {
    const h = signatureHeader('s3cret-value-0123', 1_800_000_000, body);
    expect(h).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret-value-0123', h, body, 1_800_000_100)).toEqual({ ok: true, timestamp: 1_800_000_000 });
    expect(verifySignature('s3cret-value-0123', h, body + ' ', 1_800_000_100)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('another-secret-01', h, body, 1_800_000_100)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('s3cret-value-0123', h, body, 1_800_000_301)).toEqual({ ok: false, reason: 'too_old' });
    expect(verifySignature('s3cret-value-0123', h, body, 1_799_999_000)).toEqual({ ok: false, reason: 'too_new' });
    expect(verifySignature('s3cret-value-0123', 'v1=abc', body, 1_800_000_000)).toEqual({ ok: false, reason: 'malformed' });
    // A replayed old body cannot be re-dated: the timestamp is inside the signed string.
    expect(verifySignature('s3cret-value-0123', h.replace('t=1800000000', 't=1800000200'), body, 1_800_000_201)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });
});

describe('nextAttempt', () => {
  const p = { baseMs: 30_000, maxMs: 3_600_000, windowMs: 24 * 3_600_000 };
  const created = new Date('2027-01-01T00:00:00Z');
  it('doubles from the base, caps at the maximum and fails after the window', () => {
    const at = (n: number, now: Date) => nextAttempt(p, n, created, now);
    expect(at(1, created)).toEqual({ kind: 'retry', at: new Date(created.getTime() + 30_000) });
    expect(at(3, created)).toEqual({ kind: 'retry', at: new Date(created.getTime() + 120_000) });
    expect(at(12, created)).toEqual({ kind: 'retry', at: new Date(created.getTime() + 3_600_000) });
    const late = new Date(created.getTime() + 23.9 * 3_600_000);
    expect(at(30, late)).toEqual({ kind: 'retry', at: new Date(created.getTime() + 24 * 3_600_000) });
    expect(at(31, new Date(created.getTime() + 24 * 3_600_000))).toEqual({ kind: 'fail' });
  });
  it('spreads about 30 attempts over 24 hours with the defaults', () => {
    let now = created,
      n = 0;
    for (;;) {
      const s = nextAttempt(p, ++n, created, now);
      if (s.kind === 'fail') break;
      now = s.at;
    }
    expect(n).toBeGreaterThan(20);
    expect(n).toBeLessThan(40);
  });
});

describe('payloads', () => {
  it('keep identifiers and stages, never free text', () => {
    expect(webhookData('application.rejected', { stage: 'take_home', reason: 'Grace was rude' })).toEqual({ stage: 'take_home' });
    expect(webhookData('alert.raised', { alertId: 'a', kind: 'stale', recipientId: 'u', message: 'Grace Hopper is stale' })).toEqual({
      alertId: 'a',
      kind: 'stale',
      recipientId: 'u',
    });
    expect(serializePayload({ data: {}, type: 't', occurredAt: 'x', id: '1' })).toBe('{"id":"1","type":"t","occurredAt":"x","data":{}}');
  });
});
