import request from 'supertest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { createApiToken } from '../helpers/tokens';
import { startObjectStorageServer, type ObjectStorageServer } from '../media/support/object-storage-server';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, eventually, scenarioStep, type AdminBrowser } from './support/browser';

/**
 * With uploads in object storage (s3rver on this machine), the admin UI's Media Library shows
 * each image's thumbnail from the bucket: the Content-Security-Policy lets the browser load it.
 * Screenshots in test-artifacts/e2e/object-storage/.
 */

const ADMIN = { email: 'e2e-storage@example.org', password: 'E2e-Storage-Password-1' };
const SCREENSHOTS = artifactsFor('object-storage');

describe('the media library with uploads in object storage', () => {
  let storage: ObjectStorageServer;
  let session: AdminSession;
  let server: AdminServer;
  let browser: AdminBrowser;
  let page: Page;
  let thumbnailUrl: string;
  const refusedByPolicy: string[] = [];

  beforeAll(async () => {
    storage = await startObjectStorageServer();
    session = await openAdminSession(SCREENSHOTS, ADMIN, storage.env);
    ({ server, browser, page } = session);
    const token = await createApiToken(server.strapi, 'full-access');
    const image = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#c0503a' } }).png().toBuffer();
    const uploaded = await request(server.baseUrl)
      .post('/api/upload')
      .set('Authorization', `Bearer ${token}`)
      .attach('files', image, { filename: 'bucket-portrait.png', contentType: 'image/png' });
    expect(uploaded.status).toBe(201);
    thumbnailUrl = uploaded.body[0].formats.thumbnail.url;
    expect(thumbnailUrl.startsWith(`${storage.endpoint}/`)).toBe(true);

    // The browser reaches only the server under test, and now the bucket too (routes added later win).
    await browser.context.route((url) => url.origin === storage.endpoint, (route) => route.continue());
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusedByPolicy.push(message.text());
    });
  }, 300000);

  afterAll(async () => {
    await closeAdminSession(session);
    await storage?.close();
  });

  const step = scenarioStep(() => browser);

  step('1. logs in and opens the Media Library: the thumbnail comes from the bucket and shows', async () => {
    await session.signIn();
    // Files uploaded through the API land in the "API Uploads" folder.
    const { folder } = await server.strapi.db.query('plugin::upload.file').findOne({ where: { name: 'bucket-portrait.png' }, populate: { folder: true } });
    await page.goto(`${server.baseUrl}/admin/plugins/upload?folder=${folder.id}&folderPath=${encodeURIComponent(folder.path)}`);
    await page.getByText('bucket-portrait.png').first().waitFor();
    const thumbnail = page.locator(`img[src^="${storage.endpoint}/"]`).first();
    await thumbnail.waitFor();
    // Loaded and decoded: a picture, not a broken-image icon.
    await eventually(async () => expect(await thumbnail.evaluate((img) => ((img as { complete: boolean }).complete ? (img as { naturalWidth: number }).naturalWidth : 0))).toBeGreaterThan(0));
    // The admin UI adds ?updatedAt=... to bust its cache.
    expect((await thumbnail.getAttribute('src'))?.split('?')[0]).toBe(thumbnailUrl);
    await browser.screenshot('media-library');
    expect(refusedByPolicy).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
