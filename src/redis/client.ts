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
  // REDIS_KEY_PREFIX lets several deployments (or test runs) share one Redis.
  client ??= new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, keyPrefix: process.env.REDIS_KEY_PREFIX ?? '' });
  return client;
};

/** At start-up, waits (at most 5 s) for Redis, so that the first requests and writes find it. */
export const connectSharedRedis = async (log: { warn(message: string): void }) => {
  const redis = sharedRedis();
  if (!redis || redis.status === 'ready') return;
  const ready = new Promise<boolean>((resolve) => {
    redis.once('ready', () => resolve(true));
    setTimeout(() => resolve(false), 5000).unref();
  });
  if (!(await ready)) log.warn('Redis did not answer within 5 s: rate limits count per instance and the response cache is bypassed until it does.');
};

export const closeSharedRedis = async () => {
  const closing = client;
  client = undefined;
  await closing?.quit().catch(() => closing.disconnect());
};
