import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';

/**
 * Saves that staff (admin UI) and staff tokens (REST, GraphQL) make are checked as a whole; a
 * refused save answers 400 naming each field, and writes nothing.
 */
describe('validation of saves', () => {
  let app: TestApp;
  let token: string;
  let people: Record<string, string>;

  beforeAll(async () => {
    app = await startStrapi();
    token = await createApiToken(app.strapi, 'full-access');
    const rows = await app.strapi.documents('api::person.person').findMany({ fields: ['name'], limit: 100 });
    people = Object.fromEntries(rows.map((row) => [row.name, row.documentId]));
  });
  afterAll(() => app?.stop());

  const post = (data: Record<string, unknown>) =>
    app.http().post('/api/workshops?status=draft').set('Authorization', `Bearer ${token}`).send({ data });
  const workshopCount = () => app.strapi.db.query('api::workshop.workshop').count();
  const valid = (slug: string) => ({ title: `Valid ${slug}`, slug, startDate: '2030-05-06', endDate: '2030-05-10' });

  /** Posts a workshop, expects a refusal naming exactly these fields, and checks that nothing was written. */
  const refused = async (data: Record<string, unknown>, fields: string[]) => {
    const before = await workshopCount();
    const res = await post(data);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(fields);
    expect(await workshopCount()).toBe(before);
    return res.body.error;
  };

  it('accepts a valid workshop, and snapshots the affiliation of a participant saved without one', async () => {
    const res = await post({ ...valid('valid-one'), speakers: [{ person: people['Frank Noe'] }] });
    expect(res.status).toBe(201);
    const saved = await app.strapi.documents('api::workshop.workshop').findOne({
      documentId: res.body.data.documentId,
      populate: { speakers: { populate: ['person', 'affiliation'] } } as never,
    });
    expect((saved as any).speakers[0].affiliation.name).toBe('FU Berlin');
  });

  it('refuses an end date before the start date', async () => {
    const error = await refused({ ...valid('backwards'), endDate: '2030-05-01' }, ['endDate']);
    expect(error.message).toBe('The end date (2030-05-01) is before the start date (2030-05-06).');
  });

  it('refuses a year typed with a digit missing', async () => {
    const error = await refused({ ...valid('old'), startDate: '0202-05-06' }, ['startDate']);
    expect(error.message).toBe('0202-05-06 is not a plausible date for a workshop: check the year.');
  });

  it('refuses a talk outside the workshop, or ending before it starts', async () => {
    const error = await refused(
      {
        ...valid('talks'),
        timezone: 'America/Los_Angeles',
        talks: [
          { title: 'Too early', kind: 'talk', startsAt: '2030-05-05T16:00:00.000Z', endsAt: '2030-05-05T17:00:00.000Z' },
          { title: 'Backwards', kind: 'talk', startsAt: '2030-05-07T18:00:00.000Z', endsAt: '2030-05-07T17:00:00.000Z' },
        ],
      },
      ['talks.0.startsAt', 'talks.0.endsAt', 'talks.1.endsAt']
    );
    expect(error.details.errors[0].message).toBe('2030-05-05 09:00 is outside the workshop (2030-05-06 to 2030-05-10, America/Los_Angeles).');
    expect(error.details.errors[2].message).toBe('The talk ends (2030-05-07 10:00) before it starts (2030-05-07 11:00).');
  });

  it('refuses web addresses that are not ones', async () => {
    const error = await refused({ ...valid('urls'), registrationUrl: 'www.example.org', fundingApplicationUrl: 'https://ok.example.org' }, ['registrationUrl']);
    expect(error.message).toBe('"www.example.org" is not a web address: write it in full, starting with https://');
  });

  it('refuses a participant without a person, and a person listed twice', async () => {
    const error = await refused(
      { ...valid('people'), organizers: [{}], speakers: [{ person: people['Tess Smidt'] }, { person: people['Ron Dror'] }, { person: people['Tess Smidt'] }] },
      ['organizers.0.person', 'speakers.2.person']
    );
    expect(error.details.errors.map((e: { message: string }) => e.message)).toEqual([
      'Choose a person, or remove this entry.',
      'Tess Smidt is already listed (entry 1).',
    ]);
  });

  it('refuses a slug another workshop uses', async () => {
    const error = await refused({ ...valid('learning-and-emergence-in-molecular-systems') }, ['slug']);
    expect(error.message).toBe('Another workshop already uses the slug "learning-and-emergence-in-molecular-systems": choose another.');
  });

  it('refuses an update as a whole, leaving the workshop as it was', async () => {
    const { documentId } = (await app.strapi.documents('api::workshop.workshop').findFirst({ filters: { slug: 'valid-one' } }))!;
    const res = await app
      .http()
      .put(`/api/workshops/${documentId}?status=draft`)
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { title: 'Changed', endDate: '2030-01-01' } });
    expect(res.status).toBe(400);
    const after = await app.strapi.documents('api::workshop.workshop').findOne({ documentId });
    expect(after).toMatchObject({ title: 'Valid valid-one', endDate: '2030-05-10' });
  });

  it('answers GraphQL mutations with the same messages', async () => {
    const res = await app
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: 'mutation { createWorkshop(status: DRAFT, data: { title: "G", slug: "g", startDate: "2030-02-02", endDate: "2030-02-01" }) { documentId } }' });
    expect(res.body.errors[0].message).toBe('The end date (2030-02-01) is before the start date (2030-02-02).');
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await app.strapi.db.query('api::workshop.workshop').count({ where: { slug: 'g' } })).toBe(0);
  });

  it('checks web addresses and ORCID iDs of people too', async () => {
    const res = await app
      .http()
      .post('/api/people')
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { name: 'New Person', slug: 'new-person', homepage: 'example.org', orcid: '1234' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['homepage', 'orcid']);
    expect(await app.strapi.db.query('api::person.person').count({ where: { slug: 'new-person' } })).toBe(0);
  });
});
