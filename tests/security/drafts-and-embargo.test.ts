import { importWorkshopText } from '../helpers/workshop-text';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';

/**
 * Every path by which a draft or an embargoed document could reach a client that may not
 * preview, probed as an anonymous client and as a read-only API token.
 */
const EMBARGOED_FILE = `
title: Embargoed Workshop
startDate: 2031-03-03
endDate: 2031-03-07
series:
  name: Hidden Series
  sponsor: Hidden Sponsor (HS)
sponsors: [Hidden Sponsor (HS)]
speakers:
  - Secret Speaker (Hidden Institute)
  - Tess Smidt (MIT)
`;

const SECRETS = /Embargoed|Renamed In Draft|Secret Speaker|Hidden Institute|Hidden Sponsor|Hidden Series/;

describe('drafts and embargoed documents', () => {
  let app: TestApp;
  let readOnlyToken: string;
  let fullAccessToken: string;
  let previewToken: string;
  let draftId: string;
  let secretPersonId: string;
  let publishedId: string;

  beforeAll(async () => {
    app = await startStrapi();
    draftId = (await importWorkshopText(app.strapi, EMBARGOED_FILE)).documentId;

    const workshops = app.strapi.documents('api::workshop.workshop');
    publishedId = (await workshops.findFirst({ status: 'published' }))!.documentId;
    await workshops.update({ documentId: publishedId, data: { title: 'Renamed In Draft' } as never });
    secretPersonId = (await app.strapi.documents('api::person.person').findFirst({ filters: { name: 'Secret Speaker' } }))!.documentId;

    readOnlyToken = await createApiToken(app.strapi, 'read-only');
    fullAccessToken = await createApiToken(app.strapi, 'full-access');
    previewToken = await createApiToken(app.strapi, 'custom', ['api::workshop.workshop.find', 'api::person.person.find', 'api::workshop.preview.draft']);
  });
  afterAll(() => app?.stop());

  const clients = [
    ['anonymous', () => undefined],
    ['a read-only token', () => readOnlyToken],
  ] as const;

  describe.each(clients)('as %s', (_who, token) => {
    const get = (url: string) => {
      const request = app.http().get(url);
      return token() ? request.set('Authorization', `Bearer ${token()}`) : request;
    };
    const graphql = (query: string, variables?: Record<string, unknown>) => {
      const request = app.http().post('/graphql').send({ query, variables });
      return token() ? request.set('Authorization', `Bearer ${token()}`) : request;
    };
    const expectNothingSecret = (body: unknown) => expect(JSON.stringify(body)).not.toMatch(SECRETS);

    it.each([
      '/api/workshops',
      '/api/workshops?status=draft',
      '/api/workshops?status=draft&populate=*',
      '/api/workshops?filters[speakers][person][name][$eq]=Secret%20Speaker&status=draft',
      '/api/workshops?sort=title:asc&status=draft',
      '/api/people',
      '/api/people?status=draft&pagination[pageSize]=100',
      '/api/people?filters[name][$containsi]=secret',
      '/api/people?sort=name:desc&pagination[pageSize]=100',
      '/api/organizations?pagination[pageSize]=100',
      '/api/organizations?filters[name][$eq]=Hidden%20Institute',
      '/api/sponsors',
      '/api/sponsors?filters[acronym][$eq]=HS',
      '/api/workshop-series-list',
      '/api/workshop-series-list?populate=workshops&status=draft',
    ])('REST %s returns nothing unpublished', async (url) => {
      const res = await get(url);
      expect(res.status).toBe(200);
      expectNothingSecret(res.body);
    });

    it('REST counts only what is public', async () => {
      expect((await get('/api/people')).body.meta.pagination.total).toBe(15);
      expect((await get('/api/organizations')).body.meta.pagination.total).toBe(13);
      expect((await get('/api/sponsors')).body.meta.pagination.total).toBe(1);
      expect((await get('/api/workshop-series-list')).body.meta.pagination.total).toBe(1);
      expect((await get('/api/workshops?status=draft')).body.meta.pagination.total).toBe(1);
    });

    it('REST documentId lookups find no draft and no embargoed person', async () => {
      expect((await get(`/api/workshops/${draftId}`)).status).toBe(404);
      expect((await get(`/api/workshops/${draftId}?status=draft`)).status).toBe(404);
      expect((await get(`/api/people/${secretPersonId}`)).status).toBe(404);
      const published = await get(`/api/workshops/${publishedId}?status=draft`);
      expect(published.status).toBe(200);
      expect(published.body.data.title).toBe('Learning and Emergence in Molecular Systems');
    });

    it('REST preview of a draft is forbidden', async () => {
      expect([401, 403]).toContain((await get(`/api/workshops/${draftId}/preview`)).status);
    });

    it.each([
      ['drafts by status', '{ workshops(status: DRAFT) { title speakers { person { name } } } }'],
      ['a draft connection total', '{ workshops_connection(status: DRAFT) { nodes { title } pageInfo { total } } }'],
      ['people', '{ people(pagination: { limit: 100 }) { name affiliation { name } } }'],
      ['people by name', '{ people(filters: { name: { eq: "Secret Speaker" } }) { name } }'],
      ['people connection', '{ people_connection { pageInfo { total } nodes { name } } }'],
      ['organizations', '{ organizations(pagination: { limit: 100 }) { name } organizations_connection { pageInfo { total } } }'],
      ['sponsors', '{ sponsors { name acronym } }'],
      ['series with their workshops as drafts', '{ workshopSeriesList { name workshops { title } workshops_connection { nodes { title } } } }'],
      ['a person page', '{ personBySlug(slug: "secret-speaker") { name } }'],
      ['Tess Smidt appearances', '{ personBySlug(slug: "tess-smidt") { appearances { workshop { title } } } }'],
      ['a series page', '{ workshopSeriesBySlug(slug: "hidden-series") { name } }'],
      ['a workshop page', '{ workshopBySlug(slug: "embargoed-workshop") { title } }'],
    ])('GraphQL %s returns nothing unpublished', async (_what, query) => {
      const res = await graphql(query);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expectNothingSecret(res.body);
    });

    it('GraphQL documentId lookups find no draft and no embargoed person', async () => {
      const res = await graphql(
        `query($draft: ID!, $person: ID!, $published: ID!) {
          draft: workshop(documentId: $draft, status: DRAFT) { title }
          person(documentId: $person) { name }
          published: workshop(documentId: $published, status: DRAFT) { title }
        }`,
        { draft: draftId, person: secretPersonId, published: publishedId }
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({ draft: null, person: null, published: { title: 'Learning and Emergence in Molecular Systems' } });
    });

    it('GraphQL counts only what is public', async () => {
      const res = await graphql('{ people_connection { pageInfo { total } } workshops_connection(status: DRAFT) { pageInfo { total } } }');
      expect(res.body.data.people_connection.pageInfo.total).toBe(15);
      expect(res.body.data.workshops_connection.pageInfo.total).toBe(1);
    });
  });

  describe('private fields', () => {
    it.each([
      '/api/people?filters[email][$eq]=someone@example.org',
      '/api/people?filters[notes][$containsi]=a',
      '/api/people?sort=email:asc',
      '/api/workshops?filters[speakers][person][email][$null]=true',
    ])('cannot be used as an oracle: %s is refused with 400', async (url) => {
      const res = await app.http().get(url);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Invalid key (email|notes)/);
    });

    it('are never returned, even when asked for', async () => {
      await app.strapi.db.query('api::person.person').updateMany({ where: {}, data: { email: 'private@example.org', notes: 'private note' } });
      for (const url of ['/api/people?fields[0]=name&fields[1]=email', '/api/people?populate=*', '/api/workshops?populate[speakers][populate]=person']) {
        const res = await app.http().get(url);
        expect(JSON.stringify(res.body)).not.toMatch(/private@example\.org|private note/);
      }
      const graphql = await app.graphql('{ people { name email } }');
      expect(graphql.status).toBe(400);
      expect(graphql.body.errors[0].message).toMatch(/Cannot query field "email"/);
    });

    it('are not GraphQL inputs or filters', async () => {
      const res = await app.graphql('{ input: __type(name: "PersonInput") { inputFields { name } } filters: __type(name: "PersonFiltersInput") { inputFields { name } } }');
      const names = [...res.body.data.input.inputFields, ...res.body.data.filters.inputFields].map((f: { name: string }) => f.name);
      expect(names).toEqual(expect.arrayContaining(['name', 'slug']));
      expect(names).not.toContain('email');
      expect(names).not.toContain('notes');
    });
  });

  describe('previews', () => {
    it.each([
      ['a full-access token', () => fullAccessToken],
      ['a token granted preview', () => previewToken],
    ])('%s reads drafts through REST, GraphQL and the preview route', async (_who, token) => {
      const auth = `Bearer ${token()}`;
      const rest = await app.http().get('/api/workshops?status=draft').set('Authorization', auth);
      expect(rest.body.data.map((w: { title: string }) => w.title).sort()).toEqual(['Embargoed Workshop', 'Renamed In Draft']);
      const graphql = await app.http().post('/graphql').set('Authorization', auth).send({ query: '{ workshops(status: DRAFT) { title } }' });
      expect(graphql.body.data.workshops.map((w: { title: string }) => w.title).sort()).toEqual(['Embargoed Workshop', 'Renamed In Draft']);
      const preview = await app.http().get(`/api/workshops/${draftId}/preview`).set('Authorization', auth);
      expect(preview.status).toBe(200);
      expect(preview.body.data.speakers.map((s: { person: { name: string } }) => s.person.name)).toEqual(['Secret Speaker', 'Tess Smidt']);
    });

    it('a read-only token may not preview', async () => {
      const res = await app.http().get(`/api/workshops/${draftId}/preview`).set('Authorization', `Bearer ${readOnlyToken}`);
      expect(res.status).toBe(403);
    });
  });
});
