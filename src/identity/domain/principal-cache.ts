/**
 * A short-lived, bounded map from a token's hash to what authenticating it found (the token row's
 * id, kind and expiry, and the user's id, roles and profile), so a busy client does not cost two
 * database reads per request. Pure: the caller supplies the time (a monotonic clock, not the
 * injectable business clock) and decides what may be cached.
 *
 * Staleness bound: an entry is served for at most `ttlMs` after it was read from the database.
 * `forgetToken` / `forgetUser` drop entries at once (logout, revocation, role change, deactivation
 * in this process) and bump a generation, so a read that started before the change can not put a
 * stale entry back (`set` with an older generation is ignored).
 */
export interface CachedAuth {
  tokenId: string;
  userId: string;
}

export class PrincipalCache<V extends CachedAuth> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  private gen = 0;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The generation to pass to `set` for a read that starts now. */
  generation(): number {
    return this.gen;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** Cache a value read at generation `readAt`; ignored if anything was forgotten since. */
  set(key: string, value: V, readAt: number): void {
    if (!this.enabled || readAt !== this.gen) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: Map keeps insertion order and a refresh re-inserts.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { at: this.now(), value });
  }

  forgetToken(tokenId: string): void {
    this.gen++;
    for (const [k, e] of this.entries) if (e.value.tokenId === tokenId) this.entries.delete(k);
  }

  forgetUser(userId: string): void {
    this.gen++;
    for (const [k, e] of this.entries) if (e.value.userId === userId) this.entries.delete(k);
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
  }
}
