import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import Redis from 'ioredis';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `test-${crypto.randomBytes(4).toString('hex')}:`;
const PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'workshop-page.graphql'), 'utf8');
const VARIABLES = { slug: FIRST_WORKSHOP.slug };

/**
 * The response cache is never wrong: an edit or a publish shows on the next request, on every
 * instance (the cache and its version live in Redis), and a client that may read drafts never
 * shares an entry with anonymous clients.
 */
describe('the GraphQL response cache', () => {
  let app: TestApp;
  let redis: Redis;
  let fullAccessToken: string;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { keyPrefix: PREFIX, maxRetriesPerRequest: 1 });
    app = await startStrapi({ REDIS_URL, REDIS_KEY_PREFIX: PREFIX, HTTP_CACHE_MAX_AGE: '0', HTTP_CACHE_SHARED_MAX_AGE: '30' });
    fullAccessToken = await createApiToken(app.strapi, 'full-access');
  });
  afterAll(async () => {
    await app?.stop();
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys.map((key) => key.slice(PREFIX.length)));
    await redis.quit();
  });

  const page = () => app.http().post('/graphql').send({ query: PAGE, variables: VARIABLES });
  const editTitle = async (title: string, publish: boolean) => {
    const documents = app.strapi.documents('api::workshop.workshop');
    const { documentId } = (await documents.findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!;
    await documents.update({ documentId, data: { title } as never });
    if (publish) await documents.publish({ documentId });
  };

  it('answers a repeated anonymous query from the cache, identically', async () => {
    const first = await page();
    const second = await page();
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(await redis.keys(`${PREFIX}ipam:response:*`)).not.toHaveLength(0);
    expect(await redis.keys(`${PREFIX}ipam:cache:clock`)).toHaveLength(1);
  });

  it('shows a published edit on the very next request, and a draft edit never', async () => {
    await page();
    await editTitle('A Title Still In Draft', false);
    const draftEdited = await page();
    expect(draftEdited.body.data.workshopBySlug.title).toBe(FIRST_WORKSHOP.title);
    await editTitle('A Newly Published Title', true);
    const published = await page();
    expect(published.headers['x-cache']).toBe('MISS');
    expect(published.body.data.workshopBySlug.title).toBe('A Newly Published Title');
    await editTitle(FIRST_WORKSHOP.title, true);
    expect((await page()).body.data.workshopBySlug.title).toBe(FIRST_WORKSHOP.title);
  });

  it('forgets an unpublished workshop on the next request', async () => {
    expect((await page()).body.data.workshopBySlug).not.toBeNull();
    const documents = app.strapi.documents('api::workshop.workshop');
    const { documentId } = (await documents.findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!;
    await documents.unpublish({ documentId });
    expect((await page()).body.data.workshopBySlug).toBeNull();
    await documents.publish({ documentId });
    expect((await page()).body.data.workshopBySlug.title).toBe(FIRST_WORKSHOP.title);
  });

  it('never shares entries between anonymous clients and a token that may read drafts', async () => {
    await editTitle('Draft Only Title', false);
    const query = '{ workshops(status: DRAFT) { title } }';
    const withToken = await app.http().post('/graphql').set('Authorization', `Bearer ${fullAccessToken}`).send({ query });
    expect(withToken.body.data.workshops[0].title).toBe('Draft Only Title');
    expect(withToken.headers['x-cache']).toBe('MISS');
    expect(withToken.headers['cache-control']).toBe('private, no-store');
    const anonymous = await app.graphql(query);
    expect(anonymous.body.data.workshops[0].title).toBe(FIRST_WORKSHOP.title);
    expect((await app.graphql(query)).headers['x-cache']).toBe('HIT');
    const again = await app.http().post('/graphql').set('Authorization', `Bearer ${fullAccessToken}`).send({ query });
    expect(again.body.data.workshops[0].title).toBe('Draft Only Title');
    await editTitle(FIRST_WORKSHOP.title, false);
  });

  it('lets browsers and CDNs revalidate GET queries with ETag and 304', async () => {
    const url = `/graphql?query=${encodeURIComponent(PAGE)}&variables=${encodeURIComponent(JSON.stringify(VARIABLES))}`;
    const first = await app.http().get(url);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=30');
    expect(first.headers.vary).toMatch(/Authorization/);
    const revalidated = await app.http().get(url).set('If-None-Match', first.headers.etag);
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
  });

  it('caches automatic persisted queries by hash, for CDNs', async () => {
    const query = '{ institute { name shortName } }';
    const hash = crypto.createHash('sha256').update(query).digest('hex');
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const unknown = await app.http().get(`/graphql?extensions=${extensions}`);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await app.http().get(`/graphql?query=${encodeURIComponent(query)}&extensions=${extensions}`);
    expect(registered.body.data.institute.shortName).toBe('IPAM');
    const byHash = await app.http().get(`/graphql?extensions=${extensions}`);
    expect(byHash.body.data.institute.shortName).toBe('IPAM');
    expect((await app.http().get(`/graphql?extensions=${extensions}`)).headers['x-cache']).toBe('HIT');
  });

  it('never caches errors or mutations', async () => {
    const broken = await app.graphql('{ workshopBySlug { title } }');
    expect(broken.status).toBe(400);
    expect((await app.graphql('{ workshopBySlug { title } }')).headers['x-cache']).toBe('MISS');
    const mutation = 'mutation { createPerson(data: { name: "X", slug: "x" }) { name } }';
    await app.graphql(mutation);
    expect((await app.graphql(mutation)).headers['x-cache']).toBe('MISS');
  });
});
