import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { describeFaults, createFullAccessToken, sleep } from './support/fault-suite';
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres';
import { startStrapiProcess, type StrapiProcess } from './support/strapi-process';

const DATABASE = 'ipam_faults';
const WORKSHOP_SLUG = 'learning-and-emergence-in-molecular-systems';
const WORKSHOP_PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'workshop-page.graphql'), 'utf8');

/** Fail fast: a request that needs the database answers within this bound, even while it is down. */
const FAIL_FAST_BOUND_MS = 5000;
/** Beyond this a request counts as hung (and the test fails). */
const HUNG_AFTER_MS = 15000;
const RECOVERY_BOUND_MS = 30000;
const WORKERS = 6;

type Kind = 'rest' | 'graphql' | 'write';

interface Outcome {
  kind: Kind;
  startedAt: number;
  endedAt: number;
  /** 0: no HTTP answer at all (timeout, connection refused or reset). */
  status: number;
  retryAfter?: string;
  code?: string;
  personSlug?: string;
  failure?: string;
}

/**
 * Several clients reading over REST, reading over GraphQL and writing people over REST with a
 * full-access token, in a loop, until told to stop. Every outcome is kept for the assertions.
 */
let written = 0;

const startLoad = (server: StrapiProcess, token: string) => {
  const outcomes: Outcome[] = [];
  let running = true;
  const kinds: Kind[] = ['rest', 'graphql', 'write'];

  const send = (kind: Kind) => {
    const http = server.http();
    if (kind === 'rest') {
      return { request: http.get('/api/workshops').query({ filters: { slug: WORKSHOP_SLUG }, fields: ['title'] }) };
    }
    if (kind === 'graphql') return { request: http.post('/graphql').send({ query: WORKSHOP_PAGE, variables: { slug: WORKSHOP_SLUG } }) };
    written += 1;
    const personSlug = `fault-person-${written}`;
    return {
      personSlug,
      request: http
        .post('/api/people')
        .set('Authorization', `Bearer ${token}`)
        .send({ data: { name: `Fault Person ${written}`, slug: personSlug } }),
    };
  };

  const worker = async (offset: number) => {
    for (let turn = offset; running; turn += 1) {
      const kind = kinds[turn % kinds.length];
      const { request, personSlug } = send(kind);
      const startedAt = Date.now();
      const outcome: Outcome = await request.timeout(HUNG_AFTER_MS).then(
        (res) => ({
          kind,
          startedAt,
          endedAt: Date.now(),
          status: res.status,
          retryAfter: res.headers['retry-after'],
          code: kind === 'graphql' ? res.body?.errors?.[0]?.extensions?.code : res.body?.error?.details?.code,
          personSlug,
        }),
        (error: { response?: unknown; status?: number; message: string }) =>
          error.response && error.status
            ? { kind, startedAt, endedAt: Date.now(), status: error.status, personSlug }
            : { kind, startedAt, endedAt: Date.now(), status: 0, personSlug, failure: error.message }
      );
      outcomes.push(outcome);
      // Keep the load steady without spinning on instant 503s.
      if (outcome.status === 503) await sleep(20);
    }
  };
  const workers = Array.from({ length: WORKERS }, (_, index) => worker(index));
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
};

const summary = (outcomes: Outcome[]) =>
  outcomes.reduce<Record<string, number>>((counts, { kind, status }) => {
    counts[`${kind} ${status}`] = (counts[`${kind} ${status}`] ?? 0) + 1;
    return counts;
  }, {});

describeFaults('PostgreSQL stopped under load', () => {
  let postgres: OwnPostgres;
  let server: StrapiProcess;
  let token: string;
  const acknowledged: string[] = [];

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    await postgres.createDatabase(DATABASE);
    // Without the response cache, every GraphQL read needs the database. (With it, cached answers
    // keep coming, 200, while PostgreSQL is down: good for clients, but not what is tested here.)
    server = await startStrapiProcess({ DATABASE_URL: postgres.url(DATABASE), PUBLIC_URL: 'http://cms.test', RESPONSE_CACHE: 'false' });
    token = await createFullAccessToken(server);
  });

  afterAll(async () => {
    await server?.stop();
    await postgres?.destroy();
  });

  describe.each([
    ['a clean restart (pg_ctl stop -m fast: sessions terminated with 57P01)', 'fast' as const],
    ['a crash (pg_ctl stop -m immediate: connections dropped, crash recovery on start)', 'immediate' as const],
  ])('%s', (_title, mode) => {
    let outcomes: Outcome[];
    let downAt: number;
    let restartingAt: number;
    let upAt: number;
    const probes: Array<{ path: string; status: number; while: 'down' | 'up' }> = [];

    beforeAll(async () => {
      const load = startLoad(server, token);
      await sleep(1000);
      await postgres.stop(mode);
      downAt = Date.now();
      await sleep(1000);
      for (const probePath of ['/_health', '/_ready']) {
        probes.push({ path: probePath, status: (await server.http().get(probePath).timeout(HUNG_AFTER_MS)).status, while: 'down' });
      }
      await sleep(2000);
      restartingAt = Date.now();
      await postgres.start();
      upAt = Date.now();
      // Bounded: the load runs until every kind of request has succeeded again, 30 s at most.
      const recovered = () =>
        (['rest', 'graphql', 'write'] as const).every((kind) =>
          load.outcomes.some((o) => o.kind === kind && o.startedAt >= upAt && o.status >= 200 && o.status < 300)
        );
      while (!recovered() && Date.now() - upAt < RECOVERY_BOUND_MS) await sleep(50);
      await sleep(1000);
      await load.stop();
      for (const probePath of ['/_health', '/_ready']) {
        probes.push({ path: probePath, status: (await server.http().get(probePath).timeout(HUNG_AFTER_MS)).status, while: 'up' });
      }
      outcomes = load.outcomes;
      acknowledged.push(...outcomes.filter((o) => o.kind === 'write' && o.status === 201).map((o) => o.personSlug as string));

      const slowest503 = Math.max(0, ...outcomes.filter((o) => o.status === 503).map((o) => o.endedAt - o.startedAt));
      const recoveries = Object.fromEntries(
        (['rest', 'graphql', 'write'] as const).map((kind) => {
          const first = outcomes.find((o) => o.kind === kind && o.startedAt >= upAt && o.status >= 200 && o.status < 300);
          return [kind, first ? `${first.endedAt - upAt} ms` : 'not recovered'];
        })
      );
      // Requests the server gave up on at its fault deadline (src/resilience): stuck under Strapi.
      const abandoned = outcomes.filter((o) => o.status === 503 && o.endedAt - o.startedAt >= 3000).length;
      console.log(
        `PostgreSQL ${mode} stop under load: ${outcomes.length} requests ${JSON.stringify(summary(outcomes))}; ` +
          `slowest 503: ${slowest503} ms (${abandoned} answered at the 3 s fault deadline); ` +
          `first success after PostgreSQL accepted connections again: ${JSON.stringify(recoveries)}`
      );
    });

    it('never hangs, never answers 500 nor a misleading 401: only 2xx or 503', () => {
      const unexpected = outcomes.filter((o) => ![200, 201, 503].includes(o.status));
      expect(unexpected).toEqual([]);
      expect(server.child.exitCode).toBeNull();
    });

    it('answers 503 fast, with Retry-After and a DATABASE_UNAVAILABLE code, to every request while PostgreSQL is down', () => {
      const whileDown = outcomes.filter((o) => o.startedAt > downAt && o.endedAt < restartingAt);
      for (const kind of ['rest', 'graphql', 'write'] as const) expect(whileDown.filter((o) => o.kind === kind).length).toBeGreaterThan(0);
      for (const outcome of whileDown) {
        expect(outcome).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), code: 'DATABASE_UNAVAILABLE' });
      }
      for (const outcome of outcomes.filter((o) => o.status === 503)) {
        expect(outcome.endedAt - outcome.startedAt).toBeLessThan(FAIL_FAST_BOUND_MS);
        expect(outcome.code).toBe('DATABASE_UNAVAILABLE');
      }
    });

    it('keeps /_health at 204 (alive) while /_ready follows the database (503 down, 200 back)', () => {
      expect(probes).toEqual([
        { path: '/_health', status: 204, while: 'down' },
        { path: '/_ready', status: 503, while: 'down' },
        { path: '/_health', status: 204, while: 'up' },
        { path: '/_ready', status: 200, while: 'up' },
      ]);
    });

    it('recovers by itself once PostgreSQL is back: reads and writes succeed again, without a restart', () => {
      for (const kind of ['rest', 'graphql', 'write'] as const) {
        const successes = outcomes.filter((o) => o.kind === kind && o.startedAt >= upAt && o.status >= 200 && o.status < 300);
        expect(successes.length).toBeGreaterThan(0);
      }
      // Once every kind has succeeded again, every request succeeds: no leftover broken connection.
      const recoveredAt = Math.max(
        ...(['rest', 'graphql', 'write'] as const).map(
          (kind) => outcomes.find((o) => o.kind === kind && o.startedAt >= upAt && o.status >= 200 && o.status < 300)?.endedAt ?? Infinity
        )
      );
      expect(outcomes.filter((o) => o.startedAt > recoveredAt && o.status >= 300)).toEqual([]);
    });
  });

  it('keeps every write it acknowledged (201) through both outages', async () => {
    expect(acknowledged.length).toBeGreaterThan(0);
    const client = new Client({ connectionString: postgres.url(DATABASE) });
    await client.connect();
    try {
      const { rows } = await client.query<{ slug: string }>('SELECT slug FROM people WHERE slug = ANY($1)', [acknowledged]);
      expect(rows.map((row) => row.slug).sort()).toEqual([...acknowledged].sort());
    } finally {
      await client.end();
    }
  });
});
