import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';
import { labelUnlabelledParticipants, NO_PERSON_LABEL } from '../../src/participant-labels';
import { exportWorkshop } from '../../src/workshop-files/export';

const ADMIN = { email: 'staff@example.org', password: 'Staff-Password-1' };
const WORKSHOP = 'api::workshop.workshop';

type Labelled = { id: number; label: string | null };

/**
 * Organizer and speaker rows carry a label as the institute prints them, which the admin UI
 * shows on each collapsed row: written by the server at every save, kept through reorders,
 * rewritten on renames, left alone when a person moves (the workshop keeps its affiliation),
 * never public.
 */
describe('participant row labels', () => {
  let app: TestApp;
  let token: string;
  let session: string;
  let seedId: string;
  let people: Record<string, string>;
  let organizations: Record<string, string>;

  beforeAll(async () => {
    app = await startStrapi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    token = await createApiToken(app.strapi, 'full-access');
    const login = await app.http().post('/admin/login').send(ADMIN);
    session = `Bearer ${login.body.data.token}`;
    seedId = (await app.strapi.documents(WORKSHOP).findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!.documentId;
    const byName = (rows: Array<{ name?: string | null; documentId: string }>) => Object.fromEntries(rows.map((row) => [row.name, row.documentId]));
    people = byName(await app.strapi.documents('api::person.person').findMany({ fields: ['name'], limit: 100 }));
    organizations = byName(await app.strapi.documents('api::organization.organization').findMany({ fields: ['name'], limit: 100 }));
  });
  afterAll(() => app?.stop());

  const asStaff = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    app.http()[method](path).set('Authorization', `Bearer ${token}`);

  /** The rows as the admin UI's edit view receives them (the content manager's API, logged in). */
  const editView = async (documentId: string, status: 'draft' | 'published' = 'draft') => {
    const res = await app.http().get(`/content-manager/collection-types/${WORKSHOP}/${documentId}?status=${status}`).set('Authorization', session);
    expect(res.status).toBe(200);
    return res.body.data as { organizers: Labelled[]; speakers: Labelled[] };
  };
  const labelsOf = (rows: Labelled[]) => rows.map((row) => row.label);

  const publicCredits = async () => {
    const res = await app.graphql(`query ($slug: String!) { workshopBySlug(slug: $slug) { organizers { credit } speakers { credit } } }`, { slug: FIRST_WORKSHOP.slug });
    expect(res.body.errors).toBeUndefined();
    const { organizers, speakers } = res.body.data.workshopBySlug;
    return { organizers: organizers.map((row: { credit: string }) => row.credit), speakers: speakers.map((row: { credit: string }) => row.credit) };
  };

  const postDraft = (data: Record<string, unknown>) => asStaff('post', '/api/workshops?status=draft').send({ data });
  const valid = (slug: string) => ({ title: `Labels ${slug}`, slug, startDate: '2030-05-06', endDate: '2030-05-10' });

  it('labels every row of the seeded workshop as printed, in the draft and the published version the edit view shows', async () => {
    for (const status of ['draft', 'published'] as const) {
      const { organizers, speakers } = await editView(seedId, status);
      expect(labelsOf(organizers)).toEqual(FIRST_WORKSHOP.organizers);
      expect(labelsOf(speakers)).toEqual(FIRST_WORKSHOP.speakers);
    }
    expect(await publicCredits()).toEqual({ organizers: FIRST_WORKSHOP.organizers, speakers: FIRST_WORKSHOP.speakers });
  });

  it('labels rows created through REST by the affiliation picked, else the person’s current one, whatever label the request sends', async () => {
    const res = await postDraft({
      ...valid('created'),
      organizers: [{ person: people['Tess Smidt'], affiliation: organizations['Stanford'], label: 'Typed by hand' }],
      speakers: [{ person: people['Frank Noe'] }, { person: people['Ron Dror'] }],
    });
    expect(res.status).toBe(201);
    const { organizers, speakers } = await editView(res.body.data.documentId);
    expect(labelsOf(organizers)).toEqual(['Tess Smidt (Stanford)']);
    expect(labelsOf(speakers)).toEqual(['Frank Noe (FU Berlin)', 'Ron Dror (Stanford)']);
  });

  it('labels the published version of a workshop created published in one request, and credits it the same', async () => {
    const res = await asStaff('post', '/api/workshops').send({
      data: { ...valid('published-at-once'), speakers: [{ person: people['Kristin Persson'] }, { person: people['Jutta Rogal'], affiliation: organizations['MIT'] }] },
    });
    expect(res.status).toBe(201);
    const expected = ['Kristin Persson (UC Berkeley)', 'Jutta Rogal (MIT)'];
    for (const status of ['draft', 'published'] as const) expect(labelsOf((await editView(res.body.data.documentId, status)).speakers)).toEqual(expected);
    const credits = await app.graphql(`{ workshopBySlug(slug: "published-at-once") { speakers { credit } } }`);
    expect(credits.body.data.workshopBySlug.speakers.map((row: { credit: string }) => row.credit)).toEqual(expected);
  });

  it('keeps each label with its row when rows are reordered, and relabels a row whose person is replaced', async () => {
    const created = await postDraft({ ...valid('reordered'), speakers: ['Jutta Rogal', 'Tess Smidt', 'Ron Dror'].map((name) => ({ person: people[name] })) });
    const documentId = created.body.data.documentId;
    const [rogal, smidt, dror] = (await editView(documentId)).speakers;

    const reordered = await asStaff('put', `/api/workshops/${documentId}?status=draft`).send({
      data: { speakers: [{ id: dror.id }, { id: rogal.id, person: people['Steve Brunton'], affiliation: null }, { id: smidt.id }] },
    });
    expect(reordered.status).toBe(200);
    expect(labelsOf((await editView(documentId)).speakers)).toEqual(['Ron Dror (Stanford)', 'Steve Brunton (University of Washington)', 'Tess Smidt (MIT)']);
  });

  it('labels the rows as the admin UI saves them, reordered there too', async () => {
    const url = `/content-manager/collection-types/${WORKSHOP}/${seedId}?status=draft`;
    const ids = (await editView(seedId)).speakers.map(({ id }) => ({ id }));
    const saved = await app.http().put(url).set('Authorization', session).send({ speakers: [...ids].reverse() });
    expect(saved.status).toBe(200);
    expect(labelsOf(saved.body.data.speakers)).toEqual([...FIRST_WORKSHOP.speakers].reverse());
    expect(labelsOf((await editView(seedId)).speakers)).toEqual([...FIRST_WORKSHOP.speakers].reverse());
    expect((await app.http().put(url).set('Authorization', session).send({ speakers: ids })).status).toBe(200);
    expect(labelsOf((await editView(seedId)).speakers)).toEqual(FIRST_WORKSHOP.speakers);
  });

  it('writes no label when a save is refused', async () => {
    const before = await app.strapi.db.query('workshop.participant').findMany({ select: ['id', 'label'], orderBy: 'id' });
    const refused = await asStaff('put', `/api/workshops/${seedId}?status=draft`).send({
      data: { endDate: '2023-01-01', speakers: [{ person: people['Tess Smidt'] }] },
    });
    expect(refused.status).toBe(400);
    expect(await app.strapi.db.query('workshop.participant').findMany({ select: ['id', 'label'], orderBy: 'id' })).toEqual(before);
  });

  it('follows a person’s rename on every workshop, draft and published, and in the public credit', async () => {
    const renamed = await asStaff('put', `/api/people/${people['Frank Noe']}`).send({ data: { name: 'Frank Noé' } });
    expect(renamed.status).toBe(200);
    const expected = FIRST_WORKSHOP.speakers.map((credit) => (credit === 'Frank Noe (FU Berlin)' ? 'Frank Noé (FU Berlin)' : credit));
    for (const status of ['draft', 'published'] as const) expect(labelsOf((await editView(seedId, status)).speakers)).toEqual(expected);
    expect((await publicCredits()).speakers).toEqual(expected);
    const created = await app.strapi.documents(WORKSHOP).findFirst({ filters: { slug: 'created' }, populate: { speakers: true } as never });
    expect(labelsOf((created as unknown as { speakers: Labelled[] }).speakers)).toEqual(['Frank Noé (FU Berlin)', 'Ron Dror (Stanford)']);
  });

  it('follows an organization’s rename', async () => {
    const renamed = await asStaff('put', `/api/organizations/${organizations['FU Berlin']}`).send({ data: { name: 'Freie Universität Berlin' } });
    expect(renamed.status).toBe(200);
    const { organizers, speakers } = await editView(seedId, 'published');
    expect(organizers[1].label).toBe('Cecilia Clementi (Freie Universität Berlin)');
    expect(speakers.filter((row) => row.label?.endsWith('(Freie Universität Berlin)')).map((row) => row.label)).toEqual([
      'Cecilia Clementi (Freie Universität Berlin)',
      'Frank Noé (Freie Universität Berlin)',
    ]);
    expect((await publicCredits()).organizers[1]).toBe('Cecilia Clementi (Freie Universität Berlin)');
  });

  it('keeps the affiliation a workshop printed when the person moves; a new workshop prints where they are now', async () => {
    const moved = await asStaff('put', `/api/people/${people['Anatole von Lilienfeld']}`).send({ data: { affiliation: organizations['University of Luxembourg'] } });
    expect(moved.status).toBe(200);
    expect(labelsOf((await editView(seedId, 'published')).speakers)).toContain('Anatole von Lilienfeld (University of Basel)');
    const later = await postDraft({ ...valid('after-the-move'), speakers: [{ person: people['Anatole von Lilienfeld'] }] });
    expect(labelsOf((await editView(later.body.data.documentId)).speakers)).toEqual(['Anatole von Lilienfeld (University of Luxembourg)']);
  });

  it('says so on a row whose person was deleted', async () => {
    const person = await asStaff('post', '/api/people').send({ data: { name: 'Short Lived', slug: 'short-lived', affiliation: organizations['MIT'] } });
    expect(person.status).toBe(201);
    const workshop = await postDraft({ ...valid('deleted-person'), speakers: [{ person: person.body.data.documentId }, { person: people['Tess Smidt'] }] });
    expect(labelsOf((await editView(workshop.body.data.documentId)).speakers)).toEqual(['Short Lived (MIT)', 'Tess Smidt (MIT)']);
    expect((await asStaff('delete', `/api/people/${person.body.data.documentId}`)).status).toBe(204);
    expect(labelsOf((await editView(workshop.body.data.documentId)).speakers)).toEqual([NO_PERSON_LABEL, 'Tess Smidt (MIT)']);
  });

  it('labels rows saved without one at start-up, and then finds nothing to do', async () => {
    const participants = app.strapi.db.query('workshop.participant');
    const before = await participants.findMany({ select: ['id', 'label'], orderBy: 'id' });
    await participants.updateMany({ where: {}, data: { label: null } });
    expect(await labelUnlabelledParticipants(app.strapi)).toBe(before.length);
    expect(await participants.findMany({ select: ['id', 'label'], orderBy: 'id' })).toEqual(before);
    // Once every row is labelled, a start costs one SELECT.
    const statements: string[] = [];
    const count = (query: { sql: string }) => statements.push(query.sql);
    app.strapi.db.connection.on('query', count);
    try {
      expect(await labelUnlabelledParticipants(app.strapi)).toBe(0);
    } finally {
      app.strapi.db.connection.off('query', count);
    }
    expect(statements).toHaveLength(1);
  });

  it('is not public: in no REST answer, filter or GraphQL type or input', async () => {
    const populated = await app.http().get(`/api/workshops?filters[slug]=${FIRST_WORKSHOP.slug}&populate[speakers]=true`);
    expect(populated.status).toBe(200);
    expect(populated.body.data[0].speakers).toHaveLength(15);
    expect(populated.body.data[0].speakers[0]).not.toHaveProperty('label');
    const staffRead = await asStaff('get', `/api/workshops/${seedId}?populate[speakers]=true`);
    expect(staffRead.body.data.speakers[0]).not.toHaveProperty('label');

    const filtered = await app.http().get('/api/workshops?filters[speakers][label][$contains]=Bresson');
    expect(filtered.status).toBe(400);

    const asked = await app.graphql(`{ workshops { speakers { label } } }`);
    expect(asked.status).toBe(400);
    expect(asked.body.errors[0].message).toBe('Cannot query field "label" on type "ComponentWorkshopParticipant".');
    const written = await app
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: `mutation ($id: ID!) { updateWorkshop(documentId: $id, data: { speakers: [{ label: "Typed" }] }) { documentId } }`, variables: { id: seedId } });
    expect(written.status).toBe(400);
    expect(written.body.errors[0].message).toMatch(/Field "label" is not defined by type "ComponentWorkshopParticipantInput"/);
  });

  it('stays out of workshop files: the export prints people as before, and labels are not read on import', async () => {
    const exported = (await exportWorkshop(app.strapi, FIRST_WORKSHOP.slug))!;
    expect(exported).not.toMatch(/label/i);
    expect(exported).toContain('- Cecilia Clementi (Freie Universität Berlin)');
  });
});
