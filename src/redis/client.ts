import Redis from 'ioredis';

let client: Redis | undefined;

/**
 * The process's Redis connection when REDIS_URL is set: what several instances must share
 * (rate-limit counters, the response cache and its invalidation) lives there. Without it, each
 * process keeps those in memory. Commands fail fast instead of queueing while Redis is away.
 */
export const sharedRedis = (): Redis | undefined => {
  const url = process.env.REDIS_URL;
  if (!url) return undefined;
  client ??= new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  return client;
};

export const closeSharedRedis = async () => {
  const closing = client;
  client = undefined;
  await closing?.quit().catch(() => closing.disconnect());
};
