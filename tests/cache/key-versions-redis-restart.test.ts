import Redis from 'ioredis';
import { redisKeyVersions, type KeyVersions } from '../../src/response-cache/key-versions';
import { waitFor } from '../faults/support/fault-suite';
import { startOwnRedis, type OwnRedis } from '../cluster/support/services';

/**
 * The response cache's key versions (src/response-cache/key-versions.ts) on a Redis of the
 * test's own that goes away and comes back: a cached answer is checked against the stamps of
 * what it shows, taken on one clock, so neither a restart of Redis nor the changes it missed may
 * make an answer from before look current.
 */
describe('key versions across a Redis restart', () => {
  let redis: OwnRedis;
  let client: Redis;
  let versions: KeyVersions;
  beforeAll(async () => {
    redis = await startOwnRedis();
    client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    versions = redisKeyVersions(client, 300);
    await waitFor('the key versions to use Redis', () => versions.available());
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.close();
  });

  /** An answer computed now, after a few changes of its key. */
  const answerAfterChanges = async (key: string) => {
    for (let n = 0; n < 5; n++) await versions.bump([key]);
    const tick = await versions.clock();
    expect(await versions.unchangedSince([key], tick)).toBe(true);
    return tick;
  };

  it('voids every answer from before an outage once Redis is back, and counts the changes made meanwhile without failing them', async () => {
    const tick = await answerAfterChanges('workshop-a');
    await redis.stop({ keepData: true });
    await waitFor('the outage to be seen', () => !versions.available());
    await expect(versions.bump(['workshop-b'])).resolves.toBeUndefined();
    await expect(versions.clock()).rejects.toThrow(/Redis is unavailable/);
    await redis.start();
    await waitFor('the key versions to use Redis again', () => versions.available(), 15000);
    // Redis came back with the stamps it held, none newer than the answer: the void says otherwise.
    expect(await versions.unchangedSince(['workshop-a'], tick)).toBe(false);
    expect(await versions.versionOf('workshop-a')).toBeGreaterThan(tick);
  });

  it('keeps its clock going forward when Redis comes back empty: a change after is later than any answer from before', async () => {
    const tick = await answerAfterChanges('workshop-c');
    await redis.stop({ keepData: false });
    await waitFor('the outage to be seen', () => !versions.available());
    await redis.start();
    await waitFor('the key versions to use Redis again', () => versions.available(), 15000);
    await versions.bump(['workshop-c']);
    expect(await versions.versionOf('workshop-c')).toBeGreaterThan(tick);
    expect(await versions.unchangedSince(['workshop-c'], tick)).toBe(false);
  });
});
