import { startStrapi, type TestApp } from './helpers/strapi';
import { createApiToken } from './helpers/tokens';

const COLLECTIONS = ['workshops', 'people', 'organizations', 'sponsors', 'workshop-series-list'];

describe('anonymous access', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi();
  });
  afterAll(() => app?.stop());

  it.each(COLLECTIONS)('may list and read one of /api/%s', async (collection) => {
    const list = await app.http().get(`/api/${collection}`);
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    const one = await app.http().get(`/api/${collection}/${list.body.data[0].documentId}`);
    expect(one.status).toBe(200);
    expect(one.body.data.documentId).toBe(list.body.data[0].documentId);
  });

  it('gets the favicon (the admin UI asks for it on every page)', async () => {
    const res = await app.http().get('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\//);
  });

  it('may read the institute', async () => {
    expect((await app.http().get('/api/institute')).status).toBe(200);
  });

  it.each(COLLECTIONS)('may not create, update or delete through /api/%s', async (collection) => {
    const [existing] = (await app.http().get(`/api/${collection}`)).body.data;
    const created = await app.http().post(`/api/${collection}`).send({ data: { name: 'Intruder', title: 'Intruder' } });
    expect(created.status).toBe(403);
    const updated = await app.http().put(`/api/${collection}/${existing.documentId}`).send({ data: { name: 'Intruder' } });
    expect(updated.status).toBe(403);
    const deleted = await app.http().delete(`/api/${collection}/${existing.documentId}`);
    expect(deleted.status).toBe(403);
    expect((await app.http().get(`/api/${collection}/${existing.documentId}`)).body.data).toEqual(existing);
  });

  it('may not change the institute', async () => {
    expect((await app.http().put('/api/institute').send({ data: { name: 'Intruder' } })).status).toBe(403);
    expect((await app.http().delete('/api/institute')).status).toBe(403);
  });

  it('may not run GraphQL mutations', async () => {
    const res = await app.graphql(`mutation { createPerson(data: { name: "Intruder", slug: "intruder" }) { documentId } }`);
    expect(res.body.data?.createPerson ?? null).toBeNull();
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const people = await app.graphql(`{ people(filters: { name: { eq: "Intruder" } }) { name } }`);
    expect(people.body.data.people).toEqual([]);
  });

  it('reads a relation through GraphQL only with the read permission of its target, checked at every field', async () => {
    const token = await createApiToken(app.strapi, 'custom', ['api::workshop.workshop.find']);
    const slug = (await app.http().get('/api/workshops')).body.data[0].slug;
    const res = await app
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: `query($slug: String!) { workshopBySlug(slug: $slug) { title organizers { credit person { name } } } }`, variables: { slug } });
    expect(res.body.data.workshopBySlug.title).toBeTruthy();
    expect(res.body.data.workshopBySlug.organizers[0].credit).toBeTruthy();
    expect(res.body.data.workshopBySlug.organizers[0].person).toBeNull();
    expect(res.body.errors.map((error: { path: unknown[]; extensions: { code: string } }) => [error.path.slice(-1)[0], error.extensions.code])).toContainEqual([
      'person',
      'FORBIDDEN',
    ]);
  });

  it('runs our queries only with the read permission they extend, whatever else may be read', async () => {
    const token = await createApiToken(app.strapi, 'custom', ['api::person.person.find', 'api::organization.organization.find']);
    const slug = (await app.http().get('/api/workshops')).body.data[0].slug;
    const res = await app
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({ query: `query($slug: String!) { workshopBySlug(slug: $slug) { title organizers { person { name } } } }`, variables: { slug } });
    expect(res.body.data?.workshopBySlug ?? null).toBeNull();
    expect(res.body.errors.map((error: { path: unknown[]; extensions: { code: string } }) => [error.path, error.extensions.code])).toEqual([
      [['workshopBySlug'], 'FORBIDDEN'],
    ]);
  });

  it('never sees private fields: email and notes are neither returned nor in the public schema', async () => {
    const [person] = (await app.http().get('/api/people')).body.data;
    expect(person).not.toHaveProperty('email');
    expect(person).not.toHaveProperty('notes');
    const schema = await app.graphql(`{ __type(name: "Person") { fields { name } } filters: __type(name: "PersonFiltersInput") { inputFields { name } } }`);
    const fields = schema.body.data.__type.fields.map((f: { name: string }) => f.name);
    const filters = schema.body.data.filters.inputFields.map((f: { name: string }) => f.name);
    expect(fields).toEqual(expect.arrayContaining(['name', 'slug', 'affiliation']));
    expect(fields).not.toEqual(expect.arrayContaining(['email']));
    expect(fields).not.toEqual(expect.arrayContaining(['notes']));
    expect(filters).not.toEqual(expect.arrayContaining(['email']));
    expect(filters).not.toEqual(expect.arrayContaining(['notes']));
  });
});

describe('the Public role, as staff edit it in the admin UI', () => {
  const ADMIN = { email: 'staff@example.org', password: 'Staff-Password-1' };
  let app: TestApp;
  let session: string;
  beforeAll(async () => {
    app = await startStrapi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    session = `Bearer ${(await app.http().post('/admin/login').send(ADMIN)).body.data.token}`;
  });
  afterAll(() => app?.stop());

  /** What the admin UI's Roles page sends: the role with its whole permission tree, one action changed. */
  const setPublicPeopleFind = async (enabled: boolean) => {
    const { roles } = (await app.http().get('/users-permissions/roles').set('Authorization', session)).body;
    const { id } = roles.find((role: { type: string }) => role.type === 'public');
    const { role } = (await app.http().get(`/users-permissions/roles/${id}`).set('Authorization', session)).body;
    role.permissions['api::person'].controllers.person.find.enabled = enabled;
    const saved = await app.http().put(`/users-permissions/roles/${id}`).set('Authorization', session).send({ name: role.name, description: role.description, permissions: role.permissions });
    expect(saved.status).toBe(200);
  };
  const PEOPLE = '{ people(pagination: { limit: 1 }) { name } }';

  it('withdrawing a read permission takes effect at the next request, cached answers included', async () => {
    expect((await app.graphql(PEOPLE)).body.data.people).toHaveLength(1);
    const cached = await app.graphql(PEOPLE);
    expect(cached.headers['x-cache']).toBe('HIT');
    expect((await app.http().get('/api/people')).status).toBe(200);

    await setPublicPeopleFind(false);
    const refused = await app.graphql(PEOPLE);
    expect(refused.headers['x-cache']).toBe('MISS');
    expect(refused.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FORBIDDEN']);
    expect((await app.http().get('/api/people')).status).toBe(403);

    await setPublicPeopleFind(true);
    expect((await app.graphql(PEOPLE)).body.data.people).toHaveLength(1);
    expect((await app.http().get('/api/people')).status).toBe(200);
  });
});
