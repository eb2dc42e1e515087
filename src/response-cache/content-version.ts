import type Redis from 'ioredis';

const REDIS_KEY = 'ipam:content-version';

/**
 * A number that changes whenever any content changes. Cached responses are keyed by it, so one
 * write makes every earlier entry unreachable: coarse, and never stale. With Redis, every
 * instance reads and bumps the same number; if Redis cannot answer, callers skip the cache.
 */
export class ContentVersion {
  private local = 0;
  /** A change Redis has not heard of yet: until it has, nothing may be served from the cache. */
  private unsharedChange = false;

  constructor(private readonly redis?: Redis) {}

  async current(): Promise<string> {
    if (!this.redis) return String(this.local);
    if (this.unsharedChange) await this.bump();
    return (await this.redis.get(REDIS_KEY)) ?? '0';
  }

  async bump(): Promise<void> {
    this.local += 1;
    if (!this.redis) return;
    this.unsharedChange = true;
    await this.redis.incr(REDIS_KEY);
    this.unsharedChange = false;
  }
}
