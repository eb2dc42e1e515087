import Redis from 'ioredis';

export type RedisLog = { warn(message: string): void; info(message: string): void };

const OUTAGE = 'rate limits count per instance and the response cache is bypassed until it is back';

let client: Redis | undefined;
/** Connections whose outage was reported and has not ended. */
const away = new WeakSet<Redis>();

/**
 * One warning when Redis goes away, one line when it is back. Without an 'error' listener,
 * ioredis prints "[ioredis] Unhandled error event" with a stack at every reconnection attempt
 * (several a second) for as long as Redis is away.
 */
const reportAvailability = (redis: Redis, log: RedisLog) => {
  const wentAway = (why: string) => {
    // A connection this process closed (closeSharedRedis) is not an outage.
    if (away.has(redis) || redis !== client) return;
    away.add(redis);
    log.warn(`Redis is unavailable (${why}): ${OUTAGE}.`);
  };
  redis.on('error', (error: Error) => wentAway(error.message));
  redis.on('close', () => wentAway('connection closed'));
  redis.on('ready', () => {
    if (!away.delete(redis)) return;
    log.info('Redis is back: rate limits and the response cache are shared again.');
  });
};

/**
 * The process's Redis connection when REDIS_URL is set: what several instances must share
 * (rate-limit counters, the response cache and its invalidation) lives there. Without it, each
 * process keeps those in memory. Commands fail fast instead of queueing while Redis is away, and
 * the connection retries by itself (ioredis: every 50 ms more per attempt, at most 2 s apart).
 */
export const sharedRedis = (log: RedisLog): Redis | undefined => {
  const url = process.env.REDIS_URL;
  if (!url) return undefined;
  if (!client) {
    // REDIS_KEY_PREFIX lets several deployments (or test runs) share one Redis.
    client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, keyPrefix: process.env.REDIS_KEY_PREFIX ?? '' });
    reportAvailability(client, log);
  }
  return client;
};

/** At start-up, waits (at most 5 s) for Redis, so that the first requests and writes find it. */
export const connectSharedRedis = async (log: RedisLog) => {
  const redis = sharedRedis(log);
  if (!redis || redis.status === 'ready') return;
  const ready = new Promise<boolean>((resolve) => {
    redis.once('ready', () => resolve(true));
    setTimeout(() => resolve(false), 5000).unref();
  });
  if (!(await ready) && !away.has(redis)) log.warn(`Redis did not answer within 5 s: ${OUTAGE}.`);
};

export const closeSharedRedis = async () => {
  const redis = client;
  client = undefined;
  await redis?.quit().catch(() => redis.disconnect());
};
