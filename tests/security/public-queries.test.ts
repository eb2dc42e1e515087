import { importWorkshopText } from '../helpers/workshop-text';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { QUERY_BOUNDS } from '../../src/access/query-bounds';

/**
 * The public query language (src/access/read-policy.ts): what anonymous clients and read-only
 * tokens may filter, sort, search and populate on, every hop restricted to published documents,
 * and the bounds on one request. tests/security/differential-fuzz.test.ts tries everything else.
 */
const DRAFT_IN_PUBLIC_SERIES = `
title: Unannounced Draft Workshop
slug: unannounced-draft-workshop
startDate: 2031-03-03
endDate: 2031-03-07
series: Julian Schwinger Workshop on Multiscale Physics
speakers:
  - Hidden Speaker (Hidden Institute)
  - Tess Smidt (MIT)
`;
const SERIES = '/api/workshop-series-list';

describe('public queries', () => {
  let app: TestApp;
  let readOnly: string;
  let fullAccess: string;

  beforeAll(async () => {
    app = await startStrapi({ RATE_LIMIT_ENABLED: 'false', RESPONSE_CACHE: 'false' });
    await importWorkshopText(app.strapi, DRAFT_IN_PUBLIC_SERIES);
    // A draft edit of the published workshop, and a private value on a published person.
    const workshops = app.strapi.documents('api::workshop.workshop');
    const published = (await workshops.findFirst({ status: 'published' }))!;
    await workshops.update({ documentId: published.documentId, data: { title: 'Renamed In Draft' } as never });
    await app.strapi.db.query('api::person.person').update({ where: { slug: 'xavier-bresson' }, data: { email: 'xavier.private@example.org', notes: 'private note zq' } });
    readOnly = await createApiToken(app.strapi, 'read-only');
    fullAccess = await createApiToken(app.strapi, 'full-access');
  });
  afterAll(() => app?.stop());

  const as = (token: string | undefined) => ({
    get: (url: string) => (token ? app.http().get(url).set('Authorization', `Bearer ${token}`) : app.http().get(url)),
    graphql: (query: string, variables?: unknown) => {
      const request = app.http().post('/graphql').send({ query, variables });
      return token ? request.set('Authorization', `Bearer ${token}`) : request;
    },
  });
  const publicClients = [
    ['anonymous', () => undefined],
    ['a read-only token', () => readOnly],
  ] as const;

  describe.each(publicClients)('as %s', (_who, token) => {
    const client = () => as(token());
    const total = async (url: string) => {
      const res = await client().get(url);
      expect(res.status).toBe(200);
      return res.body.meta.pagination.total as number;
    };

    it('finds a series through its published workshops, never through a draft', async () => {
      expect(await total(`${SERIES}?filters[workshops][title][$eq]=Learning and Emergence in Molecular Systems`)).toBe(1);
      expect(await total(`${SERIES}?filters[workshops][title][$eq]=Unannounced Draft Workshop`)).toBe(0);
      expect(await total(`${SERIES}?filters[workshops][title][$eq]=Renamed In Draft`)).toBe(0);
      expect(await total(`${SERIES}?filters[workshops][slug][$startsWith]=unannounced`)).toBe(0);
      expect(await total(`/api/workshops?filters[series][workshops][slug][$startsWith]=unannounced`)).toBe(0);
      expect(await total(`/api/workshops?filters[$or][0][series][workshops][title][$containsi]=draft&filters[$or][1][slug][$eq]=none`)).toBe(0);
    });

    it('finds nothing through a draft in GraphQL either', async () => {
      const query = 'query($title: String) { workshopSeriesList(filters: { workshops: { title: { eq: $title } } }) { name } }';
      const found = async (title: string) => (await client().graphql(query, { title })).body.data.workshopSeriesList.length;
      expect(await found('Learning and Emergence in Molecular Systems')).toBe(1);
      expect(await found('Unannounced Draft Workshop')).toBe(0);
      expect(await found('Renamed In Draft')).toBe(0);
    });

    it('refuses $not around a hop into workshops, which would let a draft decide', async () => {
      const res = await client().get(`${SERIES}?filters[$not][workshops][title][$eq]=x`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('filters.$not.workshops: public clients cannot put workshops under $not (only published ones are visible); filter on what they should match instead');
    });

    it.each([
      ['/api/workshops?filters[summary][$containsi]=x', 'filters.summary: "summary" is not a public filter; fields public clients can filter workshops on: documentId, slug, title, startDate, endDate, series, sponsors, organizers, speakers'],
      ['/api/workshops?filters[talks][title][$eq]=x', 'filters.talks: "talks" is not a public filter; fields public clients can filter workshops on: documentId, slug, title, startDate, endDate, series, sponsors, organizers, speakers'],
      ['/api/people?filters[bio][$null]=true', 'filters.bio: "bio" is not a public filter; fields public clients can filter people on: documentId, slug, name, familyName, affiliation'],
      ['/api/workshops?filters[publishedAt][$null]=true', 'filters.publishedAt: "publishedAt" is not a public filter; fields public clients can filter workshops on: documentId, slug, title, startDate, endDate, series, sponsors, organizers, speakers'],
      ['/api/workshops?sort=summary', 'sort: "summary" is not a public sort; public clients can sort workshops by title, slug, startDate, endDate'],
      ['/api/workshops?sort=series.name:asc', 'sort: "series.name" is not a public sort; public clients can sort workshops by title, slug, startDate, endDate'],
      ['/api/workshops?populate[series][populate][workshops][populate][speakers][populate]=person', 'populate.series.populate.workshops.populate.speakers.populate.person populates 3 relations deep; at most 2 are allowed'],
      ['/api/workshop-series-list?populate[workshops][count]=true', 'populate.workshops.count: public clients may give populate, fields, filters and sort here'],
      ['/api/workshops?populate[series][filters][description][$containsi]=x', 'populate.series.filters.description: "description" is not a public filter; fields public clients can filter workshop-series-list on: documentId, slug, name, sponsor, workshops'],
    ])('refuses %s with a 400 that names the field', async (url, message) => {
      const res = await client().get(url);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
    });

    it('refuses a field outside the public filters in GraphQL, naming it', async () => {
      const res = await client().graphql('{ workshops(filters: { summary: { containsi: "x" } }) { title } }');
      expect(res.status).toBe(400);
      expect(res.body.data).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(/^filters\.summary: "summary" is not a public filter/);
    });

    it('searches public fields only', async () => {
      expect(await total('/api/people?_q=bresson')).toBe(1);
      expect(await total('/api/people?_q=xavier.private')).toBe(0);
      expect(await total('/api/people?_q=private note')).toBe(0);
      expect(await total('/api/workshops?_q=molecular')).toBe(1);
      expect(await total('/api/workshops?_q=unannounced')).toBe(0);
      const res = await client().get('/api/people?_q[$eq]=x');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('_q must be a text to search for, such as _q=molecular');
    });

    it('populates published workshops only, and only what is public', async () => {
      const res = await client().get(`${SERIES}?populate[workshops][fields][0]=title&populate[sponsor]=true`);
      expect(res.status).toBe(200);
      expect(res.body.data[0].workshops.map((w: { title: string }) => w.title)).toEqual(['Learning and Emergence in Molecular Systems']);
      const all = await client().get(`${SERIES}?populate=*`);
      expect(all.status).toBe(200);
      expect(JSON.stringify(all.body)).not.toMatch(/Unannounced|Renamed In Draft/);
      const filtered = await client().get(`${SERIES}?populate[workshops][filters][title][$containsi]=unannounced`);
      expect(filtered.body.data[0].workshops).toEqual([]);
    });

    it('selects nothing among drafts in GraphQL', async () => {
      const res = await client().graphql('{ workshopSeriesList(publicationFilter: MODIFIED) { workshops_connection { nodes { title } } } }');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('Query.workshopSeriesList: publicationFilter selects among drafts, which public clients do not read.');
    });

    it('passes no arguments below Query in GraphQL', async () => {
      const res = await client().graphql('{ workshopSeriesList { workshops(filters: { title: { eq: "x" } }) { title } } }');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('WorkshopSeries.workshops takes no arguments from public clients (given: filters); filter, sort and page the top-level query instead.');
    });
  });

  describe('bounds, for every client', () => {
    const conditions = (n: number) => Array.from({ length: n }, (_, i) => `filters[$or][${i}][slug][$eq]=s${i}`).join('&');
    const nested = (n: number) => `filters${'[$or][0]'.repeat(n)}[slug][$eq]=x`;
    const slugs = (n: number) => Array.from({ length: n }, (_, i) => `filters[slug][$in][${i}]=s${i}`).join('&');

    it.each([
      [`/api/workshops?${conditions(QUERY_BOUNDS.conditions + 1)}`, `filters hold more than ${QUERY_BOUNDS.conditions} conditions (the next is filters.$or.20.slug.$eq); ask for less in one request`],
      [`/api/workshops?${nested(QUERY_BOUNDS.nesting + 1)}`, `filters.$or.0.$or.0.$or.0.$or.0.$or.0.$or: $and, $or and $not are nested more than ${QUERY_BOUNDS.nesting} deep`],
      ['/api/workshops?filters[series][sponsor][slug]=a&filters[$or][0][series][slug]=b&filters[$or][1][series][name]=c', `filters follow 4 relations (series, series.sponsor, series, series); at most ${QUERY_BOUNDS.relations} are allowed in one request, each time one is named`],
      ['/api/workshops?filters[$or][0][speakers][person][name][$containsi]=a&filters[$or][1][speakers][person][name][$containsi]=b', `filters follow 2 relations that hold many (speakers, speakers); at most ${QUERY_BOUNDS.manyRelations} is allowed in one request, so ask one query per relation`],
      ['/api/workshops?filters[series][workshops][speakers][person][name][$eq]=x', `filters follow 2 relations that hold many (series.workshops, series.workshops.speakers); at most ${QUERY_BOUNDS.manyRelations} is allowed in one request, so ask one query per relation`],
      [`/api/workshops?${slugs(QUERY_BOUNDS.listValues + 1)}`, `filters.slug.$in has ${QUERY_BOUNDS.listValues + 1} values; at most ${QUERY_BOUNDS.listValues} are allowed`],
      ['/api/workshops?filters[startDate][$between][0]=2023-01-01', 'filters.startDate.$between needs exactly two values, the lowest and the highest, not 1'],
      ['/api/workshops?filters[startDate][$containsi]=2023', 'filters.startDate.$containsi: $containsi compares text; this field holds date values, compare it with $eq, $lt, $gt or $between'],
      ['/api/workshops?filters[startDate][$gt]=yesterday', 'filters.startDate.$gt must be a date written YYYY-MM-DD, not "yesterday"'],
      ['/api/workshops?pagination[start]=99999999999999999999&pagination[limit]=1', `pagination starts after 100000000000000000000 rows; at most ${QUERY_BOUNDS.offset} can be skipped, so narrow the filters instead`],
      ['/api/workshops?populate[talks][sort]=speakers.name', `populate.talks.sort: "speakers.name" sorts through a relation; inside populate, sort by the populated entries' own fields`],
      [`/api/workshops?filters[title][$eq]=${'x'.repeat(QUERY_BOUNDS.valueLength + 1)}`, `filters.title.$eq is ${QUERY_BOUNDS.valueLength + 1} characters long; at most ${QUERY_BOUNDS.valueLength} are allowed`],
    ])('%s is refused with a 400 that says why', async (url, message) => {
      for (const token of [undefined, readOnly, fullAccess]) {
        const res = await as(token).get(url);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(message);
      }
    });

    it('refuses deeply nested GraphQL variables before coercing them, and keeps answering', async () => {
      // Written out: JSON.stringify itself overflows the stack on 6,000 levels.
      const filters = `${'{"or":['.repeat(3000)}{"slug":{"eq":"x"}}${']}'.repeat(3000)}`;
      const body = `{"query":"query($f: WorkshopFiltersInput) { workshops(filters: $f) { title } }","variables":{"f":${filters}}}`;
      const res = await app.http().post('/graphql').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('The variables are nested more than 20 levels deep; ask for less in one request.');
      expect((await app.http().get('/_health')).status).toBe(204);
    });

    it('counts every condition given through GraphQL variables too', async () => {
      const or = Array.from({ length: QUERY_BOUNDS.conditions + 1 }, (_, i) => ({ slug: { eq: `s${i}` } }));
      const res = await as(undefined).graphql('query($f: WorkshopFiltersInput) { workshops(filters: $f) { title } }', { f: { or } });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe(`filters hold more than ${QUERY_BOUNDS.conditions} conditions (the next is filters.$or.20.slug.$eq); ask for less in one request`);
    });
  });

  describe('staff tokens', () => {
    it('keep Strapi full filtering, sorting and populating', async () => {
      const staff = as(fullAccess);
      expect((await staff.get('/api/workshops?filters[summary][$null]=false&sort=series.name:asc')).status).toBe(200);
      expect((await staff.get('/api/people?_q=xavier.private')).body.meta.pagination.total).toBe(1);
      expect((await staff.graphql('{ workshopSeriesList { workshops(filters: { title: { eq: "x" } }) { title } } }')).status).toBe(200);
      const byTimestamp = await staff.graphql('{ workshops(filters: { createdAt: { gt: "2020-01-01T00:00:00Z" } }) { title } }');
      expect(byTimestamp.body.errors).toBeUndefined();
      expect(byTimestamp.body.data.workshops).toHaveLength(1);
    });
  });
});
