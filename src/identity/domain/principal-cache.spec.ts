import { PrincipalCache } from './principal-cache';

describe('PrincipalCache', () => {
  let now = 0;
  const make = (ttl = 1000, max = 3) => new PrincipalCache<{ tokenId: string; userId: string }>(ttl, max, () => now);
  beforeEach(() => (now = 0));

  it('serves an entry until the TTL, then forgets it', () => {
    const c = make();
    c.set('h1', { tokenId: 't1', userId: 'u1' }, c.generation());
    now = 999;
    expect(c.get('h1')).toEqual({ tokenId: 't1', userId: 'u1' });
    now = 1000;
    expect(c.get('h1')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const c = make(1000, 2);
    for (const k of ['a', 'b', 'c']) c.set(k, { tokenId: k, userId: 'u' }, c.generation());
    expect(c.size).toBe(2);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('c')).toBeDefined();
  });

  it('forgets by token and by user', () => {
    const c = make();
    c.set('a', { tokenId: 'ta', userId: 'u1' }, c.generation());
    c.set('b', { tokenId: 'tb', userId: 'u1' }, c.generation());
    c.set('c', { tokenId: 'tc', userId: 'u2' }, c.generation());
    c.forgetToken('tc');
    expect(c.get('c')).toBeUndefined();
    c.forgetUser('u1');
    expect(c.size).toBe(0);
  });

  it('refuses a value read before a forget (a revocation racing a lookup is not undone)', () => {
    const c = make();
    const readAt = c.generation();
    c.forgetToken('t1');
    c.set('h1', { tokenId: 't1', userId: 'u1' }, readAt);
    expect(c.get('h1')).toBeUndefined();
  });

  it('caches nothing when the TTL is 0', () => {
    const c = make(0);
    c.set('h1', { tokenId: 't1', userId: 'u1' }, c.generation());
    expect(c.get('h1')).toBeUndefined();
  });
});
