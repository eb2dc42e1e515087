import { createTestDatabase, renameTable, testDatabaseKind, type TestDatabase } from '../helpers/database';
import { acknowledgeInternalError } from '../helpers/internal-errors';
import { createFullAccessToken, waitFor } from '../faults/support/fault-suite';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';

/**
 * Internal errors reach clients as a generic message and an id, and the server's log as the
 * full detail under the same id (src/errors). The server runs in a process of its own, so that
 * the log read here is what operators read: its output.
 *
 * The internal error is a real one: a table the server expects is gone (renamed under it, as a
 * failed migration or an operator's mistake would leave it), so its statement fails in the
 * driver, with the SQL in the error. Bad input is not one any more: blocks nested thousands of
 * levels deep, which overflowed the stack, are refused by the variable bounds, and a NUL character
 * PostgreSQL cannot store is a 400.
 */
const DEPTH = 3000;
const deepBlocks = '[{"type":"paragraph","children":'.repeat(DEPTH) + '[{"type":"text","text":"x"}]' + '}]'.repeat(DEPTH);
const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let database: TestDatabase;
let server: StrapiProcess;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startStrapiProcess(database.env);
  token = await createFullAccessToken(server);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** The log line about error `errorId`, once the server has printed it. */
const logLineOf = async (errorId: string) => {
  await waitFor(`the log line of error ${errorId}`, () => server.output().includes(`Internal error ${errorId}`));
  const output = server.output();
  return output.slice(output.indexOf(`Internal error ${errorId}`));
};

const leaksNothing = (text: string) => {
  expect(text).not.toMatch(/Maximum call stack|RangeError|stacktrace|\bat .*\.js:\d+/);
};

describe('an internal error', () => {
  it('reaches a GraphQL client as a generic message and an id, and the log with the detail and its SQL', async () => {
    await renameTable(database, 'sponsors', 'sponsors_gone');
    try {
      const res = await server.http().post('/graphql').send({ query: 'query MissingTable { sponsors { name } }' });
      acknowledgeInternalError(res);

      expect(res.body.errors).toHaveLength(1);
      const [error] = res.body.errors;
      expect(error.message).toMatch(new RegExp(`^Internal server error \\(error id ${ID}\\)\\. The operators have the details\\.$`));
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(new RegExp(`^${ID}$`)) });
      expect(error.message).toContain(error.extensions.errorId);
      leaksNothing(res.text);
      expect(res.text).not.toMatch(/select|sponsors_gone|no such table|does not exist|SQLITE|42P01/i);

      const logged = await logLineOf(error.extensions.errorId);
      expect(logged).toMatch(/^Internal error \S+ on POST \/graphql \(GraphQL operation MissingTable\): (\w*Error|error): select .*sponsors.* - (no such table: sponsors|relation "(public\.)?sponsors" does not exist)/);
    } finally {
      await renameTable(database, 'sponsors_gone', 'sponsors');
    }
  });

  const onPostgres = testDatabaseKind() === 'postgres';
  if (!onPostgres) process.stderr.write('Skipping "a value PostgreSQL cannot store": SQLite stores a NUL character (TEST_DB=postgres).\n');
  (onPostgres ? it : it.skip)('is not a value PostgreSQL cannot store (a NUL character): that is BAD_USER_INPUT naming the reason, with nothing written', async () => {
    const res = await server
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: 'mutation CreateNulOrganization($name: String) { createOrganization(data: { name: $name, slug: "nul" }) { name } }', variables: { name: 'a\u0000b' } });
    expect(res.body.errors[0]).toMatchObject({ message: 'Invalid value: invalid byte sequence for encoding "UTF8": 0x00.', extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.text).not.toMatch(/select|insert|organizations/i);
    const organizations = await server.http().get('/api/organizations?filters[slug][$eq]=nul').set('Authorization', `Bearer ${token}`);
    expect(organizations.body.data).toEqual([]);
  });
});

describe('a client error Koa could not write', () => {
  it('keeps its 400 and message, without the details that echo input nested too deep to write', async () => {
    // Strapi's ValidationError keeps the value in its details; Koa's JSON.stringify overflowed on
    // them and Koa answered a bare "Internal Server Error".
    const res = await server
      .http()
      .post('/api/workshops')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(`{"data":{"title":"Deep","slug":"deep","startDate":"2025-01-01","endDate":"2025-01-02","overview":${deepBlocks}}}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ data: null, error: { status: 400, name: 'ValidationError', message: 'Inline node must be Text or Link', details: {} } });
  });
});

describe('errors meant for clients', () => {
  it('keep their message and code: validation (BAD_USER_INPUT), syntax, unknown fields, too many bad variables, no stack trace', async () => {
    const invalid = await server
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: 'mutation { createWorkshop(data: { title: "Backwards", startDate: "2025-01-02", endDate: "2025-01-01" }) { documentId } }' });
    expect(invalid.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(invalid.body.errors[0].extensions.error.name).toBe('ValidationError');
    expect(invalid.body.errors[0].message).not.toMatch(/Internal server error/);

    const syntax = await server.http().post('/graphql').send({ query: '{ workshops { title ' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });

    const unknown = await server.http().post('/graphql').send({ query: '{ workshops { nonsense } }' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ message: expect.stringMatching(/nonsense/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

    // More than graphql-js's 50 errors in the variables: its refusal has no code of Apollo's.
    const unknownFields = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`nonsense${index}`, 1]));
    const variables = await server
      .http()
      .post('/graphql')
      .send({ query: 'query($filters: WorkshopFiltersInput) { workshops(filters: $filters) { title } }', variables: { filters: unknownFields } });
    expect(variables.status).toBe(400);
    expect(variables.body.errors.at(-1)).toMatchObject({ message: expect.stringMatching(/^Too many errors processing variables/), extensions: { code: 'BAD_USER_INPUT' } });

    for (const answer of [invalid, syntax, unknown, variables]) expect(answer.text).not.toContain('stacktrace');
  });

  it('keep their REST status, name and message (400, 404)', async () => {
    const invalid = await server
      .http()
      .post('/api/workshops')
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { title: 'Backwards', startDate: '2025-01-02', endDate: '2025-01-01' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.name).toBe('ValidationError');

    const missing = await server.http().get('/api/workshops/no-such-document');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ status: 404, name: 'NotFoundError', message: 'Not Found' });
  });
});
