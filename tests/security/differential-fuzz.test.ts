import fs from 'fs';
import fc from 'fast-check';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/database';
import { testEnvironment } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { Server, runAll, send, type Outcome } from './support/differential';
import { addFixtures, addSecondPublishedWorkshop, markersFor } from './support/fixtures';
import { withStrapi } from './support/in-process';
import { describeModel, type Model } from './support/model';
import { findProblems, formatReport, formatSlowest, type Problem } from './support/report';
import { requestArbitraries, type FuzzRequest } from './support/requests';

/**
 * The differential security fuzzer: proves that the public read API leaks nothing.
 *
 * Two databases, identical but for the fixtures: the base (the seed and a second published
 * workshop) is copied, and only the copy gets the fixtures (drafts with unannounced people,
 * organization, sponsor and series, linked to public documents; a draft edit of a published
 * workshop; private values on people; an image of an unannounced person; an end user). A fixed
 * list of requests, generated from Strapi's metadata and the public GraphQL schema, goes to a
 * server on each database, anonymously and with a read-only API token. A public client must not
 * be able to tell the databases apart: every answer must be the same on both, no answer may quote
 * a fixture, and none may be a 5xx, an INTERNAL_SERVER_ERROR or no answer at all.
 *
 * FUZZ_SEED replays a run (the seed is printed), FUZZ_RUNS scales it, FUZZ_ONLY (a regular
 * expression on "METHOD path body") keeps only the requests it matches, FUZZ_DUMP=file writes
 * every request with both answers there.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
const ONLY = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
const TIMEOUT_MS = 10000;
const CONCURRENCY = 3;

/** Requests no fixture can change the answer to: a comparison that cannot pass these is broken. */
const CONTROLS: Array<Omit<FuzzRequest, 'auth'>> = [
  { method: 'GET', path: '/api/institute', features: ['control'] },
  { method: 'GET', path: '/api/institute?populate=*', features: ['control'] },
  { method: 'POST', path: '/graphql', body: JSON.stringify({ query: '{ institute { name shortName timezone } }' }), features: ['graphql', 'control'] },
  { method: 'GET', path: '/api/workshops/learning-and-emergence-in-molecular-systems/calendar.ics', features: ['control'] },
];

const markers = markersFor(SEED);

describe(`differential fuzzing of the public read API (${testDatabaseKind()})`, () => {
  const secrets = testEnvironment();
  let base: TestDatabase | undefined;
  let fixtureDatabase: TestDatabase | undefined;
  let servers: { honest: Server; fixture: Server } | undefined;
  let uploadedFiles: string[] = [];
  let tokens: { readOnly: string; fullAccess: string };
  let model: Model;
  let requests: FuzzRequest[];
  let outcomes: Outcome[];
  let problems: Problem[];
  const timings: string[] = [];
  const started = Date.now();
  const lap = (what: string) => timings.push(`${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);

  beforeAll(async () => {
    base = await createTestDatabase();
    // The seed (loaded on this first start), a second published workshop, and the tokens: all in both databases.
    await withStrapi(base, secrets, async (strapi) => {
      await strapi.server.mount();
      await addSecondPublishedWorkshop(strapi);
      tokens = { readOnly: await createApiToken(strapi, 'read-only'), fullAccess: await createApiToken(strapi, 'full-access') };
      model = await describeModel(strapi);
    });
    fixtureDatabase = await base.copy();
    ({ uploadedFiles } = await withStrapi(fixtureDatabase, secrets, (strapi) => addFixtures(strapi, markers)));
    lap('databases ready');

    const arbitraries = requestArbitraries(model, markers);
    const all: Array<Omit<FuzzRequest, 'auth'>> = [
      ...CONTROLS,
      ...fc.sample(arbitraries.rest, { seed: SEED, numRuns: Math.round(RUNS * 0.6) }),
      ...fc.sample(arbitraries.graphql, { seed: SEED + 1, numRuns: Math.round(RUNS * 0.37) }),
      ...fc.sample(arbitraries.huge, { seed: SEED + 2, numRuns: Math.max(3, Math.round(RUNS * 0.02)) }),
    ];
    const generated = all.filter((r) => !ONLY || ONLY.test(`${r.method} ${decodeURIComponent(r.path)} ${r.body ?? ''}`));
    // Every request anonymously and with the read-only token, except the huge ones: the bounds do
    // not depend on who asks, and each that hangs a server costs a timeout and a restart.
    requests = generated.flatMap((r) => (r.huge ? (['anonymous'] as const) : (['anonymous', 'read-only'] as const)).map((auth) => ({ ...r, auth })));

    // Same secrets (the tokens work on both), same PUBLIC_URL, no rate limit, no response cache.
    const env = { ...secrets, PUBLIC_URL: 'http://cms.test', RATE_LIMIT_ENABLED: 'false', RESPONSE_CACHE: 'false' };
    servers = { honest: new Server('honest', { ...env, ...base.env }), fixture: new Server('fixture', { ...env, ...fixtureDatabase.env }) };
    await Promise.all([servers.honest.start(), servers.fixture.start()]);
    lap('servers started');

    const tokenFor = (r: FuzzRequest) => (r.auth === 'read-only' ? tokens.readOnly : undefined);
    outcomes = [
      ...(await runAll(requests.filter((r) => !r.huge), servers, tokenFor, { concurrency: CONCURRENCY, timeoutMs: TIMEOUT_MS, retry: true })),
      // One at a time: a request that hangs a server then delays no other.
      ...(await runAll(requests.filter((r) => r.huge), servers, tokenFor, { concurrency: 1, timeoutMs: TIMEOUT_MS, retry: false })),
    ];
    lap(`${outcomes.length} requests answered`);
    const privateFieldTypes = Object.values(model.contentTypes)
      .filter((s) => s.uid.startsWith('api::') && Object.entries(s.attributes).some(([name, a]) => a.private && !['createdBy', 'updatedBy', 'locale', 'localizations'].includes(name)))
      .map((s) => `/api/${s.pluralName}`);
    problems = findProblems(outcomes, markers.core, privateFieldTypes);
    if (process.env.FUZZ_DUMP) fs.writeFileSync(process.env.FUZZ_DUMP, JSON.stringify(outcomes, null, 1));

    const statuses = new Map<number, number>();
    for (const o of outcomes) statuses.set(o.fixture.status, (statuses.get(o.fixture.status) ?? 0) + 1);
    console.log(
      [
        `Differential fuzz on ${testDatabaseKind()}: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}${ONLY ? ` FUZZ_ONLY=${ONLY.source}` : ''}, marker ${markers.core}`,
        `${generated.length} generated requests, each anonymous and with a read-only token: ${requests.length} sent to each database`,
        `fixture answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
        timings.join(', '),
        'Slowest requests:',
        formatSlowest(outcomes),
      ].join('\n')
    );
  }, 30 * 60 * 1000);

  afterAll(async () => {
    await servers?.honest.stop();
    await servers?.fixture.stop();
    await base?.drop();
    await fixtureDatabase?.drop();
    for (const file of uploadedFiles) fs.rmSync(file, { force: true });
  }, 120000);

  const report = (selected: Problem[], what: string) =>
    formatReport(selected, `${what}\nReplay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} TEST_DB=${testDatabaseKind()} npx jest tests/security/differential-fuzz.test.ts (READ_ONLY_TOKEN: a read-only API token of your server)`);
  const expectNone = (selected: Problem[], what: string) => {
    if (selected.length > 0) throw new Error(report(selected, what));
  };

  it('answers requests that no fixture can reach identically on both databases (the comparison itself works)', () => {
    const controls = outcomes.filter((o) => o.request.features.includes('control'));
    expect(controls.length).toBeGreaterThan(0);
    expectNone(problems.filter((p) => p.outcome.request.features.includes('control')), 'Control requests differ: the databases or servers differ in more than the fixtures.');
  });

  it('sees the fixtures where they may be seen: a full-access token reads the draft on the fixture database only', async () => {
    const request: FuzzRequest = { method: 'GET', path: `/api/workshops?status=draft&filters[title][$containsi]=${markers.core}`, auth: 'read-only', features: [] };
    const [honest, fixture] = await Promise.all([send(servers!.honest, request, tokens.fullAccess, TIMEOUT_MS), send(servers!.fixture, request, tokens.fullAccess, TIMEOUT_MS)]);
    expect(honest.status).toBe(200);
    expect(findProblems([{ request, honest, fixture }], markers.core, []).map((p) => [p.mismatch, p.markerLeak])).toEqual([[true, true]]);
  });

  it('answers every generated request identically on the honest and the fixture database', () => {
    expectNone(problems.filter((p) => p.mismatch), 'Public answers differ between the honest and the fixture database: a public client can tell that drafts, embargoed documents or private values exist.');
  });

  it('never quotes a fixture (draft, embargoed document, private value, hidden file or user) in a public answer', () => {
    expectNone(problems.filter((p) => p.markerLeak), 'Public answers quote the fixtures.');
  });

  it('never answers a 5xx or a GraphQL INTERNAL_SERVER_ERROR, on either database', () => {
    expectNone(problems.filter((p) => p.serverError || p.internalError), 'Internal errors (malformed input must get a 4xx with a message).');
  });

  it(`answers every request within ${TIMEOUT_MS / 1000} s (the work of one request is bounded)`, () => {
    expectNone(problems.filter((p) => p.timedOut), 'Requests without an answer in time.');
  });
});
