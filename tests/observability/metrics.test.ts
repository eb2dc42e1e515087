import fs from 'fs';
import path from 'path';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/database';
import { createFullAccessToken } from '../faults/support/fault-suite';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';

/**
 * Prometheus metrics at /metrics (src/observability), read as Prometheus reads them: over HTTP
 * from a server in a process of its own, in the text format, with the token.
 */
const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const contractOperation = (file: string) => fs.readFileSync(path.join(CONTRACT, file), 'utf8');
const METRICS_TOKEN = 'metrics-test-token-9c1f';
const POOL_MAX = 7;

/** Prometheus text format: `name{label="value",...} number` lines, as a map from series to value. */
const parseMetrics = (text: string) => {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+?(?:\{.*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`Not a line of the Prometheus text format: ${line}`);
    series.set(match[1], Number(match[2]));
  }
  return series;
};

const labels = (values: Record<string, string>) =>
  `{${Object.entries(values)
    .map(([name, value]) => `${name}="${value}"`)
    .join(',')}}`;

describe('/metrics without METRICS_TOKEN', () => {
  let database: TestDatabase;
  let server: StrapiProcess;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startStrapiProcess({ ...database.env, METRICS_TOKEN: '' });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('does not exist: 404, token or not', async () => {
    expect((await server.http().get('/metrics')).status).toBe(404);
    const withToken = await server.http().get('/metrics').set('Authorization', 'Bearer ');
    expect(withToken.status).toBe(404);
    expect(withToken.text).not.toMatch(/http_requests_total|process_/);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let database: TestDatabase;
  let server: StrapiProcess;
  let staffToken: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startStrapiProcess({
      ...database.env,
      METRICS_TOKEN,
      DATABASE_POOL_MAX: String(POOL_MAX),
      // A low limit, so that a scrape counted by it would soon be refused.
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_POINTS: '30',
      RATE_LIMIT_DURATION: '600',
    });
    staffToken = await createFullAccessToken(server);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const scrape = async () => {
    const res = await server.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    return res;
  };
  const metrics = async () => parseMetrics((await scrape()).text);

  it('answers 401 without the token or with a wrong one, without a metric', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(0, -1)}`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`]) {
      const request = server.http().get('/metrics');
      const res = await (authorization === undefined ? request : request.set('Authorization', authorization));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.');
      expect(res.text).not.toMatch(/http_requests_total|process_/);
    }
  });

  it('answers 200 with the token: Prometheus text format, never cached, with the process metrics (RSS, event loop lag, GC)', async () => {
    const res = await scrape();
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
    expect(res.text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(res.text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(parseMetrics(res.text).get('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts GraphQL operations by contract name ("other" for the rest) and response cache hits and misses, exactly', async () => {
    // The seeded workshop and one of its speakers, found before counting.
    const found = await server.http().post('/graphql').send({ query: '{ workshops { slug speakers { person { slug } } } }' });
    const [{ slug: workshopSlug, speakers }] = found.body.data.workshops;
    const personSlug = speakers[0].person.slug;

    const before = await metrics();
    const workshopPage = { query: contractOperation('workshop-page.graphql'), variables: { slug: workshopSlug } };
    for (let sent = 0; sent < 3; sent++) {
      const res = await server.http().post('/graphql').send(workshopPage);
      expect(res.status).toBe(200);
      expect(res.body.data.workshopBySlug.slug).toBe(workshopSlug);
      expect(res.headers['x-cache']).toBe(sent === 0 ? 'MISS' : 'HIT');
    }
    // A GET without operationName: the operation is named by its document.
    for (let sent = 0; sent < 2; sent++) {
      const res = await server.http().get('/graphql').query({ query: contractOperation('institute.graphql') });
      expect(res.status).toBe(200);
      expect(res.headers['x-cache']).toBe(sent === 0 ? 'MISS' : 'HIT');
    }
    // With credentials: executed, never looked up in the cache.
    const person = await server
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({ query: contractOperation('person-page.graphql'), variables: { slug: personSlug }, operationName: 'PersonPage' });
    expect(person.body.data.personBySlug.slug).toBe(personSlug);
    // Names a client made up are one label, "other", not a series each.
    for (const name of ['MadeUpOperation', 'AnotherMadeUpOperation']) {
      const res = await server.http().post('/graphql').set('Authorization', `Bearer ${staffToken}`).send({ query: `query ${name} { __typename }` });
      expect(res.status).toBe(200);
    }
    const after = await metrics();

    const operations = (name: string) => `graphql_operations_total${labels({ operation: name })}`;
    const increase = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);
    expect(increase(operations('WorkshopPage'))).toBe(3);
    expect(increase(operations('Institute'))).toBe(2);
    expect(increase(operations('PersonPage'))).toBe(1);
    expect(increase(operations('other'))).toBe(2);
    expect(increase(operations('SeriesPage'))).toBe(0);
    expect(increase(`graphql_operation_duration_seconds_count${labels({ operation: 'WorkshopPage' })}`)).toBe(3);
    expect(increase(`graphql_response_cache_lookups_total${labels({ result: 'hit' })}`)).toBe(3);
    expect(increase(`graphql_response_cache_lookups_total${labels({ result: 'miss' })}`)).toBe(2);
    expect([...after.keys()].join('\n')).not.toMatch(/MadeUpOperation/);
    // Cached answers are counted under their route, as executed ones are.
    expect(increase(`http_requests_total${labels({ method: 'POST', route: '/graphql', status: '200' })}`)).toBe(6);
  });

  it('labels HTTP requests by route pattern (src/observability/route-label.ts), never by URL; unknown paths are one label; scrapes are not counted', async () => {
    const list = await server.http().get('/api/workshops');
    const { documentId } = list.body.data[0];
    const before = await metrics();
    expect((await server.http().get(`/api/workshops/${documentId}`)).status).toBe(200);
    expect((await server.http().get('/api/workshops/no-such-document')).status).toBe(404);
    expect((await server.http().get('/no/such/path-1')).status).toBe(404);
    // Strapi's public files answer GET on any path: a POST there is refused as a method not allowed.
    expect((await server.http().post('/no/such/path-2')).status).toBe(405);
    expect((await server.http().get('/robots.txt')).status).toBe(200);
    await scrape();
    await scrape();
    const after = await metrics();

    const increase = (values: Record<string, string>) => (after.get(`http_requests_total${labels(values)}`) ?? 0) - (before.get(`http_requests_total${labels(values)}`) ?? 0);
    expect(increase({ method: 'GET', route: '/api/workshops/:id', status: '200' })).toBe(1);
    expect(increase({ method: 'GET', route: '/api/workshops/:id', status: '404' })).toBe(1);
    expect(increase({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(increase({ method: 'POST', route: 'unmatched', status: '405' })).toBe(1);
    expect(increase({ method: 'GET', route: 'static', status: '200' })).toBe(1);
    expect(after.get(`http_request_duration_seconds_count${labels({ method: 'GET', route: '/api/workshops/:id', status: '200' })}`)).toBeGreaterThanOrEqual(1);
    const series = [...after.keys()].join('\n');
    expect(series).not.toMatch(new RegExp(`${documentId}|no-such-document|path-1|path-2|robots|/metrics`));
  });

  it('is not rate-limited: more scrapes than the limit allows all answer, while the API is refused', async () => {
    const statuses = [];
    for (let scraped = 0; scraped < 40; scraped++) statuses.push((await server.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    // The limit itself holds meanwhile: the API's 30 requests are spent by now or within a few more.
    let api = 200;
    for (let sent = 0; sent < 40 && api !== 429; sent++) api = (await server.http().get('/api/institute')).status;
    expect(api).toBe(429);
    expect((await server.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
  });

  // src/observability/database-pool.ts reads knex's pool under Strapi's connection: if an upgrade
  // moves it, the gauges vanish and this fails.
  it('reports the database pool (src/observability/database-pool.ts): used, free, max and pending acquires, numbers read at scrape time', async () => {
    const after = await metrics();
    const gauges = ['db_pool_connections_used', 'db_pool_connections_free', 'db_pool_connections_max', 'db_pool_pending_acquires', 'db_pool_pending_creates'];
    for (const gauge of gauges) expect(Number.isFinite(after.get(gauge))).toBe(true);
    // SQLite runs on one connection (Strapi's pool for better-sqlite3); PostgreSQL on DATABASE_POOL_MAX.
    expect(after.get('db_pool_connections_max')).toBe(testDatabaseKind() === 'postgres' ? POOL_MAX : 1);
    expect(after.get('db_pool_connections_used')! + after.get('db_pool_connections_free')!).toBeLessThanOrEqual(after.get('db_pool_connections_max')!);
    expect(after.get('db_pool_connections_used')! + after.get('db_pool_connections_free')!).toBeGreaterThanOrEqual(1);
  });
});
