import crypto from 'crypto';
import { Webhook } from 'standardwebhooks';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';
import { startTargetServer, type TargetServer } from './support/target-server';

const SECRET = `whsec_${crypto.randomBytes(32).toString('base64')}`;
const OUTBOX = 'api::webhook-delivery.webhook-delivery';
const WEBHOOK_ENV = ['WEBHOOK_TARGETS', 'WEBHOOK_SECRET', 'WEBHOOK_POLL_INTERVAL', 'WEBHOOK_RETRY_BASE_MS', 'WEBHOOK_RETRY_MAX_MS', 'WEBHOOK_MAX_ATTEMPTS', 'WEBHOOK_TIMEOUT_MS'];

/**
 * Front ends learn of every public change by a signed webhook (Standard Webhooks), sent from an
 * outbox written with the change: a draft save sends nothing; a publish, unpublish, delete and a
 * person's update send one event each, naming the documents, their slugs and surrogate keys;
 * a failing target gets the same webhook-id again until it accepts; a refused write sends nothing.
 */
describe('webhooks to front ends', () => {
  let app: TestApp;
  let target: TargetServer;
  let token: string;
  let workshopId: string;
  beforeAll(async () => {
    target = await startTargetServer();
    app = await startStrapi({
      WEBHOOK_TARGETS: target.url,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_POLL_INTERVAL: '100',
      WEBHOOK_RETRY_BASE_MS: '150',
      WEBHOOK_RETRY_MAX_MS: '1000',
      WEBHOOK_MAX_ATTEMPTS: '5',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    token = await createApiToken(app.strapi, 'full-access');
    workshopId = (await app.strapi.documents('api::workshop.workshop').findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!.documentId;
    // The seeded workshop's own events, sent at start-up.
    await target.waitUntil(() => target.about(workshopId).length > 0, 'the seed events');
    await target.settled();
  });
  afterAll(async () => {
    await app?.stop();
    for (const name of WEBHOOK_ENV) delete process.env[name];
    await target?.close();
  });

  const staff = () => ({ Authorization: `Bearer ${token}` });
  const outboxRows = (documentId: string) => app.strapi.db.query(OUTBOX).findMany({ where: { body: { $contains: documentId } }, orderBy: { id: 'asc' } });
  const verified = (delivery: { headers: Record<string, unknown>; body: string }) =>
    new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>) as { type: string };

  it('sends nothing for a draft save', async () => {
    const before = target.received.length;
    const saved = await app.http().put(`/api/workshops/${workshopId}?status=draft`).set(staff()).send({ data: { title: 'A Title Still In Draft' } });
    expect(saved.status).toBe(200);
    await target.settled();
    expect(target.received.slice(before)).toEqual([]);
    expect((await outboxRows(workshopId)).filter((row: { eventType: string }) => !row.eventType.startsWith('workshop.published'))).toEqual([]);
  });

  it('retries a publish through a 500 and a closed connection, with one webhook-id, and the third attempt verifies', async () => {
    target.fail(workshopId, [500, 'close']);
    const before = target.about(workshopId).length;
    // As the admin UI's Publish button does.
    await app.strapi.documents('api::workshop.workshop').publish({ documentId: workshopId });

    await target.waitUntil(() => target.about(workshopId).length >= before + 3, 'three attempts');
    const attempts = target.about(workshopId).slice(before);
    expect(attempts.map(({ answered }) => answered)).toEqual([500, 'close', 200]);
    expect(new Set(attempts.map(({ headers }) => headers['webhook-id'])).size).toBe(1);
    expect(attempts[0].headers['webhook-id']).toMatch(/^msg_/);
    expect(attempts.map(({ body }) => body)).toEqual([attempts[0].body, attempts[0].body, attempts[0].body]);
    expect(verified(attempts[2])).toMatchObject({ type: 'workshop.published' });
    // A signature made with another key does not verify.
    expect(() => new Webhook(`whsec_${crypto.randomBytes(32).toString('base64')}`).verify(attempts[2].body, attempts[2].headers as Record<string, string>)).toThrow();

    const { event } = attempts[2];
    expect(event.type).toBe('workshop.published');
    expect(event.data.documents).toEqual([{ type: 'workshop', documentId: workshopId, slug: FIRST_WORKSHOP.slug }]);
    expect(event.data.keys).toEqual(expect.arrayContaining([workshopId, 'workshops', 'public-ids']));

    await target.settled();
    expect(target.about(workshopId).length).toBe(before + 3);
    const [row] = (await outboxRows(event.data.eventId)) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ deliveryStatus: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null, target: target.url, eventType: 'workshop.published' });
    expect(row.deliveredAt).toBeTruthy();
  });

  it('sends one event for an unpublish and one for a delete, each with the slug the workshop had', async () => {
    const workshops = app.strapi.documents('api::workshop.workshop');
    const created = await workshops.create({ data: { title: 'Short-Lived', slug: 'short-lived', startDate: '2031-04-01', endDate: '2031-04-03' } as never, status: 'published' });
    const id = created.documentId;
    await target.waitUntil(() => target.about(id).length === 1, 'the publish');
    await workshops.unpublish({ documentId: id });
    await target.waitUntil(() => target.about(id).length === 2, 'the unpublish');
    await workshops.delete({ documentId: id });
    await target.waitUntil(() => target.about(id).length === 3, 'the delete');
    await target.settled();
    const events = target.about(id).map(({ event }) => event);
    expect(events.map(({ type }) => type)).toEqual(['workshop.published', 'workshop.unpublished', 'workshop.deleted']);
    for (const event of events) {
      expect(event.data.documents).toEqual([{ type: 'workshop', documentId: id, slug: 'short-lived' }]);
      expect(event.data.keys).toEqual(expect.arrayContaining([id, 'workshops']));
    }
    expect(new Set(target.about(id).map(({ headers }) => headers['webhook-id'])).size).toBe(3);
    target.about(id).forEach((delivery) => expect(verified(delivery).type).toBe(delivery.event.type));
  });

  it('sends person.updated for a person (public at once), with the slug it has now and the one it had', async () => {
    const person = (await app.strapi.documents('api::person.person').findFirst({}))!;
    const before = target.about(person.documentId).length;
    const updated = await app.http().put(`/api/people/${person.documentId}`).set(staff()).send({ data: { slug: `${person.slug}-renamed` } });
    expect(updated.status).toBe(200);
    await target.waitUntil(() => target.about(person.documentId).length === before + 1, 'the person update');
    await target.settled();
    const [{ event }] = target.about(person.documentId).slice(before);
    expect(event.type).toBe('person.updated');
    expect(event.data.documents).toEqual([{ type: 'person', documentId: person.documentId, slug: `${person.slug}-renamed`, previousSlug: person.slug }]);
    expect(event.data.keys).toEqual(expect.arrayContaining([person.documentId, 'people', 'public-ids']));
  });

  it('writes no event for a write that validation rolls back', async () => {
    const rowsBefore = await app.strapi.db.query(OUTBOX).count({});
    const received = target.received.length;
    const refused = await app
      .http()
      .post('/api/workshops')
      .set(staff())
      .send({ data: { title: 'Backwards', slug: 'backwards', startDate: '2031-05-06', endDate: '2031-05-01' } });
    expect(refused.status).toBe(400);
    const updated = await app.http().put(`/api/workshops/${workshopId}`).set(staff()).send({ data: { endDate: '2001-01-01' } });
    expect(updated.status).toBe(400);
    await target.settled();
    expect(await app.strapi.db.query(OUTBOX).count({})).toBe(rowsBefore);
    expect(target.received.length).toBe(received);
    expect(await app.strapi.documents('api::workshop.workshop').findFirst({ filters: { slug: 'backwards' } })).toBeNull();
  });

  it('keeps the delivery log read-only and out of the public APIs', async () => {
    const [row] = (await app.strapi.documents(OUTBOX as never).findMany({ limit: 1 } as never)) as Array<{ documentId: string }>;
    await expect(app.strapi.documents(OUTBOX as never).update({ documentId: row.documentId, data: { deliveryStatus: 'failed' } } as never)).rejects.toThrow(/written by the server alone/);
    await expect(app.strapi.documents(OUTBOX as never).create({ data: { eventType: 'x' } } as never)).rejects.toThrow(/written by the server alone/);
    expect((await app.http().get('/api/webhook-deliveries')).status).toBe(404);
    expect((await app.http().get('/api/webhook-deliveries').set(staff())).status).toBe(404);
    const graphql = await app.graphql('{ webhookDeliveries { documentId } }');
    expect(graphql.status).toBe(400);
    expect(graphql.body.errors[0].message).toMatch(/Cannot query field "webhookDeliveries"/);
  });
});
