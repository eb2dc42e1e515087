import fs from 'fs';
import path from 'path';
import sharp from 'sharp';
import { env } from '@strapi/utils';
import { fileOrigin, objectStorageFrom, OBJECT_STORAGE_VARIABLES, securityConfigFrom } from '../../src/media/object-storage';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';
import { BUCKET, startCdn, startObjectStorageServer, type Cdn, type ObjectStorageServer } from './support/object-storage-server';

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const PERSON_PAGE = fs.readFileSync(path.join(CONTRACT, 'person-page.graphql'), 'utf8');
const PUBLIC_URL = 'https://cms.example.org';
const PERSON = 'frank-noe';
const ROOT_PATH = 'cms-test';
const ADMIN = { email: 'media-staff@example.org', password: 'Media-Staff-Password-1' };

type Format = { url: string; width: number; height: number };
type Uploaded = { id: number; documentId: string; url: string; size: number; provider: string; formats: Record<string, Format> };

/** A real image, so that Strapi reads its size and makes its responsive formats. */
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 160, g: 60, b: 40 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><rect x="${width / 4}" y="${height / 4}" width="${width / 2}" height="${height / 2}" fill="#30a0e0"/></svg>`) }])
    .png()
    .toBuffer();

/** The URLs of a file's objects: the original and each format. */
const urlsOf = (file: Uploaded) => [file.url, ...Object.values(file.formats).map(({ url }) => url)];

/** The bucket keys of a file's objects, from their URLs. */
const keysOf = (file: Uploaded) => urlsOf(file).map((url) => new URL(url).pathname.replace(`/${BUCKET}/`, '')).sort();

/** Noise does not compress: a PNG over the upload limit. */
const noisyPng = (side: number) => {
  const pixels = Buffer.alloc(side * side * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
};

/** GET over plain HTTP, as a browser or a CDN would fetch a file's URL. */
const fetchFile = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
};

const widthOf = async (bytes: Buffer) => (await sharp(bytes).metadata()).width;
/** The decoded pixels: Strapi may re-encode an upload smaller (its size optimization), never change the picture. */
const pixelsOf = (bytes: Buffer) => sharp(bytes).removeAlpha().raw().toBuffer();

/**
 * What the file's URL serves is the photo uploaded (same pixels) and the very object Strapi
 * stored (the size, in kB, it recorded).
 */
const expectServedAsStored = async (url: string, file: { size: number }, image: Buffer) => {
  const served = await fetchFile(url);
  expect({ status: served.status, type: served.type }).toEqual({ status: 200, type: 'image/png' });
  expect(Math.round((served.body.length / 1000) * 100) / 100).toBe(file.size);
  expect((await pixelsOf(served.body)).equals(await pixelsOf(image))).toBe(true);
};

/** The directives of a Content-Security-Policy header, by name. */
const cspDirectives = (header: string | undefined) =>
  Object.fromEntries((header ?? '').split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));

/** objectStorageFrom reading these variables (and no other S3_*) through Strapi's own env helper. */
const storageWith = (variables: Record<string, string>) => {
  const saved = Object.fromEntries(OBJECT_STORAGE_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of OBJECT_STORAGE_VARIABLES) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return { storage: objectStorageFrom(env), security: securityConfigFrom(env) };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

describe('object storage settings', () => {
  it('keeps uploads on local disk without S3_BUCKET, and Strapi\'s own CSP', () => {
    expect(storageWith({})).toEqual({ storage: null, security: {} });
  });

  it('stops start-up on a half description, saying what is missing', () => {
    const bucket = { S3_BUCKET: 'media' };
    expect(() => storageWith({ S3_REGION: 'us-west-2' })).toThrow('S3_REGION is set but S3_BUCKET is not: set S3_BUCKET to store uploads in object storage, or unset it to keep them on local disk.');
    expect(() => storageWith(bucket)).toThrow(/^S3_BUCKET is set but S3_REGION is not/);
    expect(() => storageWith({ ...bucket, S3_REGION: 'us-west-2', S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(/^S3_ACCESS_KEY_ID is set but S3_SECRET_ACCESS_KEY is not: give both, or neither/);
    expect(() => storageWith({ ...bucket, S3_REGION: 'us-west-2', S3_SECRET_ACCESS_KEY: 'secret' })).toThrow(/^S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not/);
    expect(() => storageWith({ ...bucket, S3_REGION: 'us-west-2', S3_PUBLIC_URL: 'media.example.org' })).toThrow('S3_PUBLIC_URL must be an absolute http(s) URL, e.g. https://media.example.org (given: "media.example.org").');
    expect(() => storageWith({ ...bucket, S3_REGION: 'us-west-2', S3_ENDPOINT: 'ftp://storage.example.org' })).toThrow('S3_ENDPOINT must be an http(s) URL');
    expect(() => storageWith({ ...bucket, S3_REGION: 'us-west-2', S3_ACL: 'private' })).toThrow(/^S3_ACL="private" would keep files from the public pages/);
  });

  it("allows the files' origin in the admin UI's img-src and media-src: CDN, endpoint, or AWS's bucket host", () => {
    const aws = { S3_BUCKET: 'ipam-media', S3_REGION: 'us-west-2' };
    expect(fileOrigin(storageWith(aws).storage!)).toBe('https://ipam-media.s3.us-west-2.amazonaws.com');
    expect(fileOrigin(storageWith({ ...aws, S3_FORCE_PATH_STYLE: 'true' }).storage!)).toBe('https://s3.us-west-2.amazonaws.com');
    expect(fileOrigin(storageWith({ ...aws, S3_ENDPOINT: 'https://minio.example.org:9000/' }).storage!)).toBe('https://minio.example.org:9000');
    expect(fileOrigin(storageWith({ ...aws, S3_ENDPOINT: 'https://r2.example.org', S3_FORCE_PATH_STYLE: 'false' }).storage!)).toBe('https://ipam-media.r2.example.org');
    const { security } = storageWith({ ...aws, S3_PUBLIC_URL: 'https://media.example.org/ipam/' });
    const directives = (security as { contentSecurityPolicy: { directives: Record<string, unknown> } }).contentSecurityPolicy.directives;
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://market-assets.strapi.io', 'https://media.example.org']);
    expect(directives['media-src']).toEqual(["'self'", 'data:', 'blob:', 'https://media.example.org']);
    expect(directives['connect-src']).toEqual(["'self'", 'https:']);
  });
});

/**
 * Uploads in S3-compatible object storage (s3rver, a real S3 server on this machine): staff upload
 * through the upload API, the bucket holds the image and its responsive formats, the contract and
 * REST give the bucket's URLs as they are, deleting the file deletes its objects, and when the
 * storage refuses this server or does not answer, the person gets a 503 that says so and no row
 * is written or lost.
 */
describe('uploads in object storage', () => {
  let storage: ObjectStorageServer;
  let app: TestApp;
  let token: string;
  const bucketUrl = () => `${storage.endpoint}/${BUCKET}/${ROOT_PATH}/`;

  const upload = async (image: Buffer, filename: string) =>
    app
      .http()
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .field('fileInfo', JSON.stringify({ alternativeText: `Portrait (${filename})` }))
      .attach('files', image, { filename, contentType: 'image/png' });
  const remove = (id: number) => app.http().delete(`/api/upload/files/${id}`).set('Authorization', `Bearer ${token}`);
  const fileCount = () => app.strapi.db.query('plugin::upload.file').count({});
  const setPhoto = async (fileId: number | null) => {
    const person = await app.strapi.documents('api::person.person').findFirst({ filters: { slug: PERSON } });
    return app.http().put(`/api/people/${person!.documentId}`).set('Authorization', `Bearer ${token}`).send({ data: { photo: fileId } });
  };

  beforeAll(async () => {
    storage = await startObjectStorageServer();
    app = await startStrapi({ ...storage.env, S3_ROOT_PATH: ROOT_PATH, PUBLIC_URL, UPLOAD_MAX_FILE_SIZE_MB: '1' });
    token = await createApiToken(app.strapi, 'full-access');
  });
  afterAll(async () => {
    await app?.stop();
    await storage?.close();
  });

  it('stores a photo and its responsive formats in the bucket, and the contract gives their URLs as they are', async () => {
    const image = await png(1200, 800);
    const res = await upload(image, 'portrait.png');
    expect(res.status).toBe(201);
    const file = res.body[0] as Uploaded;
    expect(file.provider).toBe('aws-s3');
    expect(Object.keys(file.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    for (const url of urlsOf(file)) expect(url.startsWith(bucketUrl())).toBe(true);
    // Five objects under S3_ROOT_PATH: the original and its four formats.
    expect(await storage.keys()).toEqual(keysOf(file));
    expect(keysOf(file).every((key) => key.startsWith(`${ROOT_PATH}/`))).toBe(true);

    // The bucket holds the photo uploaded, and each format at its size.
    await expectServedAsStored(file.url, file, image);
    for (const [name, format] of Object.entries(file.formats)) {
      const stored = await fetchFile(format.url);
      expect({ name, status: stored.status, width: await widthOf(stored.body) }).toEqual({ name, status: 200, width: format.width });
    }

    expect((await setPhoto(file.id)).status).toBe(200);
    const page = await app.graphql(PERSON_PAGE, { slug: PERSON });
    expect(page.body.errors).toBeUndefined();
    const { photo } = page.body.data.personBySlug;
    // Not prefixed with PUBLIC_URL: the bucket serves them.
    expect(photo).toMatchObject({ url: file.url, width: 1200, height: 800, alternativeText: 'Portrait (portrait.png)' });
    expect(photo.imageFormats).toEqual(
      Object.fromEntries(Object.entries(file.formats).map(([name, { url, width, height }]) => [name, { url, width, height }]))
    );

    const rest = await app.http().get('/api/people').query({ filters: { slug: PERSON }, populate: 'photo' });
    expect(rest.status).toBe(200);
    expect(rest.body.data[0].photo.url).toBe(file.url);
    expect(rest.body.data[0].photo.formats.small.url).toBe(file.formats.small.url);
  });

  it("lets the admin UI show the bucket's images (Content-Security-Policy img-src, media-src)", async () => {
    const res = await app.http().get('/_health');
    const directives = cspDirectives(res.headers['content-security-policy']);
    expect(directives['img-src']).toContain(storage.endpoint);
    expect(directives['media-src']).toContain(storage.endpoint);
  });

  it('deleting the file in the media library deletes its objects from the bucket', async () => {
    const res = await upload(await png(800, 600), 'to-delete.png');
    expect(res.status).toBe(201);
    const file = res.body[0] as Uploaded;
    const urls = urlsOf(file);
    expect(urls).toHaveLength(4);
    for (const url of urls) expect((await fetchFile(url)).status).toBe(200);

    const before = await storage.keys();
    expect((await remove(file.id)).status).toBe(200);
    for (const url of urls) expect({ url, status: (await fetchFile(url)).status }).toEqual({ url, status: 404 });
    expect(await storage.keys()).toEqual(before.filter((key) => !keysOf(file).includes(key)));
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: file.id } })).toBeNull();
  });

  it('refuses what local uploads refuse, before anything reaches the bucket: not an image (400), over the limit (413), a photo without alternative text', async () => {
    const keys = await storage.keys();
    const files = await fileCount();
    const pdf = await app
      .http()
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .attach('files', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), { filename: 'slides.pdf', contentType: 'application/pdf' });
    expect(pdf.status).toBe(400);
    const big = await noisyPng(700);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const tooBig = await upload(big, 'huge.png');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toMatch(/^The file is larger than the upload limit of 1 MB \(UPLOAD_MAX_FILE_SIZE_MB\)/);
    expect(await storage.keys()).toEqual(keys);
    expect(await fileCount()).toBe(files);

    const bare = await app.http().post('/api/upload').set('Authorization', `Bearer ${token}`).attach('files', await png(300, 200), { filename: 'no-alt.png', contentType: 'image/png' });
    expect(bare.status).toBe(201);
    const refused = await setPhoto(bare.body[0].id);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^The image "no-alt\.png" has no alternative text/);
  });

  it('answers 503 when the storage refuses this server\'s key, and writes no file row nor object', async () => {
    const before = await fileCount();
    const keys = await storage.keys();
    storage.revokeKey();
    try {
      const res = await upload(await png(600, 400), 'refused.png');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.body.error).toEqual({
        status: 503,
        name: 'ServiceUnavailableError',
        message:
          'The media storage refused this server (InvalidAccessKeyId): the media library is unchanged. Retrying will not help; the operators must check its settings ' +
          "(S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_ACL) and the bucket's permissions.",
        details: { code: 'OBJECT_STORAGE_REFUSED' },
      });
      expect(await fileCount()).toBe(before);
      expect(await storage.keys()).toEqual(keys);
    } finally {
      storage.restoreKey();
    }
  });

  it('answers 503 with Retry-After while the storage does not answer, loses no row, and works again when it is back', async () => {
    const kept = (await upload(await png(600, 400), 'kept.png')).body[0] as Uploaded;
    const before = await fileCount();
    await storage.stop();
    try {
      const res = await upload(await png(600, 400), 'unreachable.png');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error).toMatchObject({
        message: 'The media storage does not answer at the moment: the media library is unchanged. Retry in a minute; if it goes on, tell the operators.',
        details: { code: 'OBJECT_STORAGE_UNAVAILABLE' },
      });
      // Not mistaken for the database, which answers.
      expect(JSON.stringify(res.body)).not.toMatch(/DATABASE_UNAVAILABLE|ECONNREFUSED|127\.0\.0\.1/);

      const deletion = await remove(kept.id);
      expect(deletion.status).toBe(503);
      const graphqlDeletion = await app
        .http()
        .post('/graphql')
        .set('Authorization', `Bearer ${token}`)
        .send({ query: 'mutation($id: ID!) { deleteUploadFile(id: $id) { name } }', variables: { id: String(kept.id) } });
      expect(graphqlDeletion.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'OBJECT_STORAGE_UNAVAILABLE' } })]);
      expect(graphqlDeletion.body.errors[0].message).toMatch(/^The media storage does not answer at the moment/);
      expect(await fileCount()).toBe(before);
    } finally {
      await storage.restart();
    }
    expect((await storage.keys()).filter((key) => key.includes('unreachable'))).toEqual([]);
    expect((await fetchFile(kept.url)).status).toBe(200);
    expect((await remove(kept.id)).status).toBe(200);
    expect((await fetchFile(kept.url)).status).toBe(404);
  });
});

/**
 * The check: two instances on one database and one bucket (as behind a load balancer).
 * A photo uploaded in the media library of one is served, by its URL (through a CDN at
 * S3_PUBLIC_URL) and through the contract, by the other; deleted through the other, it is gone.
 */
describe('two instances sharing the bucket', () => {
  let storage: ObjectStorageServer;
  let cdn: Cdn;
  let database: TestDatabase;
  const servers: StrapiProcess[] = [];

  beforeAll(async () => {
    storage = await startObjectStorageServer();
    cdn = await startCdn(storage);
    database = await createTestDatabase();
    const environment = { ...database.env, ...storage.env, S3_PUBLIC_URL: cdn.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
    // One after the other: the first creates the schema, seeds and creates the administrator.
    servers.push(await startStrapiProcess(environment));
    servers.push(await startStrapiProcess(environment));
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await cdn?.close();
    await storage?.close();
    await database?.drop();
  });

  const login = async (server: StrapiProcess) => {
    const res = await server.http().post('/admin/login').send(ADMIN);
    expect(res.status).toBe(200);
    return `Bearer ${res.body.data.token}`;
  };

  it('serves through one instance the photo uploaded through the other, and deletes it through either', async () => {
    const [first, second] = servers;
    const image = await png(1000, 1000);
    const staffOnFirst = await login(first);
    const uploaded = await first
      .http()
      .post('/upload')
      .set('Authorization', staffOnFirst)
      .field('fileInfo', JSON.stringify({ alternativeText: 'Portrait of Frank Noe' }))
      .attach('files', image, { filename: 'frank-noe.png', contentType: 'image/png' });
    expect(uploaded.status).toBe(201);
    const file = uploaded.body[0] as Uploaded;
    expect(file.url.startsWith(`${cdn.url}/`)).toBe(true);

    const person = await second.http().post('/graphql').send({ query: '{ personBySlug(slug: "frank-noe") { documentId } }' });
    const attached = await first
      .http()
      .put(`/content-manager/collection-types/api::person.person/${person.body.data.personBySlug.documentId}`)
      .set('Authorization', staffOnFirst)
      .send({ photo: file.id });
    expect(attached.status).toBe(200);

    const page = await second.http().post('/graphql').send({ query: PERSON_PAGE, variables: { slug: PERSON } });
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.personBySlug.photo).toMatchObject({ url: file.url, width: 1000, height: 1000 });
    await expectServedAsStored(page.body.data.personBySlug.photo.url, file, image);
    const thumbnail = await fetchFile(page.body.data.personBySlug.photo.imageFormats.thumbnail.url);
    expect(await widthOf(thumbnail.body)).toBe(156);
    expect(cspDirectives((await second.http().get('/_health')).headers['content-security-policy'])['img-src']).toContain(cdn.url);

    const deleted = await second.http().delete(`/upload/files/${file.id}`).set('Authorization', await login(second));
    expect(deleted.status).toBe(200);
    for (const url of urlsOf(file)) expect({ url, status: (await fetchFile(url)).status }).toEqual({ url, status: 404 });
    const after = await first.http().post('/graphql').send({ query: PERSON_PAGE, variables: { slug: PERSON } });
    expect(after.body.data.personBySlug.photo).toBeNull();
  });
});
