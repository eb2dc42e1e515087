import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, scenarioStep, type AdminBrowser } from './support/browser';
import { FIRST_WORKSHOP, creditsOf } from '../fixtures/first-workshop';

/**
 * Importing an announcement in the admin UI, in a real browser: staff paste the text, read what
 * was understood (who is new, who is already in the CMS) with nothing written, confirm, and land
 * on the new draft. The first workshop's own announcement is pasted after its seeded workshop
 * and one of its speakers were deleted, so the draft is new and the preview shows both kinds of
 * people. Screenshots in test-artifacts/e2e/announcement-import/.
 */

const ADMIN = { email: 'e2e-announcements@example.org', password: 'E2e-Announce-Password-1' };
const WORKSHOP = 'api::workshop.workshop';
const WORKSHOPS_URL = '/admin/content-manager/collection-types/api::workshop.workshop';
const ARTIFACTS = artifactsFor('announcement-import');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'announcements');
const REMOVED_SPEAKER = 'Tess Smidt';

describe('importing an announcement in the admin UI', () => {
  let session: AdminSession;
  let server: AdminServer;
  let browser: AdminBrowser;
  let page: Page;

  beforeAll(async () => {
    session = await openAdminSession(ARTIFACTS, ADMIN);
    ({ server, browser, page } = session);
    const seeded = await server.strapi.documents(WORKSHOP).findFirst({ filters: { slug: FIRST_WORKSHOP.slug } });
    await server.strapi.documents(WORKSHOP).delete({ documentId: seeded!.documentId });
    const speaker = await server.strapi.documents('api::person.person').findFirst({ filters: { name: REMOVED_SPEAKER } });
    await server.strapi.documents('api::person.person').delete({ documentId: speaker!.documentId });
  }, 300000);

  afterAll(() => closeAdminSession(session));

  const step = scenarioStep(() => browser);

  const url = (address: string) => `${server.baseUrl}${address}`;
  const workshopRows = () => server.strapi.db.query(WORKSHOP).count();
  const textBox = () => page.getByRole('textbox', { name: 'Announcement text' });

  step('1. logs in and opens "Import announcement" from the workshops list', async () => {
    await session.signIn();
    await page.goto(url(WORKSHOPS_URL));
    // Beside "Create new entry" in the list view (the main menu has a link of that name too).
    const importLink = page.getByRole('main').getByRole('link', { name: 'Import announcement' });
    await page.getByRole('main').getByRole('link', { name: 'Create new entry' }).first().waitFor();
    await importLink.waitFor();
    await browser.screenshot('workshops-list-with-import-link');
    await importLink.click();
    await page.getByRole('heading', { name: 'Import announcement' }).waitFor();
    await textBox().waitFor();
    await browser.screenshot('import-page');
  });

  step('2. refuses a text it cannot read, listing each line and what is wrong, and writes nothing', async () => {
    const rows = await workshopRows();
    await textBox().fill(fs.readFileSync(path.join(FIXTURES, 'bad-lines.txt'), 'utf8'));
    await page.getByRole('button', { name: 'Read announcement' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'cannot be imported' });
    await alert.waitFor();
    await expect(alert.getByRole('listitem').allInnerTexts()).resolves.toEqual([
      'Line 3 (dates): "February 30 - March 2, 2024" the first day, February 30, 2024, is not a day of the calendar',
      'Line 9 (Schedule): this section cannot be read from an announcement: remove it, and add what it says in the admin UI after the import',
      'Line 15 (Organizers): "Cecilia Clementi" is not written as "Name (Affiliation)", e.g. "Cecilia Clementi (FU Berlin)"',
      'Line 19 (Speakers): the bracket "(" opened here is never closed',
    ]);
    await browser.screenshot('bad-text-refused-with-lines');
    expect(await workshopRows()).toBe(rows);
  });

  step('3. shows what was read from the first workshop\'s announcement, who is new and who exists, before anything is written', async () => {
    const rows = await workshopRows();
    await textBox().fill(fs.readFileSync(path.join(FIXTURES, 'first-workshop.txt'), 'utf8'));
    await browser.screenshot('first-workshop-pasted');
    await page.getByRole('button', { name: 'Read announcement' }).click();
    await page.getByRole('heading', { name: FIRST_WORKSHOP.title }).waitFor();
    await page.getByText(FIRST_WORKSHOP.dateRange, { exact: true }).waitFor();
    await page.getByText(/^For molecular systems we know the laws of physics/).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Nothing is written yet' }).innerText()).resolves.toMatch(/adds 1 new person, 0 new organizations, 0 new sponsors and 0 new series/);

    const rowsOf = async (label: string) => {
      const rows = await page.getByRole('region', { name: label }).locator('tbody tr').all();
      return Promise.all(rows.map(async (row) => (await row.locator('td').allInnerTexts()).join(' | ')));
    };
    const speakerRows = await rowsOf('Speakers');
    expect(speakerRows).toHaveLength(FIRST_WORKSHOP.speakers.length);
    expect(speakerRows[0]).toBe('Mohammed AlQuraishi | Harvard Medical School | Existing | Existing');
    expect(speakerRows[11]).toBe(`${REMOVED_SPEAKER} | MIT | New | Existing`);
    const organizerRows = await rowsOf('Organizers');
    expect(organizerRows.map((row) => `${row.split(' | ')[0]} (${row.split(' | ')[1]})`)).toEqual(FIRST_WORKSHOP.organizers);
    await page.getByRole('region', { name: 'Speakers' }).scrollIntoViewIfNeeded();
    await browser.screenshot('preview-people-new-and-existing');
    expect(await workshopRows()).toBe(rows);
  });

  step('4. creates the draft on confirmation and opens it', async () => {
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL((address) => /\/content-manager\/collection-types\/api::workshop\.workshop\/[a-z0-9]+$/.test(address.pathname));
    const documentId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByText('Draft created from the announcement').first().waitFor();
    await expect(page.getByRole('textbox', { name: 'Title', exact: true }).inputValue()).resolves.toBe(FIRST_WORKSHOP.title);
    await browser.screenshot('new-draft-opened');

    const draft = (await server.strapi.documents(WORKSHOP).findOne({
      documentId,
      populate: { speakers: { populate: ['person', 'affiliation'] }, organizers: { populate: ['person', 'affiliation'] } } as never,
    })) as any;
    expect(draft).toMatchObject({ title: FIRST_WORKSHOP.title, slug: FIRST_WORKSHOP.slug, startDate: '2023-01-23', endDate: '2023-01-27', publishedAt: null });
    expect(creditsOf(draft.speakers)).toEqual(FIRST_WORKSHOP.speakers);
    expect(creditsOf(draft.organizers)).toEqual(FIRST_WORKSHOP.organizers);
    expect(await server.strapi.documents(WORKSHOP).findOne({ documentId, status: 'published' })).toBeNull();
    expect(await server.strapi.db.query('api::person.person').count({ where: { name: REMOVED_SPEAKER } })).toBe(1);
    expect(browser.pageErrors).toEqual([]);
  });
});
