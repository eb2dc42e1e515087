import type { Core } from '@strapi/strapi';
import type Redis from 'ioredis';
import { onPublicChange } from '../public-changes';
import { sharedRedis, type RedisLog } from '../redis/client';
import { memoryKeyVersions, redisKeyVersions, type KeyVersions } from './key-versions';
import { memoryStore, redisStore, type ResponseStore } from './store';

export interface ResponseCacheConfig {
  enabled?: boolean;
  /** Seconds an entry may live (it is unreachable anyway once a key it shows changed). */
  ttl?: number;
  /** Entries kept in memory when there is no Redis. */
  maxEntries?: number;
}

let shared: { redis?: Redis; versions: KeyVersions; store: ResponseStore } | undefined;

/** The key versions and the response store of this process: in Redis when REDIS_URL is set. */
export const responseCacheParts = (log: RedisLog, { ttl = 300, maxEntries = 5000 }: ResponseCacheConfig = {}) => {
  const redis = sharedRedis(log);
  // A new connection (a Strapi started again in the same process) gets new parts.
  if (!shared || shared.redis !== redis) {
    shared = redis
      ? { redis, versions: redisKeyVersions(redis, ttl), store: redisStore(redis, ttl) }
      : { versions: memoryKeyVersions(ttl), store: memoryStore(maxEntries, ttl) };
  }
  return shared;
};

/**
 * Every public change (src/public-changes: a publish, an unpublish, a delete, any write of a type
 * without draft & publish, a media file; never a draft save) stamps the keys it touches, once its
 * transaction committed: exactly the cached answers that show them become unreachable, here and,
 * through Redis, on every instance.
 */
export const registerCacheInvalidation = (strapi: Core.Strapi) => {
  onPublicChange(async ({ keys }) => {
    try {
      await responseCacheParts(strapi.log).versions.bump(keys);
    } catch (error) {
      strapi.log.error(`Response cache: could not count a change of ${keys.join(' ')}: ${String(error)}`);
    }
  });
};
