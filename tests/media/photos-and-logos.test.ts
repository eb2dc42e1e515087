import fs from 'fs';
import path from 'path';
import sharp from 'sharp';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const operation = (name: string) => fs.readFileSync(path.join(CONTRACT, `${name}.graphql`), 'utf8');

const PUBLIC_URL = 'https://cms.example.org';
const PERSON = 'frank-noe';
const SPONSOR_NAME = FIRST_WORKSHOP.sponsor.name;
/** Small enough that an oversize image is cheap to make: 0.25 MB. */
const LIMIT_MB = '0.25';
const UPLOADS = path.join(process.cwd(), 'public', 'uploads');

type Uploaded = {
  id: number;
  documentId: string;
  name: string;
  url: string;
  alternativeText: string | null;
  formats: Record<string, { url: string }> | null;
};
/** The files on disk of an upload: the original and each of its formats. */
const filesOnDisk = ({ url, formats }: Uploaded) =>
  [url, ...Object.values(formats ?? {}).map((format) => format.url)].map((fileUrl) => path.join(UPLOADS, path.basename(fileUrl)));

/** A real image, so that Strapi reads its size and makes its formats: a gradient of `width` x `height`. */
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#e0a030"/></svg>`) }])
    .png()
    .toBuffer();
/** Noise does not compress: a PNG well over the limit. */
const noisyPng = (side: number) => {
  const pixels = Buffer.alloc(side * side * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
};

/**
 * Photos and logos from the Media Library to the contract: staff upload images (only images, of
 * a bounded size) with their alternative text, attach them to a person and a sponsor, and
 * anonymous front ends read them through the contract's operations with absolute URLs, sizes,
 * alternative text and Strapi's responsive formats. What is refused says why, and writes nothing.
 */
describe('photos and logos', () => {
  let app: TestApp;
  let token: string;
  const uploaded: Uploaded[] = [];

  const upload = (file: Buffer, filename: string, contentType: string, fileInfo: Record<string, unknown> = {}) =>
    app
      .http()
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .field('fileInfo', JSON.stringify(fileInfo))
      .attach('files', file, { filename, contentType });
  const uploadImage = async (filename: string, alternativeText: string | null, [width, height] = [1200, 800]) => {
    const res = await upload(await png(width, height), filename, 'image/png', alternativeText === null ? {} : { alternativeText });
    expect(res.status).toBe(201);
    uploaded.push(res.body[0]);
    return res.body[0] as Uploaded;
  };
  const documentIdOf = async (uid: 'api::person.person' | 'api::sponsor.sponsor', filters: Record<string, unknown>) =>
    (await app.strapi.documents(uid).findFirst({ filters }))!.documentId;
  const setPhoto = async (fileId: number | null) =>
    app
      .http()
      .put(`/api/people/${await documentIdOf('api::person.person', { slug: PERSON })}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ data: { photo: fileId } });
  const setLogo = async (fileId: number | null) =>
    app
      .http()
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .send({
        query: 'mutation($documentId: ID!, $logo: ID) { updateSponsor(documentId: $documentId, data: { logo: $logo }) { name logo { name } } }',
        variables: { documentId: await documentIdOf('api::sponsor.sponsor', { name: SPONSOR_NAME }), logo: fileId === null ? null : String(fileId) },
      });
  const storedPhotoOf = async () =>
    (await app.strapi.db.query('api::person.person').findOne({ where: { slug: PERSON }, populate: { photo: true } }))?.photo ?? null;
  const fileCount = () => app.strapi.db.query('plugin::upload.file').count({});

  beforeAll(async () => {
    app = await startStrapi({ PUBLIC_URL, UPLOAD_MAX_FILE_SIZE_MB: LIMIT_MB });
    token = await createApiToken(app.strapi, 'full-access');
  });
  afterAll(async () => {
    if (app) {
      const files = await app.strapi.db.query('plugin::upload.file').findMany({});
      for (const file of files) await app.strapi.plugin('upload').service('upload').remove(file);
    }
    await app?.stop();
    // Nothing of ours left behind in the repository's public/uploads. (Only our own files: suites
    // in other workers upload and remove theirs in the same folder at the same time.)
    const files = uploaded.flatMap(filesOnDisk);
    expect(files.length).toBeGreaterThanOrEqual(uploaded.length);
    expect(files.filter((file) => fs.existsSync(file))).toEqual([]);
  });

  describe('through the contract, anonymously', () => {
    let portrait: Uploaded;
    let logo: Uploaded;
    beforeAll(async () => {
      portrait = await uploadImage('frank-noe.png', 'Portrait of Frank Noe');
      logo = await uploadImage('jsf-logo.png', 'Logo of the Julian Schwinger Foundation', [600, 300]);
      const person = await setPhoto(portrait.id);
      expect(person.status).toBe(200);
      const sponsor = await setLogo(logo.id);
      expect(sponsor.body.errors).toBeUndefined();
      expect(sponsor.body.data.updateSponsor.logo).toEqual({ name: 'jsf-logo.png' });
    });

    const expectAbsolute = (url: string) => {
      expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/uploads/[^/]+\\.png$`));
    };

    it('PersonPage: the photo with an absolute URL, its size, alternative text and formats', async () => {
      const res = await app.graphql(operation('person-page'), { slug: PERSON });
      expect(res.body.errors).toBeUndefined();
      const { photo } = res.body.data.personBySlug;
      expect(photo).toMatchObject({ alternativeText: 'Portrait of Frank Noe', width: 1200, height: 800 });
      expect(photo.url).toBe(`${PUBLIC_URL}${portrait.url}`);
      expectAbsolute(photo.url);
      // Strapi's breakpoints (thumbnail fits 245 x 156), each a file of its own.
      expect(photo.imageFormats).toEqual({
        thumbnail: { url: expect.any(String), width: 234, height: 156 },
        small: { url: expect.any(String), width: 500, height: 333 },
        medium: { url: expect.any(String), width: 750, height: 500 },
        large: { url: expect.any(String), width: 1000, height: 667 },
      });
      const urls = Object.values(photo.imageFormats as Record<string, { url: string }>).map(({ url }) => url);
      urls.forEach(expectAbsolute);
      expect(new Set([photo.url, ...urls]).size).toBe(5);
      // Each URL is a real image this server serves, of the size it says.
      for (const [url, width] of [[photo.url, 1200], [photo.imageFormats.small.url, 500]] as const) {
        const file = await app.http().get(new URL(url).pathname).buffer(true);
        expect(file.status).toBe(200);
        expect(file.headers['content-type']).toBe('image/png');
        expect((await sharp(file.body as Buffer).metadata()).width).toBe(width);
      }
    });

    it('WorkshopPage: speakers and organizers with their photos, sponsors with their logos', async () => {
      const res = await app.graphql(operation('workshop-page'), { slug: FIRST_WORKSHOP.slug });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.workshopBySlug;
      const withPhotos = page.speakers.filter((speaker: { person: { photo: unknown } }) => speaker.person.photo);
      expect(withPhotos.map((speaker: { person: { slug: string } }) => speaker.person.slug)).toEqual([PERSON]);
      expect(withPhotos[0].person.photo).toMatchObject({ url: `${PUBLIC_URL}${portrait.url}`, alternativeText: 'Portrait of Frank Noe', width: 1200, height: 800 });
      expect(page.organizers.every((organizer: { person: { photo: unknown } }) => organizer.person.photo === null)).toBe(true);
      expect(page.sponsors).toEqual([
        expect.objectContaining({
          name: SPONSOR_NAME,
          logo: {
            url: `${PUBLIC_URL}${logo.url}`,
            alternativeText: 'Logo of the Julian Schwinger Foundation',
            width: 600,
            height: 300,
            // Only the sizes smaller than the original: no medium or large of a 600-pixel logo.
            imageFormats: { thumbnail: { url: expect.stringMatching(`^${PUBLIC_URL}/uploads/`), width: 245, height: 123 }, small: { url: expect.any(String), width: 500, height: 250 }, medium: null, large: null },
          },
        }),
      ]);
    });

    it("never takes the URL's origin from the request's Host or X-Forwarded-Host", async () => {
      const res = await app
        .http()
        .post('/graphql')
        .set('Host', 'attacker.example')
        .set('X-Forwarded-Host', 'attacker.example')
        .set('X-Forwarded-Proto', 'http')
        .send({ query: 'query($slug: String!) { personBySlug(slug: $slug) { photo { url formats } } }', variables: { slug: PERSON } });
      expect(res.body.errors).toBeUndefined();
      const { photo } = res.body.data.personBySlug;
      expect(photo.url).toBe(`${PUBLIC_URL}${portrait.url}`);
      // The JSON formats too: no relative URL anywhere.
      expect(Object.values(photo.formats as Record<string, { url: string }>).map(({ url }) => url.startsWith(`${PUBLIC_URL}/uploads/`))).toEqual([true, true, true, true]);
      expect(JSON.stringify(res.body)).not.toMatch(/attacker/);
    });

    it('gives the same through a list of people (batched) as through the page', async () => {
      const res = await app.graphql('{ people(filters: { slug: { eq: "frank-noe" } }) { photo { url alternativeText width height imageFormats { small { url width height } } } } }');
      expect(res.body.errors).toBeUndefined();
      const page = await app.graphql(operation('person-page'), { slug: PERSON });
      const { url, alternativeText, width, height, imageFormats } = page.body.data.personBySlug.photo;
      expect(res.body.data.people[0].photo).toEqual({ url, alternativeText, width, height, imageFormats: { small: imageFormats.small } });
    });
  });

  describe('refusals', () => {
    it('refuses a file that is not an image (a PDF, an SVG that could carry a script) and stores nothing', async () => {
      const before = await fileCount();
      for (const [content, filename, type] of [
        [Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), 'slides.pdf', 'application/pdf'],
        [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'logo.svg', 'image/svg+xml'],
      ] as const) {
        const res = await upload(content, filename, type, { alternativeText: 'Not an image' });
        expect({ filename, status: res.status }).toEqual({ filename, status: 400 });
        expect(res.body.error.message).toMatch(/not allowed/);
      }
      expect(await fileCount()).toBe(before);
    });

    it('refuses a file over UPLOAD_MAX_FILE_SIZE_MB with a message that gives the limit', async () => {
      const before = await fileCount();
      const big = await noisyPng(400);
      expect(big.length).toBeGreaterThan(0.25 * 1024 * 1024);
      const res = await upload(big, 'huge.png', 'image/png', { alternativeText: 'Too big' });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toBe(
        'The file is larger than the upload limit of 0.25 MB (UPLOAD_MAX_FILE_SIZE_MB): make the image smaller (a portrait or logo needs no more than about 2000 pixels across) and upload it again.'
      );
      expect(await fileCount()).toBe(before);
      expect(app.strapi.config.get('plugin::upload.sizeLimit')).toBe(0.25 * 1024 * 1024);
    });

    it('refuses a photo without alternative text, naming the field, and keeps the photo it had', async () => {
      const bare = await uploadImage('no-alt.png', null, [300, 200]);
      expect(bare.alternativeText).toBeNull();
      const photoBefore = await storedPhotoOf();
      const res = await setPhoto(bare.id);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^The image "no-alt\.png" has no alternative text/);
      expect(res.body.error.details.errors).toEqual([expect.objectContaining({ path: ['photo'] })]);
      expect((await storedPhotoOf())?.id).toBe(photoBefore?.id);
    });

    it('refuses a logo without alternative text (GraphQL: a 400 BAD_USER_INPUT naming logo)', async () => {
      const bare = await uploadImage('no-alt-logo.png', '   ', [300, 200]);
      const res = await setLogo(bare.id);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].message).toMatch(/^The image "no-alt-logo\.png" has no alternative text/);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', error: { details: { errors: [expect.objectContaining({ path: ['logo'] })] } } });
    });

    it('refuses a file that is not an image as a photo (allowedTypes alone binds only the admin UI)', async () => {
      // A file from before the image-only rule (or another provider): the upload API no longer takes one.
      const pdf = await app.strapi.db.query('plugin::upload.file').create({
        data: { name: 'cv.pdf', alternativeText: 'CV', hash: 'cv_legacy', ext: '.pdf', mime: 'application/pdf', size: 12.5, url: '/uploads/cv_legacy.pdf', provider: 'local' },
      });
      const res = await setPhoto(pdf.id);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('"cv.pdf" is not an image (application/pdf): a portrait must be a JPEG, PNG, WebP or GIF image.');
      expect(res.body.error.details.errors[0].path).toEqual(['photo']);
      expect((await storedPhotoOf())?.mime).toBe('image/png');
    });

    it('refuses as a photo a file named like an image that is none (Strapi trusts the extension of bytes it cannot tell)', async () => {
      const fake = await upload(Buffer.from('<html><script>alert(1)</script></html>'), 'fake.png', 'image/png', { alternativeText: 'Not an image' });
      expect(fake.status).toBe(201);
      uploaded.push(fake.body[0]);
      expect(fake.body[0]).toMatchObject({ mime: 'image/png', width: null, height: null, formats: null });
      const res = await setPhoto(fake.body[0].id);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('"fake.png" is not an image Strapi could read (it has no size): upload the portrait again as a JPEG, PNG, WebP or GIF image.');
      expect((await storedPhotoOf())?.name).toBe('frank-noe.png');
    });

    it('refuses to clear the alternative text of a photo in use, and lets other files be edited', async () => {
      const photo = await storedPhotoOf();
      const clear = await app
        .http()
        .post(`/api/upload?id=${photo.id}`)
        .set('Authorization', `Bearer ${token}`)
        .field('fileInfo', JSON.stringify({ alternativeText: '' }));
      expect(clear.status).toBe(400);
      expect(clear.body.error.message).toBe(`"${photo.name}" is the portrait of Frank Noe: a public image keeps its alternative text. Write a new one rather than clearing it.`);
      expect((await storedPhotoOf())?.alternativeText).toBe('Portrait of Frank Noe');

      const rename = await app
        .http()
        .post(`/api/upload?id=${photo.id}`)
        .set('Authorization', `Bearer ${token}`)
        .field('fileInfo', JSON.stringify({ alternativeText: 'Frank Noe in 2023' }));
      expect(rename.status).toBe(200);
      expect((await storedPhotoOf())?.alternativeText).toBe('Frank Noe in 2023');
      const unused = uploaded.find(({ name }) => name === 'no-alt.png')!;
      const other = await app.http().post(`/api/upload?id=${unused.id}`).set('Authorization', `Bearer ${token}`).field('fileInfo', JSON.stringify({ alternativeText: '', caption: 'Unused' }));
      expect(other.status).toBe(200);
    });

    it('removes a photo when asked (null is not an image to check)', async () => {
      expect((await setPhoto(null)).status).toBe(200);
      expect(await storedPhotoOf()).toBeNull();
      const res = await app.graphql(operation('person-page'), { slug: PERSON });
      expect(res.body.data.personBySlug.photo).toBeNull();
    });
  });
});
