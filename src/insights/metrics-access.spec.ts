import { MetricsAccess } from './metrics-access';

describe('who may read /metrics', () => {
  it('lets loopback in by default and keeps other addresses out', () => {
    const a = new MetricsAccess(undefined, ['127.0.0.1/8', '::1/128']);
    expect(a.allows('127.0.0.1', undefined)).toBe(true);
    expect(a.allows('::ffff:127.0.0.1', undefined)).toBe(true);
    expect(a.allows('::1', undefined)).toBe(true);
    expect(a.allows('203.0.113.7', undefined)).toBe(false);
    expect(a.allows('2001:db8::1', undefined)).toBe(false);
    expect(a.allows(undefined, undefined)).toBe(false);
  });

  it('takes subnets and single addresses', () => {
    const a = new MetricsAccess(undefined, ['10.0.0.0/8', '192.0.2.5']);
    expect(a.allows('10.20.30.40', undefined)).toBe(true);
    expect(a.allows('192.0.2.5', undefined)).toBe(true);
    expect(a.allows('192.0.2.6', undefined)).toBe(false);
  });

  it('lets the right bearer token in from anywhere, and only the right one', () => {
    const a = new MetricsAccess('scrape-token-0123456789', []);
    expect(a.allows('203.0.113.7', 'Bearer scrape-token-0123456789')).toBe(true);
    expect(a.allows('203.0.113.7', 'Bearer scrape-token-012345678X')).toBe(false);
    expect(a.allows('203.0.113.7', 'Bearer short')).toBe(false);
    expect(a.allows('127.0.0.1', undefined)).toBe(false); // an empty allow-list means token only
  });
});
