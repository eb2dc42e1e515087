import { Client } from 'pg';
import { testDatabaseKind } from '../helpers/database';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { QUERY_BOUNDS } from '../../src/access/query-bounds';

/**
 * DATABASE_STATEMENT_TIMEOUT (config/database.ts): PostgreSQL stops a statement that runs longer,
 * and the client that asked for it gets a 400 that says so (src/errors), not a 500.
 *
 * The slow statement is one any client may ask for within the bounds of src/access/query-bounds.ts:
 * one relation that holds many (a workshop's sponsors, 100,000 of them here) with the 20
 * conditions allowed, each a case-insensitive search of the longest value allowed, so that
 * PostgreSQL lowers and scans every linked name 20 times, for the page and for its count. The
 * bounds keep such a statement proportional to the data; the timeout bounds it in time.
 *
 * The names are nearly the needles (a long run of "z", then something else), so that each search
 * compares most of the name at every position: some 40 s of PostgreSQL's time on this machine
 * (10,000 such names and 2 searches took 0.39 s in psql), far past the timeout whatever the
 * machine's speed. With short names each statement took 0.9-1 s and often finished in time.
 */
const TIMEOUT_MS = 1000;
const SPONSORS = 100_000;
const MESSAGE = `The query ran longer than the ${TIMEOUT_MS} ms the server allows and was stopped; ask for less (fewer conditions, a smaller page).`;
const NEEDLES = Array.from({ length: QUERY_BOUNDS.conditions }, (_, i) => `${'z'.repeat(QUERY_BOUNDS.valueLength - 3)}${String(i).padStart(3, '0')}`);

const describeOnPostgres = testDatabaseKind() === 'postgres' ? describe : describe.skip;
if (testDatabaseKind() !== 'postgres') {
  process.stderr.write('Skipping the statement timeout tests: SQLite has no statement timeout; they run on PostgreSQL (TEST_DB=postgres).\n');
}

describeOnPostgres('a statement longer than DATABASE_STATEMENT_TIMEOUT', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startStrapi({ DATABASE_STATEMENT_TIMEOUT: String(TIMEOUT_MS) });
    // Rows written straight into the tables (the statements below run outside the timeout, on a
    // connection of their own): sponsors of the published first workshop.
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`select id from workshops where published_at is not null limit 1`);
      const workshopId = rows[0].id;
      await client.query(
        `insert into sponsors (document_id, name, slug, published_at) select 'slow-sponsor-' || g, repeat('z', $2::int) || '-' || g, 'sponsor-' || g, now() from generate_series(1, $1::int) g`,
        [SPONSORS, QUERY_BOUNDS.valueLength - 4]
      );
      await client.query(`insert into workshops_sponsors_lnk (workshop_id, sponsor_id, sponsor_ord) select $1, id, id from sponsors where document_id like 'slow-sponsor-%'`, [workshopId]);
      await client.query('analyze');
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('is stopped, and a REST client gets a 400 QueryTimeoutError', async () => {
    const res = await app.http().get(`/api/workshops?${NEEDLES.map((needle, i) => `filters[sponsors][$or][${i}][name][$containsi]=${needle}`).join('&')}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ data: null, error: { status: 400, name: 'QueryTimeoutError', message: MESSAGE, details: {} } });
  });

  it('is stopped, and a GraphQL client gets HTTP 400 with extensions.code QUERY_TIMEOUT', async () => {
    const res = await app.graphql('query SlowWorkshops($f: WorkshopFiltersInput) { workshops(filters: $f) { title } }', {
      f: { sponsors: { or: NEEDLES.map((needle) => ({ name: { containsi: needle } })) } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ message: MESSAGE, extensions: { code: 'QUERY_TIMEOUT' } });
  });

  it('leaves the other requests alone: the workshop page answers, and the server keeps serving', async () => {
    const res = await app.graphql('{ workshops { title series { name } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.workshops).toHaveLength(1);
  });
});
