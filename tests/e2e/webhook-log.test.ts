import crypto from 'crypto';
import type { Page } from 'playwright-core';
import type { AdminServer } from './support/admin-server';
import { closeAdminSession, openAdminSession, type AdminSession } from './support/admin-session';
import { artifactsFor, eventually, scenarioStep, type AdminBrowser } from './support/browser';
import { startTargetServer, type TargetServer } from '../webhooks/support/target-server';

/**
 * Staff read the webhook delivery log in the content manager: a list of deliveries with their
 * event, target, status and attempts, and each delivery's fields shown, none of them editable
 * (the server alone writes the outbox). Screenshots in test-artifacts/e2e/webhook-log/.
 */

const ADMIN = { email: 'e2e-webhook-log@example.org', password: 'E2e-Webhook-Log-Password-1' };
const OUTBOX = 'api::webhook-delivery.webhook-delivery';
const LOG_URL = `/admin/content-manager/collection-types/${OUTBOX}`;
const SCREENSHOTS = artifactsFor('webhook-log');
const SECRET = `whsec_${crypto.randomBytes(32).toString('base64')}`;
const WEBHOOK_ENV = ['WEBHOOK_TARGETS', 'WEBHOOK_SECRET', 'WEBHOOK_POLL_INTERVAL'];

describe('the webhook delivery log in the admin UI', () => {
  let session: AdminSession;
  let server: AdminServer;
  let target: TargetServer;
  let browser: AdminBrowser;
  let page: Page;
  let published: { documentId: string; messageId: string; eventId: string };

  beforeAll(async () => {
    target = await startTargetServer();
    session = await openAdminSession(SCREENSHOTS, ADMIN, { WEBHOOK_TARGETS: target.url, WEBHOOK_SECRET: SECRET, WEBHOOK_POLL_INTERVAL: '200' });
    ({ server, browser, page } = session);
  }, 300000);

  afterAll(async () => {
    await closeAdminSession(session);
    for (const name of WEBHOOK_ENV) delete process.env[name];
    await target?.close();
  });

  const step = scenarioStep(() => browser);

  step('1. logs in; a workshop is published and its webhook delivered', async () => {
    await session.signIn();

    const workshops = server.strapi.documents('api::workshop.workshop');
    const draft = await workshops.create({ data: { title: 'Webhook Log Workshop', slug: 'webhook-log-workshop', startDate: '2031-09-01', endDate: '2031-09-03' } as never });
    await workshops.publish({ documentId: draft.documentId });
    await target.waitUntil(() => target.about(draft.documentId).length === 1, 'the publish webhook', 30000);
    const [delivery] = target.about(draft.documentId);
    published = { documentId: draft.documentId, messageId: String(delivery.headers['webhook-id']), eventId: delivery.event.data.eventId };
    await eventually(async () => {
      const row = await server.strapi.db.query(OUTBOX).findOne({ where: { messageId: published.messageId } });
      expect(row).toMatchObject({ deliveryStatus: 'delivered', attempts: 1 });
    }, 15000);
  });

  step('2. the list shows each delivery by event, target, status and attempts', async () => {
    await page.goto(`${server.baseUrl}${LOG_URL}`);
    await page.getByRole('heading', { name: 'Webhook delivery' }).first().waitFor();
    await page.getByRole('gridcell', { name: 'workshop.published' }).first().waitFor();
    await page.waitForLoadState('networkidle');
    const headers = (await page.locator('thead th').allTextContents()).map((text) => text.trim());
    expect(headers).toEqual(expect.arrayContaining(['Event', 'Target', 'Status', 'Attempts', 'Last status code', 'Last error', 'Next attempt', 'Delivered at']));
    // Newest first: the publish is the top row.
    const first = page.getByRole('row').nth(1);
    await expect(first.textContent()).resolves.toContain('workshop.published');
    const cells = (await first.getByRole('gridcell').allTextContents()).map((text) => text.trim());
    expect(cells).toEqual(expect.arrayContaining(['workshop.published', target.url, 'delivered', '1', '200']));
    await browser.screenshot('delivery-log-list');
  });

  step('3. a delivery opens with its fields shown and none editable', async () => {
    await page.getByRole('row').nth(1).getByRole('gridcell').filter({ hasText: 'workshop.published' }).click();
    await page.waitForURL((address) => address.pathname.startsWith(`${LOG_URL}/`) && !address.pathname.endsWith('/create'));
    const event = page.getByRole('textbox', { name: 'Event' });
    await event.waitFor();
    await page.waitForLoadState('networkidle');
    await browser.screenshot('delivery-opened');

    expect(await event.inputValue()).toBe('workshop.published');
    expect(await page.getByRole('textbox', { name: 'Webhook id' }).inputValue()).toBe(published.messageId);
    expect(await page.getByRole('textbox', { name: 'Target' }).inputValue()).toBe(target.url);
    const body = await page.getByRole('textbox', { name: 'Body sent' }).inputValue();
    expect(JSON.parse(body)).toMatchObject({ type: 'workshop.published', data: { eventId: published.eventId } });
    expect(body).not.toContain(SECRET.slice('whsec_'.length));

    for (const label of ['Event', 'Webhook id', 'Target', 'Body sent', 'Last error', 'Claimed by']) {
      expect({ label, editable: await page.getByRole('textbox', { name: label }).isEditable() }).toEqual({ label, editable: false });
    }
    for (const label of ['Attempts', 'Last status code']) {
      expect({ label, editable: await page.getByRole('textbox', { name: label }).isEditable() }).toEqual({ label, editable: false });
    }
    // The delivery's own status (Strapi's draft/published status must not stand in for it).
    const status = page.getByRole('combobox', { name: 'Status' });
    await expect(status.textContent()).resolves.toContain('delivered');
    expect(await status.isDisabled()).toBe(true);
    // Typing into a field changes nothing.
    await event.press('x').catch(() => undefined);
    expect(await event.inputValue()).toBe('workshop.published');
    await browser.screenshot('delivery-read-only');
    expect(browser.pageErrors).toEqual([]);
  });
});
