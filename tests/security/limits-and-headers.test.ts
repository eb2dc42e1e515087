import { startStrapi, type TestApp } from '../helpers/strapi';

const ALLOWED = 'https://site.example.org';

describe('query limits, CORS and security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ CORS_ORIGINS: `${ALLOWED},https://program.example.org` });
  });
  afterAll(() => app?.stop());

  const refusal = async (query: string, limit: RegExp) => {
    const res = await app.graphql(query);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].message).toMatch(limit);
  };

  it('refuses a query deeper than 10 levels', async () => {
    const deep = '{ workshops { series { workshops { series { workshops { series { workshops { series { workshops { series { workshops { title } } } } } } } } } } } }';
    await refusal(deep, /exceeds maximum operation depth of 10/);
  });

  // Strapi's depth limit (graphql-depth-limit) threw a TypeError on these: a 500 (src/middlewares/graphql-unknown-fragments.ts).
  it('refuses a fragment spread that no fragment defines, over POST and GET, as graphql-js would', async () => {
    const query = '{ workshops { ...Missing } }';
    await refusal(query, /^Unknown fragment "Missing"\.$/);
    const res = await app.http().get('/graphql').query({ query: 'query Page { workshops { ...Page } } fragment Other on Workshop { title }' }).set('apollo-require-preflight', 'true');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'Unknown fragment "Page".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    const defined = await app.graphql('{ workshops { ...Row } } fragment Row on Workshop { title }');
    expect(defined.body.errors).toBeUndefined();
    expect(defined.body.data.workshops.length).toBeGreaterThan(0);
  });

  it('refuses more than 15 aliases', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: institute { name }`).join(' ');
    await refusal(`{ ${aliases} }`, /Aliases limit of 15 exceeded, found 16/);
  });

  it('counts every alias: of __typename, and named __typename, too', async () => {
    const typenames = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ');
    expect((await app.graphql(`{ ${typenames(15)} }`)).status).toBe(200);
    await refusal(`{ ${typenames(16)} }`, /Aliases limit of 15 exceeded, found 16/);
    await refusal(`{ ${typenames(15)} institute { __typename: name } }`, /Aliases limit of 15 exceeded, found 16/);
    await refusal(`{ institute { ${typenames(16)} } }`, /Aliases limit of 15 exceeded, found 16/);
  });

  it('refuses a query of more than 1000 tokens', async () => {
    const fields = Array.from({ length: 1100 }, () => 'title').join(' ');
    await refusal(`{ workshops { ${fields} } }`, /Document contains more that 1000 tokens/);
  });

  it('refuses a query that costs too much (static cost: the workshop page, photos and logos included, costs about 990)', async () => {
    const wide = 'title slug startDate endDate summary timezone registrationUrl';
    const nested = `workshops { ${wide} speakers { person { name appearances { workshop { ${wide} speakers { credit person { name slug } } } } } } }`;
    const costly = Array.from({ length: 10 }, (_, i) => `w${i}: ${nested}`).join(' ');
    await refusal(`{ ${costly} }`, /Query Cost limit of 1500 exceeded/);
  });

  it('refuses too many directives', async () => {
    const directives = Array.from({ length: 11 }, () => '@include(if: true)').join(' ');
    await refusal(`{ __typename ${directives} }`, /Directives limit of 10 exceeded/);
  });

  it('refuses batched operations', async () => {
    const res = await app.http().post('/graphql').send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/batching/i);
  });

  it('caps page sizes at 100', async () => {
    const res = await app.graphql('{ people_connection(pagination: { pageSize: 1000 }) { pageInfo { pageSize } } }');
    expect(res.body.data.people_connection.pageInfo.pageSize).toBe(100);
    const rest = await app.http().get('/api/people?pagination[pageSize]=1000');
    expect(rest.body.meta.pagination.pageSize).toBe(100);
  });

  it.each(['/graphql', '/api/workshops'])('answers CORS preflights on %s for allowed origins only', async (path) => {
    const allowed = await app.http().options(path).set('Origin', ALLOWED).set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    const other = await app.http().options(path).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each(['/graphql', '/api/workshops'])('lets allowed origins read the request id and X-Cache of answers on %s', async (path) => {
    const req = path === '/graphql' ? app.http().post(path).send({ query: '{ __typename }' }) : app.http().get(path);
    const res = await req.set('Origin', ALLOWED);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    const exposed = String(res.headers['access-control-expose-headers'] ?? '').toLowerCase().split(/\s*,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'x-cache']));
    expect(res.headers['x-request-id']).toMatch(/./);
  });

  it.each(['/graphql', '/api/workshops'])('sends security headers on %s and does not advertise the server', async (path) => {
    const res = path === '/graphql' ? await app.graphql('{ __typename }') : await app.http().get(path);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['referrer-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('does not let anyone sign up for an account', async () => {
    const res = await app.http().post('/api/auth/local/register').send({ username: 'someone', email: 'someone@example.org', password: 'Secret-Password-1' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Register action is currently disabled');
    expect(await app.strapi.db.query('plugin::users-permissions.user').count()).toBe(0);
  });
});
