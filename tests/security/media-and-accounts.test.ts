import { importWorkshopText } from '../helpers/workshop-text';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';

/**
 * The media library and users-permissions' accounts are not for public readers (anonymous
 * clients, read-only API tokens): they see the files of published documents through the fields
 * that show them, nothing through the library, never a file's `related` documents, and no user,
 * role or permission. Full-access tokens and the admin UI keep the library.
 */
const EMBARGOED_FILE = `
title: Unannounced Workshop
startDate: 2031-05-05
endDate: 2031-05-09
speakers:
  - Embargoed Speaker (Hidden Institute)
`;
const PUBLISHED_PERSON = 'xavier-bresson';
// A 1x1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const ADMIN = { email: 'media-admin@example.org', password: 'Media-Admin-1' };

type UploadedFile = { id: number; documentId: string; name: string; url: string };

describe('media library and accounts', () => {
  let app: TestApp;
  let readOnlyToken: string;
  let fullAccessToken: string;
  let embargoedPhoto: UploadedFile;
  let publishedPhoto: UploadedFile;
  let userId: number;
  let roleId: number;

  /** Uploads a file for real, as a full-access client would, through POST /api/upload. */
  const upload = async (name: string): Promise<UploadedFile> => {
    const res = await app
      .http()
      .post('/api/upload')
      .set('Authorization', `Bearer ${fullAccessToken}`)
      .field('fileInfo', JSON.stringify({ alternativeText: `Alternative text of ${name}` }))
      .attach('files', PNG, { filename: name, contentType: 'image/png' });
    expect(res.status).toBe(201);
    return res.body[0];
  };
  const setPhoto = async (filters: Record<string, unknown>, photo: UploadedFile) => {
    const people = app.strapi.documents('api::person.person');
    const { documentId } = (await people.findFirst({ filters }))!;
    await people.update({ documentId, data: { photo: photo.id } as never });
  };

  beforeAll(async () => {
    app = await startStrapi();
    await importWorkshopText(app.strapi, EMBARGOED_FILE);

    readOnlyToken = await createApiToken(app.strapi, 'read-only');
    fullAccessToken = await createApiToken(app.strapi, 'full-access');
    embargoedPhoto = await upload('embargoed-portrait.png');
    publishedPhoto = await upload('published-portrait.png');
    await setPhoto({ name: 'Embargoed Speaker' }, embargoedPhoto);
    await setPhoto({ slug: PUBLISHED_PERSON }, publishedPhoto);

    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    roleId = role.id;
    const user = await app.strapi.db
      .query('plugin::users-permissions.user')
      .create({ data: { username: 'end-user', email: 'end-user@example.org', provider: 'local', confirmed: true, role: role.id } });
    userId = user.id;
  });
  afterAll(async () => {
    if (app) {
      for (const file of [embargoedPhoto, publishedPhoto].filter(Boolean)) {
        const stored = await app.strapi.plugin('upload').service('upload').findOne(file.id);
        if (stored) await app.strapi.plugin('upload').service('upload').remove(stored);
      }
    }
    await app?.stop();
  });

  describe.each([
    ['anonymous', (): string | undefined => undefined],
    ['a read-only token', (): string | undefined => readOnlyToken],
  ] as const)('as %s', (_who, token) => {
    const withToken = <T extends { set(name: string, value: string): T }>(request: T): T => (token() ? request.set('Authorization', `Bearer ${token()}`) : request);
    const get = (url: string) => withToken(app.http().get(url));
    const graphql = (query: string, variables?: Record<string, unknown>) => withToken(app.http().post('/graphql').send({ query, variables }));

    it('sees the photo of a published person through Person.photo, and no other file', async () => {
      const res = await graphql('{ people(pagination: { limit: 100 }) { slug photo { name url mime } } }');
      expect(res.body.errors).toBeUndefined();
      const withPhotos = res.body.data.people.filter((person: { photo: unknown }) => person.photo);
      // GraphQL gives absolute URLs (without PUBLIC_URL, the configured port on localhost).
      const absoluteUrl = `http://localhost:${app.strapi.config.get('server.port')}${publishedPhoto.url}`;
      expect(withPhotos).toEqual([{ slug: PUBLISHED_PERSON, photo: { name: 'published-portrait.png', url: absoluteUrl, mime: 'image/png' } }]);
      const page = await graphql('query($slug: String!) { personBySlug(slug: $slug) { photo { url } } }', { slug: PUBLISHED_PERSON });
      expect(page.body.data.personBySlug.photo.url).toBe(absoluteUrl);
      expect(JSON.stringify(res.body) + JSON.stringify(page.body)).not.toMatch(/embargoed-portrait|Embargoed Speaker/);
    });

    it('sees the same through REST populate=photo', async () => {
      const res = await get('/api/people?populate=photo&pagination[pageSize]=100');
      expect(res.status).toBe(200);
      const withPhotos = res.body.data.filter((person: { photo: unknown }) => person.photo);
      expect(withPhotos.map((person: { slug: string; photo: { url: string } }) => [person.slug, person.photo.url])).toEqual([[PUBLISHED_PERSON, publishedPhoto.url]]);
      expect(JSON.stringify(res.body)).not.toMatch(/embargoed-portrait|Embargoed Speaker/);
    });

    it('never reads the documents a file is attached to (UploadFile.related)', async () => {
      const res = await graphql('{ people { photo { name related { __typename } } } }');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/Cannot query field "related" on type "UploadFile"/);
      for (const url of ['/api/people?populate[photo][populate]=related', '/api/people?populate[photo][populate][related]=*']) {
        const rest = await get(url);
        expect(rest.status).toBeLessThan(500);
        const related = rest.status === 200 ? rest.body.data.filter((person: { photo?: { related?: unknown } }) => person.photo?.related !== undefined) : [];
        expect({ url, related }).toEqual({ url, related: [] });
        expect(JSON.stringify(rest.body)).not.toMatch(/Embargoed Speaker/);
      }
    });

    it.each(['/api/upload/files', '/api/upload/files/page', '/api/upload/files?populate=related'])('is refused the media library: REST %s', async (url) => {
      const res = await get(url);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/portrait/);
    });

    it('is refused a file by id through REST, with a message that says what to use instead', async () => {
      for (const file of [embargoedPhoto, publishedPhoto]) {
        const res = await get(`/api/upload/files/${file.id}`);
        expect(res.status).toBe(403);
        expect(res.body.data).toBeNull();
      }
      if (token()) expect((await get(`/api/upload/files/${publishedPhoto.id}`)).body.error.message).toMatch(/media library is not open to .*read-only API tokens.*Person\.photo/);
    });

    it.each([
      ['uploadFiles', '{ uploadFiles { name } }'],
      ['uploadFiles_connection', '{ uploadFiles_connection { nodes { name } pageInfo { total } } }'],
      ['uploadFile', (file: UploadedFile) => `{ uploadFile(documentId: "${file.documentId}") { name } }`],
    ] as const)('is refused the media library: GraphQL %s', async (field, query) => {
      const res = await graphql(typeof query === 'string' ? query : query(embargoedPhoto));
      expect(res.body.data?.[field] ?? null).toBeNull();
      expect(res.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FORBIDDEN']);
      if (token()) expect(res.body.errors[0].message).toMatch(/media library is not open/);
      expect(JSON.stringify(res.body)).not.toMatch(/portrait/);
    });

    // Strapi lets read-only tokens through to the find and findOne actions; the others it refuses itself.
    it.each([
      ['/api/users', true],
      ['/api/users/count', false],
      ['/api/users/me', false],
      [() => `/api/users/${userId}`, true],
      ['/api/users-permissions/roles', true],
      [() => `/api/users-permissions/roles/${roleId}`, true],
      ['/api/users-permissions/permissions', false],
    ] as const)('is refused users-permissions: REST %s', async (url, findAction) => {
      const res = await get(typeof url === 'string' ? url : url());
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/end-user|Authenticated/);
      if (token() && findAction) expect(res.body.error.message).toMatch(/accounts, roles and permissions are not open/);
    });

    it.each([
      ['usersPermissionsUsers', '{ usersPermissionsUsers { username email } }'],
      ['usersPermissionsUsers_connection', '{ usersPermissionsUsers_connection { nodes { username } } }'],
      ['usersPermissionsUser', '{ usersPermissionsUser(documentId: "x") { username } }'],
      ['usersPermissionsRoles', '{ usersPermissionsRoles { name } }'],
      ['usersPermissionsRoles_connection', '{ usersPermissionsRoles_connection { nodes { name } } }'],
      ['usersPermissionsRole', '{ usersPermissionsRole(documentId: "x") { name } }'],
      ['me', '{ me { username } }'],
    ])('is refused users-permissions: GraphQL %s', async (field, query) => {
      const res = await graphql(query);
      expect(res.body.data?.[field] ?? null).toBeNull();
      expect(res.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FORBIDDEN']);
      expect(JSON.stringify(res.body)).not.toMatch(/end-user|Authenticated/);
    });

    it.each([
      ['reviewWorkflowsWorkflows', '{ reviewWorkflowsWorkflows { name } }'],
      ['reviewWorkflowsWorkflowStages', '{ reviewWorkflowsWorkflowStages { name } }'],
    ])('is refused review workflows, editorial data: GraphQL %s', async (field, query) => {
      const res = await graphql(query);
      expect(res.body.data?.[field] ?? null).toBeNull();
      expect(res.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FORBIDDEN']);
    });

    it('still reads published content (the refusals are not a blanket one)', async () => {
      expect((await get('/api/people')).status).toBe(200);
      expect((await graphql('{ workshops { title } }')).body.data.workshops.length).toBeGreaterThan(0);
    });
  });

  describe('with a full-access token', () => {
    const auth = () => `Bearer ${fullAccessToken}`;

    it('keeps the media library, REST and GraphQL', async () => {
      const rest = await app.http().get('/api/upload/files').set('Authorization', auth());
      expect(rest.status).toBe(200);
      expect(rest.body.map((file: UploadedFile) => file.name).sort()).toEqual(['embargoed-portrait.png', 'published-portrait.png']);
      const one = await app.http().get(`/api/upload/files/${embargoedPhoto.id}`).set('Authorization', auth());
      expect(one.body.name).toBe('embargoed-portrait.png');
      const graphql = await app.http().post('/graphql').set('Authorization', auth()).send({ query: '{ uploadFiles { name } }' });
      expect(graphql.body.errors).toBeUndefined();
      expect(graphql.body.data.uploadFiles.map((file: { name: string }) => file.name).sort()).toEqual(['embargoed-portrait.png', 'published-portrait.png']);
    });

    it('keeps users-permissions', async () => {
      const users = await app.http().get('/api/users').set('Authorization', auth());
      expect(users.status).toBe(200);
      expect(users.body.map((user: { username: string }) => user.username)).toEqual(['end-user']);
      const roles = await app.http().post('/graphql').set('Authorization', auth()).send({ query: '{ usersPermissionsRoles { name } }' });
      expect(roles.body.data.usersPermissionsRoles.map((role: { name: string }) => role.name)).toEqual(expect.arrayContaining(['Authenticated', 'Public']));
    });
  });

  it('leaves the admin UI its media library', async () => {
    const superAdmin = await app.strapi.service('admin::role').getSuperAdmin();
    await app.strapi.service('admin::user').create({ ...ADMIN, firstname: 'Media', isActive: true, roles: [superAdmin.id] });
    const login = await app.http().post('/admin/login').send(ADMIN);
    expect(login.status).toBe(200);
    const res = await app.http().get('/upload/files').set('Authorization', `Bearer ${login.body.data.token}`);
    expect(res.status).toBe(200);
    expect(res.body.results.map((file: { name: string }) => file.name).sort()).toEqual(['embargoed-portrait.png', 'published-portrait.png']);
  });
});
