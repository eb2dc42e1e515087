import { LRUCache } from 'lru-cache';
import type Redis from 'ioredis';

export interface CachedResponse {
  body: string;
  etag: string;
  contentType: string;
  /** What the answer shows (src/public-changes/keys.ts): it is valid while none of them changed. */
  keys: string[];
  /** The tick of the key clock read before the answer was computed (key-versions.ts). */
  tick: number;
}

export interface ResponseStore {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse): Promise<void>;
}

/** In this process only: bounded by entry count, entries expire after `ttlSeconds`. */
export const memoryStore = (maxEntries: number, ttlSeconds: number): ResponseStore => {
  const cache = new LRUCache<string, CachedResponse>({ max: maxEntries, ttl: ttlSeconds * 1000 });
  return {
    get: async (key) => cache.get(key),
    set: async (key, value) => void cache.set(key, value),
  };
};

/** Shared by every instance through Redis; entries expire after `ttlSeconds`. */
export const redisStore = (redis: Redis, ttlSeconds: number): ResponseStore => ({
  async get(key) {
    const stored = await redis.get(`ipam:response:${key}`);
    return stored ? (JSON.parse(stored) as CachedResponse) : undefined;
  },
  async set(key, value) {
    await redis.set(`ipam:response:${key}`, JSON.stringify(value), 'EX', ttlSeconds);
  },
});
