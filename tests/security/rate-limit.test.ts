import Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { clientKey } from '../../src/middlewares/rate-limit';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POINTS = 5;

/** Rate limits per client, with the counters in Redis so that every instance sees the same ones. */
describe('rate limits', () => {
  let app: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
    app = await startStrapi({ REDIS_URL, RATE_LIMIT_POINTS: String(POINTS), RATE_LIMIT_DURATION: '60' });
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.quit();
  });

  // Each test is its own client: a token of its own (its key in Redis is derived from it).
  const asClient = (name: string) => `Bearer not-a-real-token-${name}-${Math.random()}`;

  it('answers 429 with Retry-After and a message once a client spends its requests', async () => {
    const client = asClient('a');
    for (let i = 0; i < POINTS; i += 1) {
      const res = await app.http().get('/api/workshops').set('Authorization', client);
      expect(res.status).not.toBe(429);
      expect(res.headers['ratelimit-remaining']).toBe(String(POINTS - 1 - i));
    }
    const refused = await app.http().post('/graphql').set('Authorization', client).send({ query: '{ __typename }' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body.error.message).toMatch(/^Too many requests: the limit is 5 per 60 s for each client\. Retry in \d+ s\.$/);
  });

  it('counts each client on its own', async () => {
    const first = asClient('b');
    const second = asClient('c');
    for (let i = 0; i < POINTS; i += 1) await app.http().get('/api/people').set('Authorization', first);
    expect((await app.http().get('/api/people').set('Authorization', first)).status).toBe(429);
    expect((await app.http().get('/api/people').set('Authorization', second)).status).not.toBe(429);
  });

  it('shares counters through Redis: requests counted by another instance count here', async () => {
    const client = asClient('d');
    const res = await app.http().get('/api/sponsors').set('Authorization', client);
    expect(res.headers['ratelimit-remaining']).toBe(String(POINTS - 1));
    const key = clientKey({ get: (header: string) => (header === 'authorization' ? client : ''), ip: '' });
    expect(await redis.get(`ratelimit:${key}`)).toBe('1');
    // Another instance, spending the rest of this client's requests on the same Redis.
    const otherInstance = new RateLimiterRedis({ storeClient: redis, points: POINTS, duration: 60, keyPrefix: 'ratelimit' });
    await otherInstance.consume(key, POINTS - 1);
    expect((await app.http().get('/api/sponsors').set('Authorization', client)).status).toBe(429);
  });

  it('does not limit the admin UI or the health check', async () => {
    for (let i = 0; i < POINTS + 2; i += 1) expect((await app.http().get('/_health')).status).toBe(204);
  });
});
