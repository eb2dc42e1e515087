import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { importWorkshopText } from '../helpers/workshop-text';

const ADMIN = { email: 'slugs@example.org', password: 'Slugs-Password-1' };
const WORKSHOP = 'api::workshop.workshop';
const PERSON = 'api::person.person';

/** The REST path and GraphQL mutation of each type whose slug writes itself, with its source field. */
const TYPES = [
  { uid: WORKSHOP, rest: 'workshops', create: 'createWorkshop', source: 'title', extra: { startDate: '2031-04-07', endDate: '2031-04-09' } },
  { uid: PERSON, rest: 'people', create: 'createPerson', source: 'name', extra: {} },
  { uid: 'api::organization.organization', rest: 'organizations', create: 'createOrganization', source: 'name', extra: {} },
  { uid: 'api::sponsor.sponsor', rest: 'sponsors', create: 'createSponsor', source: 'name', extra: {} },
  { uid: 'api::workshop-series.workshop-series', rest: 'workshop-series-list', create: 'createWorkshopSeries', source: 'name', extra: {} },
] as const;

/**
 * Slugs write themselves from the title or name (admin UI, REST, GraphQL, imports), change only
 * when staff change them, and a workshop's or person's slug that the public saw stays an alias
 * that answers with the current slug.
 */
describe('slugs', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startStrapi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    token = await createApiToken(app.strapi, 'full-access');
  });
  afterAll(() => app?.stop());

  const staff = (method: 'post' | 'put', path: string, data: Record<string, unknown>) =>
    app.http()[method](path).set('Authorization', `Bearer ${token}`).send({ data });
  const staffGraphql = (query: string, variables?: Record<string, unknown>) =>
    app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query, variables });
  const stored = (uid: string, documentId: string) =>
    app.strapi.db.query(uid).findMany({ where: { documentId }, select: ['slug', 'slugAliases', 'publishedAt'], orderBy: 'id' }) as Promise<
      Array<{ slug: string; slugAliases: string[] | null; publishedAt: string | null }>
    >;

  const workshopBySlug = async (slug: string) => {
    const res = await app.graphql('query($slug: String!) { workshopBySlug(slug: $slug) { documentId title slug calendarUrl } }', { slug });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.workshopBySlug as { documentId: string; title: string; slug: string; calendarUrl: string } | null;
  };
  const personBySlug = async (slug: string) => {
    const res = await app.graphql('query($slug: String!) { personBySlug(slug: $slug) { documentId name slug } }', { slug });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.personBySlug as { documentId: string; name: string; slug: string } | null;
  };
  const calendar = (slug: string) => app.http().get(`/api/workshops/${slug}/calendar.ics`);

  describe('are made from the title or name when none is given', () => {
    it.each(TYPES)('over REST: $rest', async ({ rest, source, extra }) => {
      const res = await staff('post', `/api/${rest}`, { [source]: 'Dynamik und Größe über Grenzen', ...extra });
      expect(res.status).toBe(201);
      expect(res.body.data.slug).toBe('dynamik-und-groesse-ueber-grenzen');
    });

    it.each(TYPES)('over GraphQL: $create', async ({ create, source, extra }) => {
      // Another name (names of organizations, sponsors and series are unique), the same slug.
      const fields = Object.entries({ [source]: 'Dynamik und Groesse ueber Grenzen', ...extra }).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
      const res = await staffGraphql(`mutation { ${create}(data: { ${fields.join(', ')} }) { slug } }`);
      expect(res.body.errors).toBeUndefined();
      // The REST test of the same type took it first.
      expect(res.body.data[create].slug).toBe('dynamik-und-groesse-ueber-grenzen-2');
    });

    it('transliterate as imports always did, with a suffix when taken: Müller → mueller, -2, -3', async () => {
      const made = [];
      for (const name of ['Jürgen Müller', 'Jürgen Müller', 'Jürgen Müller', 'Klaus-Robert Müller']) {
        const res = await staff('post', '/api/people', { name });
        expect(res.status).toBe(201);
        made.push(res.body.data.slug);
      }
      // The seeded Klaus-Robert Müller has klaus-robert-mueller.
      expect(made).toEqual(['juergen-mueller', 'juergen-mueller-2', 'juergen-mueller-3', 'klaus-robert-mueller-2']);
    });

    it('keep a slug staff give, and refuse a blank title with what to fill in', async () => {
      const given = await staff('post', '/api/sponsors', { name: 'Given Slug Foundation', slug: 'gsf' });
      expect(given.body.data.slug).toBe('gsf');
      const symbols = await staff('post', '/api/organizations', { name: '???' });
      expect(symbols.status).toBe(400);
      expect(symbols.body.error.message).toBe('No page address can be made from "???": write a slug with letters or digits.');
      expect(symbols.body.error.details.errors[0].path).toEqual(['slug']);
      const nameless = await staff('post', '/api/organizations', {});
      expect(nameless.status).toBe(400);
      expect(nameless.body.error.details.errors.map((error: { path: string[] }) => error.path[0])).toContain('name');
    });

    it('are made on import for people, organizations, sponsors and series the file names', async () => {
      await importWorkshopText(
        app.strapi,
        [
          'title: Straße der Ströme',
          'startDate: 2031-06-02',
          'endDate: 2031-06-04',
          'series: Öffentliche Reihe',
          'sponsors: [Förderverein Süd (FS)]',
          'speakers:',
          '  - Åsa Ørsted (Universität Zürich)',
        ].join('\n'),
        { publish: true }
      );
      const slugOf = async (uid: string, name: string) =>
        ((await app.strapi.db.query(uid).findOne({ where: { name }, select: ['slug'] })) as { slug: string }).slug;
      expect(await workshopBySlug('strasse-der-stroeme')).toMatchObject({ title: 'Straße der Ströme' });
      expect(await slugOf(PERSON, 'Åsa Ørsted')).toBe('asa-orsted');
      expect(await slugOf('api::organization.organization', 'Universität Zürich')).toBe('universitaet-zuerich');
      expect(await slugOf('api::sponsor.sponsor', 'Förderverein Süd')).toBe('foerderverein-sued');
      expect(await slugOf('api::workshop-series.workshop-series', 'Öffentliche Reihe')).toBe('oeffentliche-reihe');
    });

    it('stay what they are when the title is edited, and are made on an update when the document has none', async () => {
      const created = await staff('post', '/api/workshop-series-list', { name: 'First Name Of A Series' });
      const { documentId } = created.body.data;
      const renamed = await staff('put', `/api/workshop-series-list/${documentId}`, { name: 'A Better Name' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.data).toMatchObject({ name: 'A Better Name', slug: 'first-name-of-a-series' });

      await app.strapi.db.query('api::workshop-series.workshop-series').updateMany({ where: { documentId }, data: { slug: null } });
      const filled = await staff('put', `/api/workshop-series-list/${documentId}`, { description: 'Now with a slug again.' });
      expect(filled.body.data.slug).toBe('a-better-name');
    });
  });

  describe('the admin UI slug field', () => {
    let session: string;
    beforeAll(async () => {
      const login = await app.http().post('/admin/login').send(ADMIN);
      session = `Bearer ${login.body.data.token}`;
    });
    const generate = async (contentTypeUID: string, data: Record<string, unknown>) => {
      const res = await app.http().post('/content-manager/uid/generate').set('Authorization', session).send({ contentTypeUID, field: 'slug', data });
      expect(res.status).toBe(200);
      return res.body.data;
    };

    it("content manager's uid service (src/slugs/content-manager-uid.ts) makes slugs with our slug function, free of clashes", async () => {
      // The seed and an earlier test took klaus-robert-mueller and -2.
      expect(await generate(PERSON, { id: '', name: 'Klaus-Robert Müller' })).toBe('klaus-robert-mueller-3');
      expect(await generate(PERSON, { id: '', name: 'Ilse Größe' })).toBe('ilse-groesse');
      const seeded = await app.strapi.db.query(PERSON).findOne({ where: { slug: 'klaus-robert-mueller' } });
      // Its own slug is no clash for the document being edited.
      expect(await generate(PERSON, { id: seeded.documentId, name: 'Klaus-Robert Müller' })).toBe('klaus-robert-mueller');
    });

    it('offers no placeholder while the title is empty (it was the type name, `workshop`)', async () => {
      expect(await generate(WORKSHOP, { id: '' })).toBe('');
      expect(await generate(WORKSHOP, { id: '', title: '' })).toBe('');
    });
  });

  describe('once public, former slugs stay aliases', () => {
    const WORKSHOP_DATA = { startDate: '2031-09-01', endDate: '2031-09-03' };

    it('a workshop: workshopBySlug and the calendar answer a former slug with the workshop and its current slug', async () => {
      const created = await staff('post', '/api/workshops', { title: 'Alias Workshop', ...WORKSHOP_DATA });
      expect(created.body.data.slug).toBe('alias-workshop');
      const { documentId } = created.body.data;
      const changed = await staff('put', `/api/workshops/${documentId}?status=published`, { slug: 'aliased-workshop' });
      expect(changed.status).toBe(200);

      const found = await workshopBySlug('alias-workshop');
      expect(found).toMatchObject({ documentId, title: 'Alias Workshop', slug: 'aliased-workshop' });
      expect(found!.calendarUrl).toMatch(/\/api\/workshops\/aliased-workshop\/calendar\.ics$/);
      expect(await workshopBySlug('aliased-workshop')).toEqual(found);

      const ics = await calendar('alias-workshop');
      expect(ics.status).toBe(200);
      expect(ics.headers['content-location']).toBe('/api/workshops/aliased-workshop/calendar.ics');
      expect(ics.headers['content-disposition']).toBe('inline; filename="aliased-workshop.ics"');
      expect(ics.text).toContain('SUMMARY:Alias Workshop');
      const current = await calendar('aliased-workshop');
      expect(current.headers['content-location']).toBeUndefined();
      expect(current.text.replace(/DTSTAMP:.*\r\n/g, '')).toBe(ics.text.replace(/DTSTAMP:.*\r\n/g, ''));
      expect((await stored(WORKSHOP, documentId)).map((row) => row.slugAliases)).toEqual([['alias-workshop'], ['alias-workshop']]);
    });

    it("a workshop: a draft's slug never becomes an alias, only the slugs a published version had", async () => {
      const created = await staff('post', '/api/workshops', { title: 'Draft Slugs', ...WORKSHOP_DATA });
      const { documentId } = created.body.data;
      await staff('put', `/api/workshops/${documentId}?status=draft`, { slug: 'draft-slug-one' });
      await staff('put', `/api/workshops/${documentId}?status=draft`, { slug: 'draft-slug-two' });
      // Not yet published: the public still reads the published slug, and no draft slug.
      expect(await workshopBySlug('draft-slugs')).toMatchObject({ slug: 'draft-slugs' });
      expect(await workshopBySlug('draft-slug-two')).toBeNull();
      expect((await calendar('draft-slug-two')).status).toBe(404);

      await app.strapi.documents(WORKSHOP).publish({ documentId });
      expect(await workshopBySlug('draft-slugs')).toMatchObject({ documentId, slug: 'draft-slug-two' });
      expect(await workshopBySlug('draft-slug-one')).toBeNull();
      expect((await calendar('draft-slug-one')).status).toBe(404);
      expect((await stored(WORKSHOP, documentId)).map((row) => row.slugAliases)).toEqual([['draft-slugs'], ['draft-slugs']]);

      // A workshop never published keeps no alias at all.
      const draft = await staff('post', '/api/workshops?status=draft', { title: 'Never Published', ...WORKSHOP_DATA });
      await staff('put', `/api/workshops/${draft.body.data.documentId}?status=draft`, { slug: 'never-published-renamed' });
      expect((await stored(WORKSHOP, draft.body.data.documentId)).map((row) => row.slugAliases)).toEqual([null]);
      expect(await workshopBySlug('never-published')).toBeNull();
    });

    it('a workshop unpublished and published again under a new slug keeps the one it had', async () => {
      const created = await staff('post', '/api/workshops', { title: 'Back Again', ...WORKSHOP_DATA });
      const { documentId } = created.body.data;
      await app.strapi.documents(WORKSHOP).unpublish({ documentId });
      expect(await workshopBySlug('back-again')).toBeNull();
      await staff('put', `/api/workshops/${documentId}?status=published`, { slug: 'back-again-renamed' });
      expect(await workshopBySlug('back-again')).toMatchObject({ documentId, slug: 'back-again-renamed' });
    });

    it('a person: personBySlug answers a former slug with the person and the current slug; the embargo holds', async () => {
      const frank = (await app.strapi.db.query(PERSON).findOne({ where: { name: 'Frank Noe' } })) as { documentId: string; slug: string };
      const before = frank.slug;
      const changed = await staff('put', `/api/people/${frank.documentId}`, { slug: 'frank-noe-berlin' });
      expect(changed.status).toBe(200);
      expect(await personBySlug(before)).toEqual({ documentId: frank.documentId, name: 'Frank Noe', slug: 'frank-noe-berlin' });
      expect(await personBySlug('frank-noe-berlin')).toEqual(await personBySlug(before));

      // Taken back, a slug is no alias of itself; the one it replaced is.
      await staff('put', `/api/people/${frank.documentId}`, { slug: before });
      expect((await stored(PERSON, frank.documentId))[0].slugAliases).toEqual(['frank-noe-berlin']);
      expect(await personBySlug('frank-noe-berlin')).toMatchObject({ slug: before });

      // Someone only a draft workshop shows is found neither by their slug nor by a former one.
      const unannounced = await staff('post', '/api/people', { name: 'Unannounced Speaker' });
      await staff('post', '/api/workshops?status=draft', { title: 'Secret Line-up', ...WORKSHOP_DATA, speakers: [{ person: unannounced.body.data.documentId }] });
      await staff('put', `/api/people/${unannounced.body.data.documentId}`, { slug: 'unannounced-speaker-renamed' });
      expect((await stored(PERSON, unannounced.body.data.documentId))[0].slugAliases).toEqual(['unannounced-speaker']);
      expect(await personBySlug('unannounced-speaker')).toBeNull();
      expect(await personBySlug('unannounced-speaker-renamed')).toBeNull();
    });

    it('are no one else\'s: a given slug that is an alias is refused, a made one skips it', async () => {
      const before = await app.strapi.db.query(WORKSHOP).count();
      const refused = await staff('post', '/api/workshops', { title: 'Squatter', slug: 'alias-workshop', ...WORKSHOP_DATA });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe(
        '"alias-workshop" is a former page address of another workshop ("Alias Workshop") and still leads there: choose another slug.'
      );
      expect(refused.body.error.details.errors[0].path).toEqual(['slug']);
      expect(await app.strapi.db.query(WORKSHOP).count()).toBe(before);

      const renamed = await staffGraphql('mutation($id: ID!) { updatePerson(documentId: $id, data: { slug: "frank-noe-berlin" }) { slug } }', {
        id: (await app.strapi.db.query(PERSON).findOne({ where: { name: 'Max Welling' } })).documentId,
      });
      expect(renamed.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(renamed.body.errors[0].message).toMatch(/^"frank-noe-berlin" is a former page address of another person \("Frank Noe"\)/);

      const made = await staff('post', '/api/workshops', { title: 'Alias Workshop', ...WORKSHOP_DATA });
      expect(made.body.data.slug).toBe('alias-workshop-2');
    });

    it('are only ever written by the server', async () => {
      const person = await staff('post', '/api/people', { name: 'Careful Person' });
      const { documentId } = person.body.data;
      await app.strapi.documents(PERSON).update({ documentId, data: { slugAliases: ['made-up'] } as never });
      expect((await stored(PERSON, documentId))[0].slugAliases).toBeNull();
      // Strapi's REST sanitizer drops a private field from the input.
      const rest = await staff('put', `/api/people/${documentId}`, { bio: 'Careful.', slugAliases: ['made-up'] });
      expect(rest.status).toBe(200);
      expect((await stored(PERSON, documentId))[0].slugAliases).toBeNull();
      const graphql = await staffGraphql('mutation($id: ID!) { updatePerson(documentId: $id, data: { slugAliases: ["made-up"] }) { slug } }', { id: documentId });
      // Private fields are in no GraphQL input.
      expect(graphql.body.errors[0].message).toMatch(/"slugAliases" is not defined by type "PersonInput"/);
    });

    it('lead an import of a workshop whose slug staff changed to that workshop, which keeps its new slug', async () => {
      const file = ['title: Imported Then Renamed', 'startDate: 2031-10-06', 'endDate: 2031-10-08'].join('\n');
      const first = await importWorkshopText(app.strapi, file, { publish: true });
      await app.strapi.documents(WORKSHOP).update({ documentId: first.documentId, data: { slug: 'renamed-by-staff' } as never, status: 'published' });
      const again = await importWorkshopText(app.strapi, file, { publish: true });
      expect(again).toMatchObject({ documentId: first.documentId, slug: 'renamed-by-staff', created: false });
      expect(await workshopBySlug('imported-then-renamed')).toMatchObject({ slug: 'renamed-by-staff' });
    });
  });
});
