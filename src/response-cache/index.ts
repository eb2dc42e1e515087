import type { Core } from '@strapi/strapi';
import { sharedRedis } from '../redis/client';
import { ContentVersion } from './content-version';
import { memoryStore, redisStore, type ResponseStore } from './store';

export interface ResponseCacheConfig {
  enabled?: boolean;
  /** Seconds an entry may live (it is unreachable anyway after any content change). */
  ttl?: number;
  /** Entries kept in memory when there is no Redis. */
  maxEntries?: number;
}

let shared: { version: ContentVersion; store: ResponseStore } | undefined;

/** The content version and the response store of this process: in Redis when REDIS_URL is set. */
export const responseCacheParts = ({ ttl = 300, maxEntries = 5000 }: ResponseCacheConfig = {}) => {
  if (!shared) {
    const redis = sharedRedis();
    shared = { version: new ContentVersion(redis), store: redis ? redisStore(redis, ttl) : memoryStore(maxEntries, ttl) };
  }
  return shared;
};

const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);

/**
 * Every content change, from the admin UI, the API, imports or any other code that goes
 * through the Document Service (or changes a media file), bumps the content version after it
 * succeeded.
 */
export const registerCacheInvalidation = (strapi: Core.Strapi) => {
  const bump = async () => {
    try {
      await responseCacheParts().version.bump();
    } catch (error) {
      strapi.log.error(`Response cache: could not bump the content version: ${String(error)}`);
    }
  };
  strapi.documents.use(async (context, next) => {
    const result = await next();
    if (WRITES.has(context.action)) await bump();
    return result;
  });
  strapi.db.lifecycles.subscribe({
    models: ['plugin::upload.file'],
    afterCreate: bump,
    afterUpdate: bump,
    afterDelete: bump,
  });
};
