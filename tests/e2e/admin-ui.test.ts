import request from 'supertest';
import type { Page } from 'playwright-core';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, eventually, scenarioStep, type AdminBrowser } from './support/browser';
import { addParticipant, dateField, descriptionOf, dismissFirstVisitPopups, fieldBlock, fillDate, logIn } from './support/admin-ui';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

/**
 * Staff's work in the admin UI, in a real browser (Debian's Chromium through playwright-core),
 * against the built admin panel of a server on a fresh SQLite database with the first workshop
 * seeded. The steps run in order in one browser context; each leaves screenshots in
 * test-artifacts/e2e/admin-ui/.
 */

const ADMIN = { email: 'e2e-staff@example.org', password: 'E2e-Staff-Password-1' };
const WORKSHOP = 'api::workshop.workshop';
const WORKSHOPS_URL = '/admin/content-manager/collection-types/api::workshop.workshop';

const NEW_WORKSHOP = {
  title: 'Machine Learning for Molecular Dynamics',
  slug: 'machine-learning-for-molecular-dynamics',
  startDate: '2025-06-02',
  endDate: '2025-06-06',
  speakers: ['Tess Smidt', 'Jutta Rogal'],
  organizers: ['Cecilia Clementi'],
};
const SCREENSHOTS = artifactsFor('admin-ui');
const NEXT_EDITION_SLUG = `${FIRST_WORKSHOP.slug}-2024`;

describe('the admin UI in a browser', () => {
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

  const url = (path: string) => `${server.baseUrl}${path}`;
  const graphql = (query: string, variables?: Record<string, unknown>) => request(server.baseUrl).post('/graphql').send({ query, variables });
  const countWorkshopRows = () => server.strapi.db.query(WORKSHOP).count();
  const workshopBySlug = (slug: string, status: 'draft' | 'published') =>
    server.strapi.documents(WORKSHOP).findFirst({
      filters: { slug },
      status,
      populate: { speakers: { populate: ['person'] }, organizers: { populate: ['person'] }, talks: true, series: true, sponsors: true } as never,
    }) as Promise<any>;

  step('1. logs in at /admin with the email and password of the first administrator', async () => {
    await page.goto(url('/admin'));
    await page.getByRole('textbox', { name: 'Email' }).waitFor();
    await browser.screenshot('login-form');

    await logIn(page, ADMIN.email, ADMIN.password);
    await dismissFirstVisitPopups(page);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await browser.screenshot('home-after-login');
  });

  step('2. creates a workshop with two speakers and an organizer, saves and publishes it, and GraphQL serves it', async () => {
    await page.getByRole('link', { name: 'Content Manager' }).click();
    await page.getByRole('navigation', { name: 'Content Manager' }).getByRole('link', { name: 'Workshop', exact: true }).click();
    await page.getByRole('link', { name: 'Create new entry' }).first().click();
    await page.getByRole('heading', { name: 'Create an entry' }).waitFor();

    await page.getByRole('textbox', { name: 'Title', exact: true }).fill(NEW_WORKSHOP.title);
    // The slug follows the title (src/admin/slug-follows-title.tsx; tests/e2e/slugs.test.ts).
    const slug = page.getByRole('textbox', { name: 'Page address (slug)' });
    await eventually(async () => expect(await slug.inputValue()).toBe(NEW_WORKSHOP.slug));
    await fillDate(page, 'First day', NEW_WORKSHOP.startDate);
    await fillDate(page, 'Last day', NEW_WORKSHOP.endDate);
    for (const person of NEW_WORKSHOP.speakers) await addParticipant(page, 'Speakers', person);
    for (const person of NEW_WORKSHOP.organizers) await addParticipant(page, 'Organizers', person);
    expect(await fieldBlock(page, 'Speakers').locator('label').first().innerText()).toMatch(/Speakers\s*\(2\)/);
    expect(await fieldBlock(page, 'Organizers').locator('label').first().innerText()).toMatch(/Organizers\s*\(1\)/);
    await browser.screenshot('new-workshop-filled-in');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved document').waitFor();
    await page.waitForURL((address) => !address.pathname.endsWith('/create'));
    await browser.screenshot('new-workshop-saved');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published document').waitFor();
    await browser.screenshot('new-workshop-published');

    const query = `query ($slug: String!) {
      workshopBySlug(slug: $slug) { title startDate endDate speakers { person { name } } organizers { person { name } } }
    }`;
    const res = await graphql(query, { slug: NEW_WORKSHOP.slug });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.workshopBySlug).toEqual({
      title: NEW_WORKSHOP.title,
      startDate: NEW_WORKSHOP.startDate,
      endDate: NEW_WORKSHOP.endDate,
      speakers: NEW_WORKSHOP.speakers.map((name) => ({ person: { name } })),
      organizers: NEW_WORKSHOP.organizers.map((name) => ({ person: { name } })),
    });
  });

  step('3. refuses to save a workshop that ends before it starts, with the message under "Last day" and in a notification', async () => {
    const rowsBefore = await countWorkshopRows();
    await page.goto(url(`${WORKSHOPS_URL}/create`));
    await page.getByRole('heading', { name: 'Create an entry' }).waitFor();
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Workshop Ending Before It Starts');
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await eventually(async () => expect(await page.getByRole('textbox', { name: 'Page address (slug)' }).inputValue()).toBe('workshop-ending-before-it-starts'));
    await fillDate(page, 'First day', '2025-03-10');
    await fillDate(page, 'Last day', '2025-03-05');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const message = 'The end date (2025-03-05) is before the start date (2025-03-10).';
    await page.getByRole('alert').filter({ hasText: message }).waitFor();
    await eventually(async () => expect(await descriptionOf(page, dateField(page, 'Last day'))).toBe(message));
    expect(await descriptionOf(page, dateField(page, 'First day'))).toBe('First day of the workshop.');
    await browser.screenshot('end-before-start-refused');

    // Nothing was saved: still the creation form, and no new row in the database.
    expect(new URL(page.url()).pathname).toBe(`${WORKSHOPS_URL}/create`);
    expect(await page.getByRole('heading', { name: 'Create an entry' }).isVisible()).toBe(true);
    expect(await countWorkshopRows()).toBe(rowsBefore);
    expect(await workshopBySlug('workshop-ending-before-it-starts', 'draft')).toBeNull();
  });

  step('4. prepares the next edition of the seeded workshop from its edit view and opens the new draft', async () => {
    const original = async () => JSON.stringify([await workshopBySlug(FIRST_WORKSHOP.slug, 'draft'), await workshopBySlug(FIRST_WORKSHOP.slug, 'published')]);
    const before = await original();

    await page.goto(url(WORKSHOPS_URL));
    await page.getByRole('link', { name: FIRST_WORKSHOP.title, exact: true }).click();
    await page.getByRole('heading', { name: FIRST_WORKSHOP.title }).waitFor();
    const originalPath = new URL(page.url()).pathname;
    await browser.screenshot('seeded-workshop-edit-view');

    // The edit view's side panel shows Publish and Save; further actions are in its menu.
    await page.getByRole('button', { name: 'More document actions' }).click();
    await page.getByRole('menuitem', { name: 'Prepare next edition' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Prepare next edition' });
    const firstDay = dialog.getByLabel('First day');
    expect(await firstDay.inputValue()).toBe('2024-01-23'); // one year later, by default
    // Typed digit by digit, as staff type it (month, day, year): the Monday a year later.
    await firstDay.focus();
    await firstDay.pressSequentially('01222024', { delay: 50 });
    await eventually(async () => expect(await firstDay.inputValue()).toBe('2024-01-22'));
    const keepSpeakers = dialog.getByRole('checkbox', { name: 'Keep the speakers' });
    await keepSpeakers.check();
    expect(await dialog.getByRole('checkbox', { name: 'Keep the schedule (moved to the new dates)' }).isChecked()).toBe(false);
    await browser.screenshot('next-edition-dialog');
    await dialog.getByRole('button', { name: 'Create draft' }).click();

    await page.waitForURL((address) => address.pathname.startsWith(`${WORKSHOPS_URL}/`) && address.pathname !== originalPath);
    await page.getByText(`Next edition prepared as a draft: ${FIRST_WORKSHOP.title}`).waitFor();
    await eventually(async () => expect(await page.getByRole('textbox', { name: 'Page address (slug)' }).inputValue()).toBe(NEXT_EDITION_SLUG));
    expect(await dateField(page, 'First day').inputValue()).toBe('01/22/2024');
    expect(await dateField(page, 'Last day').inputValue()).toBe('01/26/2024');
    await browser.screenshot('next-edition-draft-opened');

    const draft = await workshopBySlug(NEXT_EDITION_SLUG, 'draft');
    expect(draft).toMatchObject({ title: FIRST_WORKSHOP.title, startDate: '2024-01-22', endDate: '2024-01-26', publishedAt: null, talks: [] });
    expect(new URL(page.url()).pathname).toBe(`${WORKSHOPS_URL}/${draft.documentId}`);
    expect(draft.speakers.map((speaker: { person: { name: string } }) => speaker.person.name)).toHaveLength(FIRST_WORKSHOP.speakers.length);
    expect(draft.organizers).toHaveLength(FIRST_WORKSHOP.organizers.length);
    expect(await workshopBySlug(NEXT_EDITION_SLUG, 'published')).toBeNull();
    expect(await original()).toBe(before);
  });

  it('raised no uncaught error in the admin UI', () => {
    expect(browser.pageErrors).toEqual([]);
  });
});
