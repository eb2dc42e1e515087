import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, eventually, scenarioStep, type AdminBrowser } from './support/browser';

/**
 * A staff member gives a speaker a portrait in the admin UI, in a real browser: uploads it
 * through the Media Library dialog of the Photo field, writes its alternative text, saves; the
 * person page of the contract (GraphQL over HTTP, anonymously) then shows it with an absolute URL,
 * its size, that text and its formats. A save without alternative text is refused first, under
 * the field. Screenshots in test-artifacts/e2e/photos/.
 */

const ADMIN = { email: 'e2e-photos@example.org', password: 'E2e-Photos-Password-1' };
const PERSON = { name: 'Frank Noe', slug: 'frank-noe' };
const ALT = 'Portrait of Frank Noe';
const SCREENSHOTS = artifactsFor('photos');
const PUBLIC_URL = 'https://cms.example.org';
const PERSON_PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'person-page.graphql'), 'utf8');

describe('photos in the admin UI', () => {
  let session: AdminSession;
  let server: AdminServer;
  let browser: AdminBrowser;
  let page: Page;
  let scratch: string;
  let portraitFile: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-photos-'));
    portraitFile = path.join(scratch, 'frank-noe.jpg');
    await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#5a7d9a' } }).jpeg().toFile(portraitFile);
    session = await openAdminSession(SCREENSHOTS, ADMIN, { PUBLIC_URL });
    ({ server, browser, page } = session);
  }, 300000);

  afterAll(async () => {
    await closeAdminSession(session);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const step = scenarioStep(() => browser);
  const storedPhoto = async () =>
    (await server.strapi.db.query('api::person.person').findOne({ where: { slug: PERSON.slug }, populate: { photo: true } }))?.photo ?? null;

  step('1. logs in and opens the person', async () => {
    await session.signIn();
    await page.goto(`${server.baseUrl}/admin/content-manager/collection-types/api::person.person`);
    await page.getByText(PERSON.name, { exact: true }).click();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await expect(page.getByRole('heading', { name: PERSON.name }).isVisible()).resolves.toBe(true);
    await browser.screenshot('person-edit-view');
  });

  step('2. uploads a portrait through the Photo field, without alternative text: the save is refused under the field', async () => {
    await page.getByText('Click to add an asset or drag and drop one in this area').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Add more assets' }).click();
    await dialog.getByText('Drag & Drop here or').waitFor();
    await browser.screenshot('upload-dialog');
    await dialog.locator('input[type="file"]').setInputFiles(portraitFile);
    await dialog.getByRole('button', { name: 'Upload 1 asset to the library' }).waitFor();
    await browser.screenshot('pending-asset');
    await dialog.getByRole('button', { name: 'Upload 1 asset to the library' }).click();
    // Back in the library, the new asset is selected: finish to put it in the field.
    await dialog.getByRole('button', { name: 'Finish' }).waitFor();
    await browser.screenshot('asset-selected');
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await browser.screenshot('photo-in-field');

    await page.getByRole('button', { name: 'Save' }).click();
    // The message, in a notification and under the field.
    await eventually(async () => expect(await page.getByText(/^The image "frank-noe\.jpg" has no alternative text/).count()).toBe(2));
    await browser.screenshot('refused-without-alternative-text');
    expect(await storedPhoto()).toBeNull();
  });

  step('3. picks the uploaded image again, writes its alternative text and saves', async () => {
    // The refused save left the field as stored (empty); the image is in the library now.
    await page.getByText('Click to add an asset or drag and drop one in this area').click();
    const library = page.getByRole('dialog');
    await library.getByText('frank-noe.jpg').first().waitFor();
    await browser.screenshot('library-with-the-image');
    await library.getByRole('checkbox', { name: /frank-noe/ }).or(library.getByRole('checkbox').last()).first().check();
    await library.getByRole('button', { name: 'Finish' }).click();
    await library.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Edit' }).click();
    const details = page.getByRole('dialog');
    await details.getByRole('textbox', { name: 'Alternative text' }).fill(ALT);
    await browser.screenshot('alternative-text');
    await details.getByRole('button', { name: 'Finish' }).click();
    await details.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => expect((await storedPhoto())?.alternativeText).toBe(ALT));
    await browser.screenshot('saved-with-photo');
  });

  step('4. the contract shows the photo: absolute URL, size, alternative text and formats', async () => {
    const res = await request(server.baseUrl).post('/graphql').send({ query: PERSON_PAGE, variables: { slug: PERSON.slug } });
    expect(res.body.errors).toBeUndefined();
    const { photo } = res.body.data.personBySlug;
    expect(photo).toMatchObject({ alternativeText: ALT, width: 900, height: 1200 });
    expect(photo.url).toMatch(new RegExp(`^${PUBLIC_URL}/uploads/frank_noe_[0-9a-f]+\\.jpg$`));
    expect(photo.imageFormats).toMatchObject({
      thumbnail: { width: 117, height: 156 },
      small: { width: 375, height: 500 },
      medium: { width: 563, height: 750 },
      large: { width: 750, height: 1000 },
    });
    const file = await request(server.baseUrl).get(new URL(photo.imageFormats.small.url).pathname);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(browser.pageErrors).toEqual([]);
  });
});
