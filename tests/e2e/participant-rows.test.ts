import type { Locator, Page } from 'playwright-core';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, eventually, scenarioStep, type AdminBrowser } from './support/browser';
import { addParticipant, fieldBlock } from './support/admin-ui';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

const ADMIN = { email: 'rows@example.org', password: 'Rows-Password-1' };
const WORKSHOP = 'api::workshop.workshop';
const SCREENSHOTS = artifactsFor('participant-rows');

/**
 * Staff reading a workshop's organizers and speakers in the edit view: each collapsed row reads
 * as the institute prints it, for the seeded rows and for a row added in the UI once saved.
 */
describe('participant rows in the admin UI', () => {
  let session: AdminSession;
  let server: AdminServer;
  let browser: AdminBrowser;
  let page: Page;
  let seedId: string;

  beforeAll(async () => {
    session = await openAdminSession(SCREENSHOTS, ADMIN);
    ({ server, browser, page } = session);
    seedId = (await server.strapi.documents(WORKSHOP).findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!.documentId;
  }, 300000);

  afterAll(() => closeAdminSession(session));

  const step = scenarioStep(() => browser);

  /** The headers of a repeatable component's rows (the buttons that open and close each row). */
  const rowHeaders = (label: 'Organizers' | 'Speakers'): Locator => fieldBlock(page, label).locator('h3 button[aria-expanded]');
  const rowTexts = async (label: 'Organizers' | 'Speakers') => (await rowHeaders(label).allInnerTexts()).map((text) => text.trim());

  step('1. logs in and opens the seeded workshop', async () => {
    await session.signIn();
    await page.goto(`${server.baseUrl}/admin/content-manager/collection-types/${WORKSHOP}/${seedId}`);
    await page.getByRole('heading', { name: FIRST_WORKSHOP.title }).waitFor();
    await browser.screenshot('seeded-workshop-opened');
  });

  step('2. reads all 20 collapsed organizer and speaker rows as the institute prints them', async () => {
    await eventually(async () => expect(await rowTexts('Organizers')).toEqual(FIRST_WORKSHOP.organizers));
    expect(await rowTexts('Speakers')).toEqual(FIRST_WORKSHOP.speakers);
    for (const header of await rowHeaders('Speakers').all()) expect(await header.getAttribute('aria-expanded')).toBe('false');
    await fieldBlock(page, 'Organizers').scrollIntoViewIfNeeded();
    await browser.screenshot('collapsed-rows-read-as-printed');
  });

  step('3. shows the label of an opened row as printed, and does not let staff type it', async () => {
    await rowHeaders('Organizers').first().click();
    const printedAs = page.locator('input[name="organizers.0.label"]');
    await printedAs.waitFor();
    expect(await printedAs.inputValue()).toBe(FIRST_WORKSHOP.organizers[0]);
    expect(await printedAs.isEditable()).toBe(false);
    await browser.screenshot('opened-row-printed-as');
    await rowHeaders('Organizers').first().click();
  });

  step('4. adds an organizer in the UI, saves, and the new row reads as printed', async () => {
    await addParticipant(page, 'Organizers', 'Tess Smidt');
    await browser.screenshot('organizer-added');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved document').waitFor();
    const expected = [...FIRST_WORKSHOP.organizers, 'Tess Smidt (MIT)'];
    await eventually(async () => expect(await rowTexts('Organizers')).toEqual(expected));
    await browser.screenshot('organizer-saved-and-labelled');

    const saved = (await server.strapi.documents(WORKSHOP).findOne({ documentId: seedId, populate: { organizers: true } as never })) as unknown as {
      organizers: Array<{ label: string }>;
    };
    expect(saved.organizers.map((row) => row.label)).toEqual(expected);

    await page.reload();
    await page.getByRole('heading', { name: FIRST_WORKSHOP.title }).waitFor();
    await eventually(async () => expect(await rowTexts('Organizers')).toEqual(expected));
    expect(await rowTexts('Speakers')).toEqual(FIRST_WORKSHOP.speakers);
    await browser.screenshot('reloaded-rows');
    expect(browser.pageErrors).toEqual([]);
  });
});
