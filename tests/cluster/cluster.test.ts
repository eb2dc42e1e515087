import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/database';
import { testEnvironment } from '../helpers/strapi';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';
import { waitFor } from '../faults/support/fault-suite';
import { graphqlGet, send } from './support/http';
import { startLoad } from './support/load';
import { HAPROXY, startHaproxy, startOwnRedis, type Haproxy, type OwnRedis } from './support/services';

const PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'workshop-page.graphql'), 'utf8');
const SLUG = FIRST_WORKSHOP.slug;
const ADMIN = { email: 'cluster@example.org', password: 'Cluster-tests-1' };
const RATE_LIMIT_POINTS = 20;
const SERVERS = ['cms1', 'cms2', 'cms3'];

/** Strapi's log lines at level error, ioredis's unhandled errors, and anything that crashed. */
const errorLines = (log: string) =>
  log
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => /^\[[^\]]+\] (error|fatal):|\[ioredis\]|Unhandled|^\s*at /.test(line));
const count = (log: string, pattern: RegExp) => (log.match(new RegExp(pattern, 'g')) ?? []).length;

const describeCluster = (name: string, body: () => void) => {
  const reason =
    testDatabaseKind() !== 'postgres'
      ? 'several instances share one PostgreSQL database (SQLite is one process by nature): run with TEST_DB=postgres'
      : !fs.existsSync(HAPROXY) && !process.env.CI
        ? `no HAProxy at ${HAPROXY} (apt-get install -y haproxy, or set HAPROXY_PATH)`
        : undefined;
  if (reason) {
    process.stderr.write(`Skipping the cluster tests "${name}": ${reason}.\n`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
};

/**
 * Three instances on one PostgreSQL and one Redis behind HAProxy running deploy/haproxy/haproxy.cfg,
 * as in production. The tests run in order on the same cluster: each leaves it whole.
 */
describeCluster('three instances behind HAProxy', () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  let haproxy: Haproxy;
  const instances: StrapiProcess[] = [];
  /** What every process of instance i printed, across its restarts. */
  const logs = ['', '', ''];
  let ports: number[] = [];
  let token = '';
  let documentId = '';
  // One set of secrets for all: a session or token made by one instance holds on the others.
  const secrets = testEnvironment();
  const prefix = `cluster-${crypto.randomBytes(4).toString('hex')}:`;
  const env = () => ({
    ...secrets,
    ...database.env,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: prefix,
    IS_PROXIED: 'true',
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_POINTS: String(RATE_LIMIT_POINTS),
    RATE_LIMIT_DURATION: '60',
    LOG_LEVEL: 'info',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  const direct = (i: number) => instances[i].baseUrl;
  const log = (i: number) => logs[i] + instances[i].output();
  const titleVia = async (baseUrl: string) => {
    const answer = await graphqlGet(baseUrl, PAGE, { slug: SLUG });
    expect(answer.status).toBe(200);
    return { title: answer.json().data.workshopBySlug.title as string, cache: answer.headers['x-cache'] };
  };
  const publishTitle = async (title: string) => {
    const answer = await send(`${direct(0)}/api/workshops/${documentId}?status=published`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}` },
      body: { data: { title } },
    });
    expect(answer.status).toBe(200);
  };
  const serverUp = (name: string) => waitFor(`HAProxy to see ${name} up`, async () => (await haproxy.stats())[name]?.status === 'UP', 30000);
  /** Starts instance i again on its port (the load balancer's configuration names it). */
  const restart = async (i: number) => {
    logs[i] += instances[i].output();
    instances[i] = await startStrapiProcess({ ...env(), PORT: String(ports[i]) }, { startTimeoutMs: 180000 });
    await serverUp(SERVERS[i]);
  };
  const loadUrls = () => [
    `${haproxy.url}/graphql?${new URLSearchParams({ query: PAGE, variables: JSON.stringify({ slug: SLUG }) })}`,
    `${haproxy.url}/api/workshops?filters[slug][$eq]=${SLUG}&populate[speakers][populate]=person`,
    `${haproxy.url}/api/people?sort=familyName&pagination[pageSize]=10`,
  ];
  const answeredMore = async (load: ReturnType<typeof startLoad>, requests: number) => {
    const target = load.answered() + requests;
    await waitFor(`${requests} more answers under load`, () => load.answered() >= target, 60000);
  };

  beforeAll(async () => {
    if (!fs.existsSync(HAPROXY)) throw new Error(`No HAProxy at ${HAPROXY}: apt-get install -y haproxy (CI runs it).`);
    database = await createTestDatabase();
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis?.close();
    await database?.drop();
  });

  it('starts all three at the same moment on an empty database: one seed, one administrator, no error in any log, all ready', async () => {
    instances.push(...(await Promise.all([0, 1, 2].map(() => startStrapiProcess(env(), { startTimeoutMs: 180000 })))));
    ports = instances.map((instance) => Number(new URL(instance.baseUrl).port));
    haproxy = await startHaproxy(ports.map((port) => `127.0.0.1:${port}`));
    for (const name of SERVERS) await serverUp(name);

    for (const i of [0, 1, 2]) {
      expect((await send(`${direct(i)}/_ready`)).status).toBe(200);
      expect(errorLines(log(i))).toEqual([]);
    }
    // Each started after the one before had finished its bootstrap (src/database/start-up-lock.ts).
    const all = logs.map((_, i) => log(i)).join('\n');
    expect(count(all, /Empty database: imported 1 workshop/)).toBe(1);
    expect(count(all, /Created the first administrator/)).toBe(1);
    expect(count(all, /another instance is starting on this database/)).toBe(2);

    const sql = new Client({ connectionString: database.env.DATABASE_URL });
    await sql.connect();
    try {
      const one = async (statement: string) => (await sql.query(statement)).rows;
      expect(await one('SELECT count(*)::int AS n FROM workshops WHERE published_at IS NOT NULL')).toEqual([{ n: 1 }]);
      expect(await one('SELECT count(*)::int AS n FROM admin_users')).toEqual([{ n: 1 }]);
      expect(await one('SELECT name FROM people GROUP BY name HAVING count(*) > 1')).toEqual([]);
      expect(await one('SELECT name FROM organizations GROUP BY name HAVING count(*) > 1')).toEqual([]);
      expect(await one('SELECT action FROM up_permissions GROUP BY action HAVING count(*) > 1')).toEqual([]);
      expect(
        await one(
          'SELECT role_id, action, subject FROM admin_permissions p JOIN admin_permissions_role_lnk l ON l.permission_id = p.id GROUP BY role_id, action, subject, properties::text, conditions::text HAVING count(*) > 1'
        )
      ).toEqual([]);
    } finally {
      await sql.end();
    }
  });

  it('an administrator session started through one instance works through the others', async () => {
    const login = await send(`${direct(0)}/admin/login`, { method: 'POST', body: ADMIN });
    expect(login.status).toBe(200);
    const session = { Authorization: `Bearer ${login.json().data.token}` };
    for (const baseUrl of [direct(1), direct(2), haproxy.url]) {
      const me = await send(`${baseUrl}/admin/users/me`, { headers: session });
      expect(me.status).toBe(200);
      expect(me.json().data.email).toBe(ADMIN.email);
    }
    // An API token for the publishes below, created through a second instance.
    const created = await send(`${direct(1)}/admin/api-tokens`, {
      method: 'POST',
      headers: session,
      body: { name: 'cluster-tests', description: '', type: 'full-access', lifespan: null },
    });
    expect(created.status).toBe(201);
    token = created.json().data.accessKey;
  });

  it('a publish through one instance is in the next answer through every instance', async () => {
    const page = await graphqlGet(haproxy.url, PAGE, { slug: SLUG });
    documentId = page.json().data.workshopBySlug.documentId;
    // Warm: every instance answers from the shared cache.
    for (const i of [0, 1, 2]) await titleVia(direct(i));
    expect((await titleVia(direct(2))).cache).toBe('HIT');

    await publishTitle('Published Through the First Instance');
    for (const baseUrl of [direct(1), direct(2), haproxy.url, direct(0)]) {
      expect((await titleVia(baseUrl)).title).toBe('Published Through the First Instance');
      const rest = await send(`${baseUrl}/api/workshops?filters[slug][$eq]=${SLUG}`);
      expect(rest.json().data.map((w: { title: string }) => w.title)).toEqual(['Published Through the First Instance']);
    }
  });

  it('routes around an instance killed under load: only requests in flight on it may fail', async () => {
    const load = startLoad(loadUrls(), 6);
    await answeredMore(load, 150);
    const before = (await haproxy.stats()).cms2;
    instances[1].kill();
    const after = (await haproxy.stats()).cms2;
    // In flight on it when it died: those it was serving, and any sent to it between the two readings.
    const inFlight = before.current + (after.total - before.total);
    await waitFor('HAProxy to mark the killed instance down', async () => (await haproxy.stats()).cms2.status.startsWith('DOWN'), 20000);
    await answeredMore(load, 150);
    const result = await load.stop();
    console.log(`SIGKILL under load: ${result.sent} requests, ${result.failures.length} failed, at most ${inFlight} in flight on the killed instance`);
    expect(result.failures.length).toBeLessThanOrEqual(inFlight);
    expect(result.ok).toBeGreaterThan(0);
    await restart(1);
    expect(errorLines(instances[1].output())).toEqual([]);
  });

  it('loses no request in a rolling restart under load (SIGTERM, one instance at a time)', async () => {
    const load = startLoad(loadUrls(), 6);
    await answeredMore(load, 100);
    for (const i of [0, 1, 2]) {
      instances[i].terminate();
      expect(await instances[i].exited).toEqual({ code: 0, signal: null });
      await restart(i);
      await answeredMore(load, 100);
    }
    const result = await load.stop();
    console.log(`Rolling restart under load: ${result.sent} requests, ${result.failures.length} failed`);
    expect(result.failures).toEqual([]);
    for (const i of [0, 1, 2]) expect(errorLines(log(i))).toEqual([]);
  });

  it('keeps answering while Redis is stopped, logs the outage once, and serves nothing older than the last publish once it is back', async () => {
    // Redis holds the answers that show the current title; it comes back with them (SHUTDOWN SAVE).
    for (const i of [0, 1, 2]) await titleVia(direct(i));
    expect((await titleVia(direct(1))).cache).toBe('HIT');
    const logged = instances.map((instance) => instance.output().length);
    const since = (i: number) => instances[i].output().slice(logged[i]);

    const load = startLoad(loadUrls(), 6);
    await answeredMore(load, 50);
    await redis.stop();
    await answeredMore(load, 100);
    // Through instance 1, which cannot tell the others: the answers Redis holds show the old title.
    await publishTitle('Published While Redis Was Away');
    await answeredMore(load, 100);
    const result = await load.stop();
    console.log(`Redis outage under load: ${result.sent} requests, ${result.failures.length} failed`);
    expect(result.failures).toEqual([]);

    // The instance that published is frozen while Redis comes back: the others must not wait
    // for it to tell them what changed.
    instances[0].child.kill('SIGSTOP');
    try {
      await redis.start();
      await waitFor('instances 2 and 3 to find Redis again', () => [1, 2].every((i) => /Redis is back/.test(since(i))), 30000);
      await expectOnlyTheLastPublish([1, 2]);
    } finally {
      instances[0].child.kill('SIGCONT');
    }
    await waitFor('instance 1 to find Redis again', () => /Redis is back/.test(since(0)), 30000);
    await expectOnlyTheLastPublish([0]);
    await serverUp('cms1');
    expect((await titleVia(haproxy.url)).title).toBe('Published While Redis Was Away');
    for (const i of [0, 1, 2]) {
      expect(count(since(i), /Redis is unavailable/)).toBe(1);
      expect(count(since(i), /Redis is back/)).toBe(1);
      expect(errorLines(since(i))).toEqual([]);
    }
  });

  /** Until the shared cache serves it again, every answer of each instance (cached or not) shows the last publish. */
  const expectOnlyTheLastPublish = async (which: number[]) => {
    for (const i of which) {
      const seen: string[] = [];
      await waitFor(`a cache hit through instance ${i + 1}`, async () => {
        const { title, cache } = await titleVia(direct(i));
        seen.push(`${cache} ${title}`);
        return cache === 'HIT';
      }, 20000);
      expect(seen.filter((answer) => !answer.endsWith('Published While Redis Was Away'))).toEqual([]);
    }
  };

  it('shares rate limits: requests spread over the three instances are counted together, per client address', async () => {
    const before = await haproxy.stats();
    const client = '127.0.250.1';
    const statuses: number[] = [];
    for (let n = 0; n < RATE_LIMIT_POINTS + 10; n++) {
      // What a client says in X-Forwarded-For is replaced by its address (deploy/haproxy/haproxy.cfg).
      const answer = await send(`${haproxy.url}/api/workshops`, { from: client, headers: { 'X-Forwarded-For': `203.0.113.${n}` } });
      statuses.push(answer.status);
      if (answer.status === 429) expect(answer.json().error.message).toMatch(`the limit is ${RATE_LIMIT_POINTS} per 60 s`);
    }
    expect(statuses).toEqual([...Array(RATE_LIMIT_POINTS).fill(200), ...Array(10).fill(429)]);
    const after = await haproxy.stats();
    // Round robin: each instance counted about a third of them.
    for (const name of SERVERS) expect(after[name].total - before[name].total).toBeGreaterThanOrEqual(8);
    // Another client is not limited.
    expect((await send(`${haproxy.url}/api/workshops`, { from: '127.0.250.2' })).status).toBe(200);
  });
});
