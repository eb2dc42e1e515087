import type { Page } from 'playwright-core';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, eventually, scenarioStep, type AdminBrowser } from './support/browser';
import { fillDate } from './support/admin-ui';

/**
 * The slug field of the admin UI follows the title while a workshop is created (never the
 * `workshop` placeholder Strapi showed), until staff write their own; saved, it is what the
 * field showed. Screenshots in test-artifacts/e2e/slugs/.
 */

const ADMIN = { email: 'e2e-slugs@example.org', password: 'E2e-Slugs-Password-1' };
const WORKSHOP = 'api::workshop.workshop';
const WORKSHOPS_URL = '/admin/content-manager/collection-types/api::workshop.workshop';
const SCREENSHOTS = artifactsFor('slugs');

describe('slugs in the admin UI', () => {
  let session: AdminSession;
  let server: AdminServer;
  let browser: AdminBrowser;
  let page: Page;

  beforeAll(async () => {
    session = await openAdminSession(SCREENSHOTS, ADMIN);
    ({ server, browser, page } = session);
  }, 300000);

  afterAll(() => closeAdminSession(session));

  const step = scenarioStep(() => browser);

  const title = () => page.getByRole('textbox', { name: 'Title', exact: true });
  const slug = () => page.getByRole('textbox', { name: 'Page address (slug)' });
  const slugShows = (expected: string) => eventually(async () => expect(await slug().inputValue()).toBe(expected), 15000);
  const openNewWorkshop = async () => {
    await page.goto(`${server.baseUrl}${WORKSHOPS_URL}/create`);
    await page.getByRole('heading', { name: 'Create an entry' }).waitFor();
    await page.waitForLoadState('networkidle');
  };
  /** Saves, and waits until the database holds workshops of this title with these slugs. */
  const saveAndExpect = async (title: string, slugs: string[]) => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved document').first().waitFor();
    await page.waitForURL((address) => !address.pathname.endsWith('/create'));
    await eventually(async () => {
      const rows = (await server.strapi.db.query(WORKSHOP).findMany({ where: { title }, select: ['slug'], orderBy: 'id' })) as Array<{ slug: string }>;
      expect(rows.map((row) => row.slug)).toEqual(slugs);
    }, 15000);
  };

  step('1. logs in', () => session.signIn());

  step('2. a new workshop: the slug is empty, not `workshop`, until a title is typed, then follows it as it is typed', async () => {
    await openNewWorkshop();
    expect(await slug().inputValue()).toBe('');
    await browser.screenshot('new-workshop-empty-slug');

    await title().pressSequentially('Größe');
    await slugShows('groesse');
    await browser.screenshot('slug-follows-first-word');
    await title().pressSequentially(' und Dynamik');
    await slugShows('groesse-und-dynamik');
    await browser.screenshot('slug-follows-title');
  });

  step('3. saves the workshop with the slug the field showed', async () => {
    await fillDate(page, 'First day', '2031-05-05');
    await fillDate(page, 'Last day', '2031-05-07');
    await saveAndExpect('Größe und Dynamik', ['groesse-und-dynamik']);
    await browser.screenshot('saved');
    expect(await slug().inputValue()).toBe('groesse-und-dynamik');
  });

  step('4. once saved, editing the title leaves the slug as it is', async () => {
    await title().fill('Größe und Dynamik (renamed)');
    // Longer than the field waits before it follows a title.
    await page.waitForTimeout(1000);
    expect(await slug().inputValue()).toBe('groesse-und-dynamik');
    await saveAndExpect('Größe und Dynamik (renamed)', ['groesse-und-dynamik']);
    await browser.screenshot('title-edited-slug-kept');
  });

  step('5. a second workshop of the same title gets a free slug; a slug staff write stays theirs', async () => {
    await openNewWorkshop();
    await title().pressSequentially('Größe und Dynamik');
    await slugShows('groesse-und-dynamik-2');
    await browser.screenshot('taken-slug-gets-suffix');

    await slug().fill('dynamik-2032');
    await title().fill('Größe und Dynamik 2032');
    await page.waitForTimeout(1000);
    expect(await slug().inputValue()).toBe('dynamik-2032');
    await fillDate(page, 'First day', '2032-05-03');
    await fillDate(page, 'Last day', '2032-05-05');
    await saveAndExpect('Größe und Dynamik 2032', ['dynamik-2032']);
    await browser.screenshot('own-slug-saved');
    expect(browser.pageErrors).toEqual([]);
  });
});
