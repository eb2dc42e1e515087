import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';

/**
 * Thousands of generated malformed and hostile requests: GraphQL documents, variables and REST
 * query strings. No answer may be a 5xx, and the server must keep answering. The seed is printed
 * (set FUZZ_SEED to replay a run); FUZZ_RUNS scales the number of cases.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** A guard against a hang, not a speed bar: thousands of requests on a busy 2-core machine take minutes. */
const FUZZ_TIMEOUT_MS = 10 * 60 * 1000;

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const OPERATIONS = fs.readdirSync(CONTRACT).map((file) => fs.readFileSync(path.join(CONTRACT, file), 'utf8'));
const COLLECTIONS = ['workshops', 'people', 'organizations', 'sponsors', 'workshop-series-list'];
const FIELDS = ['title', 'slug', 'name', 'startDate', 'endDate', 'speakers', 'organizers', 'person', 'affiliation', 'series', 'sponsors', 'talks', 'email', 'notes', 'id', 'documentId', 'publishedAt', 'createdBy', 'password', '__proto__', 'constructor'];
const OPERATORS = ['$eq', '$ne', '$in', '$notIn', '$lt', '$gt', '$between', '$contains', '$containsi', '$startsWith', '$null', '$notNull', '$or', '$and', '$not', '$foo', '$regex', '$where', '$raw', 'eq', ''];
const HOSTILE = [
  "' OR 1=1 --",
  '"; DROP TABLE workshops; --',
  "1'; SELECT pg_sleep(5); --",
  '%00',
  '\u0000',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  'NaN',
  '-1',
  '99999999999999999999999',
  '1e309',
  '[]',
  '{}',
  'true',
  'null',
  'x'.repeat(10_000),
];

const hostileText = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.integer().map(String));

/** A REST query string built from real and made-up keys, operators and values, nested. */
const queryKey = fc.oneof(
  fc.tuple(fc.constantFrom('filters'), fc.array(fc.oneof(fc.constantFrom(...FIELDS, ...OPERATORS), fc.string({ maxLength: 10 }), fc.nat(5).map(String)), { minLength: 1, maxLength: 8 })),
  fc.tuple(fc.constantFrom('populate', 'fields', 'sort', 'pagination', 'status', 'locale', 'publicationState', 'hasPublishedVersion'), fc.array(fc.oneof(fc.constantFrom(...FIELDS, 'populate', 'fields', 'page', 'pageSize', 'start', 'limit', '*', '0'), fc.string({ maxLength: 8 })), { maxLength: 12 }))
).map(([root, parts]) => root + parts.map((part) => `[${part}]`).join(''));
const restRequest = fc.record({
  collection: fc.oneof(fc.constantFrom(...COLLECTIONS, 'institute'), fc.string({ maxLength: 20 }).map(encodeURIComponent)),
  id: fc.option(fc.oneof(hostileText.map(encodeURIComponent), fc.constant('calendar.ics')), { nil: undefined }),
  query: fc.array(fc.tuple(queryKey, hostileText), { maxLength: 6 }),
});

/** A contract operation, broken at random places. */
const mangledOperation = fc
  .tuple(fc.constantFrom(...OPERATIONS), fc.array(fc.tuple(fc.nat(), fc.nat(20), fc.string({ maxLength: 10 })), { maxLength: 4 }))
  .map(([source, edits]) =>
    edits.reduce((text, [at, cut, insert]) => {
      const position = at % (text.length + 1);
      return text.slice(0, position) + insert + text.slice(position + cut);
    }, source)
  );
const deepNesting = fc.nat(300).map((depth) => `{ ${'workshops { series { '.repeat(depth)}title${' }'.repeat(depth * 2)} }`);
const hostileVariables = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ slug: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileText) }),
  fc.record({
    filters: fc.dictionary(fc.constantFrom(...FIELDS), fc.dictionary(fc.constantFrom(...OPERATORS.map((o) => o.replace('$', ''))), fc.jsonValue({ maxDepth: 2 }))),
    page: fc.oneof(fc.integer(), hostileText),
    pageSize: fc.oneof(fc.integer(), hostileText),
  })
);
const graphqlRequest = fc.record({
  query: fc.oneof(mangledOperation, deepNesting, hostileText, fc.constantFrom(...OPERATIONS)),
  variables: fc.option(hostileVariables, { nil: undefined }),
  operationName: fc.option(fc.oneof(hostileText, fc.constantFrom('WorkshopPage', 'PersonPage')), { nil: undefined }),
  viaGet: fc.boolean(),
});

describe('fuzzing', () => {
  let app: TestApp;
  const statuses = new Map<number, number>();
  beforeAll(async () => {
    app = await startStrapi({ RATE_LIMIT_ENABLED: 'false' });
    console.log(`Fuzzing with FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS}`);
  });
  afterAll(async () => {
    console.log(`Fuzz answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
    await app?.stop();
  });
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  it(`answers ${RUNS * 2} generated GraphQL requests without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(graphqlRequest, async ({ query, variables, operationName, viaGet }) => {
        const res = viaGet
          ? await app.http().get('/graphql').query({ query, ...(variables !== undefined ? { variables: JSON.stringify(variables) } : {}), ...(operationName ? { operationName } : {}) })
          : await app.http().post('/graphql').set('Content-Type', 'application/json').send(JSON.stringify({ query, variables, operationName }));
        count(res.status);
        expect(res.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: RUNS * 2 }
    );
  }, FUZZ_TIMEOUT_MS);

  it(`answers ${RUNS} generated REST requests without a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(restRequest, async ({ collection, id, query }) => {
        const search = query.map(([key, value]) => `${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(value)}`).join('&');
        const res = await app.http().get(`/api/${collection}${id !== undefined ? `/${id}` : ''}?${search}`);
        count(res.status);
        expect(res.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: RUNS }
    );
  }, FUZZ_TIMEOUT_MS);

  // Shapes the fuzzer found reaching the database as a 500 before src/security/filters-shape.ts.
  it.each([
    ['/api/workshops?filters[0]=', 'Invalid filters: filters must hold conditions, such as filters[title][$eq]=....'],
    ['/api/workshops?filters[title][7][x]=y', 'Invalid filters: filters[title] must be a value or operators, such as filters[title][$eq]=....'],
    ['/api/sponsors?filters[$in]=x', 'Invalid filters: filters[$in]: an operator must follow a field name, such as filters[title][$in]=....'],
    ['/api/organizations?filters[$and]=x', 'Invalid filters: filters[$and] must be a list of conditions, such as filters[$and][0][title][$eq]=....'],
    ['/api/workshops?filters[title][$foo]=x', 'Invalid filters: filters[title][$foo]: unknown operator $foo.'],
    ['/api/people?filters[name][$in][0][x]=y', 'Invalid filters: filters[name][$in] must be a list of values, such as filters[name][$in][0]=....'],
    // Seed 517937264: fields under a field that holds a value, also through a relation and a component.
    ['/api/workshops?filters[title][title]=', 'Invalid filters: filters[title][title]: filters[title] holds a value, not fields; compare it with an operator, such as filters[title][$eq]=....'],
    ['/api/workshops?filters[series][name][x]=y', 'Invalid filters: filters[series][name][x]: filters[series][name] holds a value, not fields; compare it with an operator, such as filters[series][name][$eq]=....'],
    ['/api/workshops?filters[organizers][person][slug][$not][x]=y', 'Invalid filters: filters[organizers][person][slug][$not][x]: filters[organizers][person][slug][$not] holds a value, not fields; compare it with an operator, such as filters[organizers][person][slug][$not][$eq]=....'],
    ['/api/people?filters[id][id]=1', 'Invalid filters: filters[id][id]: filters[id] holds a value, not fields; compare it with an operator, such as filters[id][$eq]=....'],
    // Seed 530598341: documentId under a component.
    ['/api/workshops?filters[organizers][documentId]=', 'Invalid filters: filters[organizers][documentId]: filters[organizers] is a component, which has no documentId; filter on its fields, such as filters[organizers][id][$eq]=....'],
    ['/api/workshops?filters[talks][documentId][$eq]=x', 'Invalid filters: filters[talks][documentId]: filters[talks] is a component, which has no documentId; filter on its fields, such as filters[talks][id][$eq]=....'],
    // Field lists, before src/security/field-lists.ts (seed 513049471 found the first).
    ['/api/workshops?sort=../../../../etc/passwd', 'Invalid sort: sort has an empty field name in "../../../../etc/passwd"; write fields as title or series.name, optionally with :asc or :desc.'],
    ['/api/people?sort=name,.slug:desc', 'Invalid sort: sort has an empty field name in ".slug:desc"; write fields as title or series.name, optionally with :asc or :desc.'],
    ['/api/workshops?sort[0]=..', 'Invalid sort: sort[0] has an empty field name in ".."; write fields as title or series.name, optionally with :asc or :desc.'],
    // Seed 513602060 found `fields=`; the same lists inside populate failed the same way.
    ['/api/workshops?fields=', 'Invalid query: fields is empty; list fields such as fields=title,slug.'],
    ['/api/workshops?populate[sponsors][sort]=..', 'Invalid query: populate[sponsors][sort] has an empty field name in ".."; write fields as title or series.name, optionally with :asc or :desc.'],
    ['/api/workshops?populate[organizers][populate][person][fields]=', 'Invalid query: populate[organizers][populate][person][fields] is empty; list fields such as populate[organizers][populate][person][fields]=title,slug.'],
  ])('refuses the malformed query %s with a 400 that says what is wrong', async (url, message) => {
    const res = await app.http().get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('still accepts well-formed sorts and field lists', async () => {
    for (const sort of ['title', 'startDate:desc,title:asc']) {
      expect((await app.http().get(`/api/workshops?sort=${sort}`)).status).toBe(200);
    }
    // Through a relation: staff only (src/access/public-query-fields.ts).
    const staff = `Bearer ${await createApiToken(app.strapi, 'full-access')}`;
    expect((await app.http().get('/api/workshops?sort=series.name:asc').set('Authorization', staff)).status).toBe(200);
    expect((await app.http().get('/api/workshops?sort[0]=title:desc&sort[1]=slug')).status).toBe(200);
    expect((await app.http().get('/api/workshops?fields=title,slug&populate[sponsors][sort]=name:desc&populate[series][fields][0]=name')).status).toBe(200);
  });

  it('refuses a filter value its field cannot hold with a 400, on PostgreSQL too', async () => {
    // Numeric ids are not a public filter; a full-access token reaches the database with it.
    const staff = `Bearer ${await createApiToken(app.strapi, 'full-access')}`;
    const res = await app.http().get('/api/workshops?filters[id]=').set('Authorization', staff);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('filters.id must be a number, not ""');
  });

  it('still accepts filters through relations and components', async () => {
    for (const filters of ['filters[series][name][$containsi]=schwinger', 'filters[organizers][person][name][$eq]=x', 'filters[series][sponsor][acronym]=NSF']) {
      expect((await app.http().get(`/api/workshops?${filters}`)).status).toBe(200);
    }
  });

  it('still accepts well-formed filters', async () => {
    const res = await app.http().get('/api/workshops?filters[$or][0][title][$containsi]=learning&filters[$or][1][slug][$in][0]=x&filters[startDate][$between][0]=2023-01-01&filters[startDate][$between][1]=2023-12-31&filters[title][$not][$null]=true');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
  });

  it('answers malformed bodies without a 5xx', async () => {
    const bodies = ['{', 'null', '[]', '"query"', '{"query": 1}', '{"query": "{ __typename }", "variables": "nope"}', 'x'.repeat(2_000_000)];
    for (const body of bodies) {
      const graphql = await app.http().post('/graphql').set('Content-Type', 'application/json').send(body);
      const rest = await app.http().post('/api/workshops').set('Content-Type', 'application/json').send(body);
      count(graphql.status);
      count(rest.status);
      expect(graphql.status).toBeLessThan(500);
      expect(rest.status).toBeLessThan(500);
    }
  });

  it('still answers afterwards', async () => {
    expect((await app.http().get('/_health')).status).toBe(204);
    const res = await app.graphql('{ workshops { title } }');
    expect(res.body.data.workshops).toHaveLength(1);
  });
});
