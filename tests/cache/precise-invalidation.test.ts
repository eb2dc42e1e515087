import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import Redis from 'ioredis';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { importWorkshopText } from '../helpers/workshop-text';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';
import { startRecordingServer } from '../cdn/support/recording-server';
import { freePort } from '../helpers/ports';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `test-${crypto.randomBytes(4).toString('hex')}:`;
const contract = (name: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', `${name}.graphql`), 'utf8');
const PAGE = contract('workshop-page');
const LIST = contract('workshop-list');
const PERSON = contract('person-page');
const PEOPLE = '{ people(sort: "familyName") { name } }';
const SECOND = { slug: 'sums-of-squares-in-optimization', title: 'Sums of Squares in Optimization' };
const CDN_ENV = {
  CDN_VARNISH_URLS: '',
  CDN_FASTLY_SERVICE_ID: 'service-1',
  CDN_FASTLY_TOKEN: 'fastly-token',
  CDN_FASTLY_API_URL: '',
  CDN_CLOUDFLARE_ZONE_ID: 'zone-1',
  CDN_CLOUDFLARE_TOKEN: 'cloudflare-token',
  CDN_CLOUDFLARE_API_URL: '',
};

/**
 * An answer is invalidated exactly when a document it shows changes for public readers: a draft
 * save invalidates nothing, a publish what shows that workshop and the lists it is in, not
 * another workshop's page; the same through Redis on another instance; each change purged from
 * the CDNs by the keys the answers carry.
 */
describe('precise invalidation, surrogate keys and purges', () => {
  let app: TestApp;
  let redis: Redis;
  let cdn: Awaited<ReturnType<typeof startRecordingServer>>;
  let token: string;
  let firstId: string;
  let secondId: string;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { keyPrefix: PREFIX, maxRetriesPerRequest: 1 });
    cdn = await startRecordingServer();
    // A second Varnish that does not answer: its failure is logged, the write goes on.
    const deadPort = await freePort();
    Object.assign(CDN_ENV, {
      CDN_VARNISH_URLS: `${cdn.url}/varnish,http://127.0.0.1:${deadPort}/`,
      CDN_FASTLY_API_URL: `${cdn.url}/fastly`,
      CDN_CLOUDFLARE_API_URL: `${cdn.url}/cloudflare`,
    });
    app = await startStrapi({ REDIS_URL, REDIS_KEY_PREFIX: PREFIX, HTTP_CACHE_MAX_AGE: '0', HTTP_CACHE_SHARED_MAX_AGE: '60', ...CDN_ENV });
    token = await createApiToken(app.strapi, 'full-access');
    await importWorkshopText(
      app.strapi,
      `title: ${SECOND.title}\nstartDate: 2031-03-03\nendDate: 2031-03-07\nspeakers:\n  - Amir Ali Ahmadi (Princeton University)\n`,
      { publish: true }
    );
    const workshops = app.strapi.documents('api::workshop.workshop');
    firstId = (await workshops.findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!.documentId;
    secondId = (await workshops.findFirst({ filters: { slug: SECOND.slug } }))!.documentId;
  });
  afterAll(async () => {
    await app?.stop();
    for (const name of Object.keys(CDN_ENV)) delete process.env[name];
    await cdn?.close();
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys.map((key) => key.slice(PREFIX.length)));
    await redis.quit();
  });

  const page = (slug: string) => app.http().post('/graphql').send({ query: PAGE, variables: { slug } });
  const list = () => app.http().post('/graphql').send({ query: LIST, variables: {} });
  const personPage = (slug: string | null | undefined) => app.http().post('/graphql').send({ query: PERSON, variables: { slug } });
  const staff = () => ({ Authorization: `Bearer ${token}` });
  const warm = async () => {
    for (const ask of [() => page(FIRST_WORKSHOP.slug), () => page(SECOND.slug), list]) {
      await ask();
      expect((await ask()).headers['x-cache']).toBe('HIT');
    }
  };
  const purgesAfter = (count: number) => cdn.requests.slice(count);

  it('keeps every answer warm across a draft save made over REST, and purges nothing', async () => {
    await warm();
    const before = await cdn.settled();
    const saved = await app.http().put(`/api/workshops/${firstId}?status=draft`).set(staff()).send({ data: { title: 'A Title Still In Draft' } });
    expect(saved.status).toBe(200);
    const first = await page(FIRST_WORKSHOP.slug);
    expect(first.headers['x-cache']).toBe('HIT');
    expect(first.body.data.workshopBySlug.title).toBe(FIRST_WORKSHOP.title);
    expect((await list()).headers['x-cache']).toBe('HIT');
    expect((await page(SECOND.slug)).headers['x-cache']).toBe('HIT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(purgesAfter(before)).toEqual([]);
  });

  it('on a publish over REST, misses exactly what shows the workshop and purges its keys from every CDN', async () => {
    await warm();
    const before = await cdn.settled();
    const published = await app.http().put(`/api/workshops/${firstId}?status=published`).set(staff()).send({ data: { title: 'A Newly Published Title' } });
    expect(published.status).toBe(200);
    const first = await page(FIRST_WORKSHOP.slug);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.body.data.workshopBySlug.title).toBe('A Newly Published Title');
    const listed = await list();
    expect(listed.headers['x-cache']).toBe('MISS');
    expect(listed.body.data.workshops_connection.nodes.map((w: { title: string }) => w.title)).toContain('A Newly Published Title');
    const second = await page(SECOND.slug);
    expect(second.headers['x-cache']).toBe('HIT');

    // The write answered once its purges were done; a CDN may get its keys in several requests
    // (each has a limit per request), the union is the same everywhere.
    await cdn.waitFor((r) => r.url === '/cloudflare/zones/zone-1/purge_cache', before);
    const sent = (url: string) => purgesAfter(before).filter((r) => r.url === url);
    const union = (lists: string[][]) => [...new Set(lists.flat())].sort();
    const varnish = sent('/varnish');
    expect(varnish.map((r) => r.method)).toEqual(varnish.map(() => 'PURGE'));
    const varnishKeys = union(varnish.map((r) => String(r.headers['xkey-purge']).split(' ')));
    expect(varnishKeys).toEqual(expect.arrayContaining([firstId, 'workshops']));
    expect(varnishKeys).not.toContain(secondId);
    const fastly = sent('/fastly/service/service-1/purge');
    expect(fastly.length).toBeGreaterThan(0);
    for (const request of fastly) {
      expect(request.method).toBe('POST');
      expect(request.headers['fastly-key']).toBe('fastly-token');
    }
    expect(union(fastly.map((r) => String(r.headers['surrogate-key']).split(' ')))).toEqual(varnishKeys);
    const cloudflare = sent('/cloudflare/zones/zone-1/purge_cache');
    const tags = cloudflare.map((r) => (JSON.parse(r.body) as { tags: string[] }).tags);
    for (const request of cloudflare) {
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe('Bearer cloudflare-token');
    }
    for (const batch of tags) expect(batch.length).toBeLessThanOrEqual(30);
    expect(union(tags)).toEqual(varnishKeys);

    await app.http().put(`/api/workshops/${firstId}?status=published`).set(staff()).send({ data: { title: FIRST_WORKSHOP.title } });
    expect((await page(FIRST_WORKSHOP.slug)).body.data.workshopBySlug.title).toBe(FIRST_WORKSHOP.title);
  });

  it('keeps an unannounced speaker out of the people list until the publish, and recomputes it then', async () => {
    const people = app.strapi.documents('api::person.person');
    const person = await people.create({ data: { name: 'Pablo Parrilo', familyName: 'Parrilo', slug: 'pablo-parrilo' } as never });
    const names = async () => {
      const answer = await app.graphql(PEOPLE);
      return { cache: answer.headers['x-cache'], names: answer.body.data.people.map((p: { name: string }) => p.name) as string[] };
    };
    expect((await names()).names).not.toContain('Pablo Parrilo');
    expect((await names()).cache).toBe('HIT');
    const workshops = app.strapi.documents('api::workshop.workshop');
    await workshops.update({ documentId: secondId, data: { speakers: [{ person: person.documentId }] } as never });
    const drafted = await names();
    expect(drafted).toEqual({ cache: 'HIT', names: expect.not.arrayContaining(['Pablo Parrilo']) });
    expect((await page(FIRST_WORKSHOP.slug)).headers['x-cache']).toBe('HIT');
    await workshops.publish({ documentId: secondId });
    const announced = await names();
    expect(announced.cache).toBe('MISS');
    expect(announced.names).toContain('Pablo Parrilo');
    const secondPage = await page(SECOND.slug);
    expect(secondPage.headers['x-cache']).toBe('MISS');
    expect(secondPage.body.data.workshopBySlug.speakers.map((s: { person: { name: string } }) => s.person.name)).toEqual(['Pablo Parrilo']);
  });

  it('misses the pages that show a person who changed (people have no drafts), not the others', async () => {
    await warm();
    const person = await app.strapi.documents('api::person.person').findFirst({ filters: { slug: 'pablo-parrilo' } });
    await app.http().put(`/api/people/${person!.documentId}`).set(staff()).send({ data: { name: 'Pablo A. Parrilo' } });
    const second = await page(SECOND.slug);
    expect(second.headers['x-cache']).toBe('MISS');
    expect(second.body.data.workshopBySlug.speakers[0].person.name).toBe('Pablo A. Parrilo');
    expect((await page(FIRST_WORKSHOP.slug)).headers['x-cache']).toBe('HIT');
  });

  it('names what anonymous GET answers show in Surrogate-Key and Cache-Tag, with Cache-Control for shared caches', async () => {
    const url = `/graphql?query=${encodeURIComponent(PAGE)}&variables=${encodeURIComponent(JSON.stringify({ slug: SECOND.slug }))}`;
    const graphql = await app.http().get(url);
    const keys = String(graphql.headers['surrogate-key']).split(' ');
    const person = await app.strapi.documents('api::person.person').findFirst({ filters: { slug: 'pablo-parrilo' } });
    expect(keys).toEqual(expect.arrayContaining([secondId, person!.documentId, 'institute']));
    expect(keys).not.toContain(firstId);
    expect(graphql.headers['cache-tag']).toBe(keys.join(','));
    expect(graphql.headers['cache-control']).toBe('public, max-age=0, s-maxage=60');
    const hit = await app.http().get(url);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers['surrogate-key']).toBe(graphql.headers['surrogate-key']);

    const rest = await app.http().get(`/api/workshops/${secondId}?populate[speakers][populate]=person`);
    expect(rest.status).toBe(200);
    expect(rest.headers['x-cache']).toBe('MISS');
    expect(String(rest.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining([secondId, person!.documentId]));
    expect(rest.headers['cache-control']).toBe('public, max-age=0, s-maxage=60');
    const restList = await app.http().get('/api/workshops');
    expect(String(restList.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining(['workshops', firstId, secondId]));

    const calendar = await app.http().get(`/api/workshops/${SECOND.slug}/calendar.ics`);
    expect(calendar.status).toBe(200);
    expect(String(calendar.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining([secondId, 'institute']));
    expect(calendar.headers['cache-control']).toBe('public, max-age=0, s-maxage=60');
    const upcoming = await app.http().get('/api/calendar.ics');
    expect(String(upcoming.headers['surrogate-key']).split(' ')).toEqual(expect.arrayContaining(['workshops', secondId]));

    const authenticated = await app.http().get(`/api/workshops/${secondId}`).set(staff());
    expect(authenticated.headers['surrogate-key']).toBeUndefined();
    expect(authenticated.headers['cache-control']).toBe('private, no-store');
    const missing = await app.http().get('/api/workshops/no-such-document');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
  });

  it("on a workshop's publish, misses the pages of the people on it (before and after), not other people's pages", async () => {
    const people = app.strapi.documents('api::person.person');
    const onFirst = (await people.findFirst({ filters: { name: 'Ron Dror' } }))!;
    const alsoOnFirst = (await people.findFirst({ filters: { name: 'Tess Smidt' } }))!;
    const pablo = (await people.findFirst({ filters: { slug: 'pablo-parrilo' } }))!;
    const warmPeople = async () => {
      for (const slug of [onFirst.slug, alsoOnFirst.slug, pablo.slug]) {
        await personPage(slug);
        expect((await personPage(slug)).headers['x-cache']).toBe('HIT');
      }
    };
    await warmPeople();
    const renamed = await app.http().put(`/api/workshops/${firstId}?status=published`).set(staff()).send({ data: { title: 'Renamed For The People Pages' } });
    expect(renamed.status).toBe(200);
    const ron = await personPage(onFirst.slug);
    expect(ron.headers['x-cache']).toBe('MISS');
    expect(ron.body.data.personBySlug.appearances.map((a: { workshop: { title: string } }) => a.workshop.title)).toEqual(['Renamed For The People Pages']);
    expect((await personPage(pablo.slug)).headers['x-cache']).toBe('HIT');

    // A new appearance: Ron Dror on the second workshop too; Pablo's page (on it) misses, Tess Smidt's (not on it) stays.
    await warmPeople();
    const workshops = app.strapi.documents('api::workshop.workshop');
    await workshops.update({ documentId: secondId, data: { speakers: [{ person: pablo.documentId }, { person: onFirst.documentId }] } as never });
    expect((await personPage(onFirst.slug)).headers['x-cache']).toBe('HIT');
    await workshops.publish({ documentId: secondId });
    const added = await personPage(onFirst.slug);
    expect(added.headers['x-cache']).toBe('MISS');
    expect(added.body.data.personBySlug.appearances.map((a: { workshop: { title: string } }) => a.workshop.title).sort()).toEqual(['Renamed For The People Pages', SECOND.title].sort());
    expect((await personPage(pablo.slug)).headers['x-cache']).toBe('MISS');
    expect((await personPage(alsoOnFirst.slug)).headers['x-cache']).toBe('HIT');

    // And off it again: his page misses and no longer lists the second workshop.
    await workshops.update({ documentId: secondId, data: { speakers: [{ person: pablo.documentId }] } as never });
    await workshops.publish({ documentId: secondId });
    const removed = await personPage(onFirst.slug);
    expect(removed.headers['x-cache']).toBe('MISS');
    expect(removed.body.data.personBySlug.appearances.map((a: { workshop: { title: string } }) => a.workshop.title)).toEqual(['Renamed For The People Pages']);

    await app.http().put(`/api/workshops/${firstId}?status=published`).set(staff()).send({ data: { title: FIRST_WORKSHOP.title } });
  });

  describe('with a second instance on the same database and Redis', () => {
    let other: StrapiProcess;
    beforeAll(async () => {
      const database = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('DATABASE_'))) as Record<string, string>;
      other = await startStrapiProcess({ ...database, REDIS_URL, REDIS_KEY_PREFIX: PREFIX, SEED_ON_EMPTY_DATABASE: 'false' });
    });
    afterAll(() => other?.stop());

    it("shares cached answers, and a publish on one instance misses on the other; the other workshop's page stays a hit", async () => {
      const otherPage = (slug: string) => other.http().post('/graphql').send({ query: PAGE, variables: { slug } });
      await warm();
      expect((await otherPage(FIRST_WORKSHOP.slug)).headers['x-cache']).toBe('HIT');
      expect((await otherPage(SECOND.slug)).headers['x-cache']).toBe('HIT');
      await app.strapi.documents('api::workshop.workshop').update({ documentId: firstId, data: { title: 'Published Here, Seen There' } as never, status: 'published' });
      const there = await otherPage(FIRST_WORKSHOP.slug);
      expect(there.headers['x-cache']).toBe('MISS');
      expect(there.body.data.workshopBySlug.title).toBe('Published Here, Seen There');
      expect((await otherPage(SECOND.slug)).headers['x-cache']).toBe('HIT');
      expect((await page(FIRST_WORKSHOP.slug)).headers['x-cache']).toBe('HIT');
    });
  });
});
