import { LRUCache } from 'lru-cache';
import type Redis from 'ioredis';

/**
 * When each key last changed, on one clock: a change takes the next tick of the clock and stamps
 * its keys with it. An answer computed after reading the clock at tick T is still right while
 * none of its keys is stamped later than T (a change that committed after T, while the answer
 * was computed, is later). Per-key versions rather than a reverse index from keys to answers
 * (as @envelop/response-cache keeps): nothing to update per answer, no race between an answer
 * being stored and its keys being invalidated, and one MGET to check an answer.
 */
export interface KeyVersions {
  /** The current tick; read before computing an answer. */
  clock(): Promise<number>;
  /** Whether none of `keys` changed after tick `since`. */
  unchangedSince(keys: string[], since: number): Promise<boolean>;
  /** Stamps `keys` with a new tick. */
  bump(keys: string[]): Promise<void>;
  /** The tick `key` last changed at (0: never, as far as is remembered). */
  versionOf(key: string): Promise<number>;
  /** Whether answers can be read and stored now (false while a shared store is away). */
  available(): boolean;
}

/** In this process only. Stamps are kept longer than any answer they can invalidate. */
export const memoryKeyVersions = (ttlSeconds: number): KeyVersions => {
  let tick = 0;
  const stamps = new LRUCache<string, number>({ ttl: 2 * ttlSeconds * 1000 + 60_000, ttlAutopurge: true });
  return {
    clock: async () => tick,
    unchangedSince: async (keys, since) => keys.every((key) => (stamps.get(key) ?? 0) <= since),
    async bump(keys) {
      tick += 1;
      for (const key of keys) stamps.set(key, tick);
    },
    versionOf: async (key) => stamps.get(key) ?? 0,
    available: () => true,
  };
};

const CLOCK = 'ipam:cache:clock';
const stampKey = (key: string) => `ipam:cache:key:${key}`;
/** A stamp every answer is checked against: stamped, it voids every answer computed before. */
const EVERY_ANSWER = '*';

/**
 * One atomic step: the next tick, and every key stamped with it (expiring after `ARGV[1]` s).
 * The tick is Redis's clock in microseconds (or one more than the last, if that is later), not
 * a counter: a Redis restarted empty would start a counter again from 0, and an answer stored
 * with a tick from before would outlive every stamp after.
 */
const BUMP_SCRIPT = `
local now = redis.call('TIME')
local tick = math.max(tonumber(now[1]) * 1000000 + tonumber(now[2]), tonumber(redis.call('GET', KEYS[1]) or '0') + 1)
tick = string.format('%.0f', tick)
redis.call('SET', KEYS[1], tick)
for i = 2, #KEYS do redis.call('SET', KEYS[i], tick, 'EX', ARGV[1]) end
return tick`;

/** Thrown while this process does not trust what Redis holds; callers compute answers afresh. */
class SharedCacheUnavailable extends Error {
  constructor() {
    super('Redis is unavailable, or this instance has not yet voided what it may have missed');
  }
}

/**
 * Shared by every instance through Redis. While Redis is away, nothing is read from it, and the
 * changes this instance makes cannot be stamped: other instances would go on serving answers
 * that show the old versions once Redis is back (or this one, had it missed theirs). So when an
 * instance's connection comes back (or first comes up after Redis was unreachable at start), it
 * voids every answer computed before, then trusts Redis again. A bump that failed while Redis
 * was up is retried before anything is read again.
 */
export const redisKeyVersions = (redis: Redis, ttlSeconds: number): KeyVersions => {
  const stampTtl = String(2 * ttlSeconds + 60);
  const unshared = new Set<string>();
  let trusted = redis.status === 'ready';
  let missedChanges = false;

  const stamp = async (keys: string[]) => {
    await redis.eval(BUMP_SCRIPT, keys.length + 1, CLOCK, ...keys.map(stampKey), stampTtl);
  };
  redis.on('close', () => {
    trusted = false;
    missedChanges = true;
  });
  redis.on('ready', () => {
    if (!missedChanges) {
      trusted = true;
      return;
    }
    // Changes that could not be stamped so far committed before this void: it covers them.
    const covered = [...unshared];
    // A failure here closes the connection again: the next 'ready' tries again.
    stamp([EVERY_ANSWER]).then(() => {
      covered.forEach((key) => unshared.delete(key));
      missedChanges = false;
      trusted = redis.status === 'ready';
    }, () => undefined);
  });

  const available = () => trusted && redis.status === 'ready';
  /** Without a connection, the keys wait for the void that follows its return (or the next read). */
  const bump = async (keys: string[]) => {
    keys.forEach((key) => unshared.add(key));
    if (redis.status !== 'ready') return;
    const pending = [...unshared];
    await stamp(pending);
    pending.forEach((key) => unshared.delete(key));
  };
  const readable = async () => {
    if (!available()) throw new SharedCacheUnavailable();
    if (unshared.size) await bump([]);
  };
  return {
    available,
    async clock() {
      await readable();
      return Number((await redis.get(CLOCK)) ?? 0);
    },
    async unchangedSince(keys, since) {
      await readable();
      const stamps = await redis.mget(stampKey(EVERY_ANSWER), ...keys.map(stampKey));
      return stamps.every((value) => Number(value ?? 0) <= since);
    },
    bump,
    /** A void changes every key's version: in-process copies keyed by a version (public ids) are recomputed. */
    async versionOf(key) {
      await readable();
      const stamps = await redis.mget(stampKey(EVERY_ANSWER), stampKey(key));
      return Math.max(...stamps.map((value) => Number(value ?? 0)));
    },
  };
};
