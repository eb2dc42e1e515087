import fs from 'fs';
import os from 'os';
import path from 'path';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { createApiToken } from '../helpers/tokens';
import { FIRST_WORKSHOP, creditsOf } from '../fixtures/first-workshop';
import { importWorkshopFile } from '../../src/workshop-files/seed';

const ADMIN = { email: 'staff@example.org', password: 'Staff-Password-1' };

const WITH_TALKS = `
title: Summer School 2024
startDate: 2024-03-05
endDate: 2024-03-08
timezone: America/Los_Angeles
registrationUrl: https://register.example.org
speakers:
  - Tess Smidt (MIT)
talks:
  - title: Opening
    startsAt: 2024-03-05T09:00
    endsAt: 2024-03-05T09:30
    speakers: [Tess Smidt]
`;

describe('prepare next edition', () => {
  let app: TestApp;
  let token: string;
  let seedId: string;
  let summerId: string;

  beforeAll(async () => {
    app = await startStrapi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    token = await createApiToken(app.strapi, 'full-access');
    seedId = (await app.strapi.documents('api::workshop.workshop').findFirst({ filters: { slug: FIRST_WORKSHOP.slug } }))!.documentId;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'editions-'));
    fs.writeFileSync(path.join(scratch, 'summer.yaml'), WITH_TALKS);
    summerId = (await importWorkshopFile(app.strapi, path.join(scratch, 'summer.yaml'))).documentId;
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  afterAll(() => app?.stop());

  const prepare = (documentId: string, body: Record<string, unknown> = {}, auth = `Bearer ${token}`) =>
    app.http().post(`/api/workshops/${documentId}/next-edition`).set('Authorization', auth).send(body);

  const draftOf = (documentId: string) =>
    app.strapi.documents('api::workshop.workshop').findOne({
      documentId,
      populate: { organizers: { populate: ['person', 'affiliation'] }, speakers: { populate: ['person', 'affiliation'] }, talks: true, series: true, sponsors: true, posterSession: true } as never,
    }) as Promise<any>;

  it('makes a draft a year later that keeps texts, series, sponsors and organizers, and clears the rest', async () => {
    const before = JSON.stringify(await draftOf(seedId));
    const res = await prepare(seedId);
    expect(res.status).toBe(201);
    const next = await draftOf(res.body.data.documentId);
    expect(next).toMatchObject({
      title: FIRST_WORKSHOP.title,
      slug: `${FIRST_WORKSHOP.slug}-2024`,
      startDate: '2024-01-23',
      endDate: '2024-01-27',
      publishedAt: null,
      registrationUrl: null,
      series: { name: FIRST_WORKSHOP.series },
      sponsors: [expect.objectContaining({ acronym: 'JSF' })],
      posterSession: { enabled: true },
      speakers: [],
      talks: [],
    });
    expect(next.overview).toHaveLength(4);
    expect(creditsOf(next.organizers)).toEqual(FIRST_WORKSHOP.organizers);
    expect(JSON.stringify(await draftOf(seedId))).toBe(before);
    const published = await app.graphql('{ workshops { slug } }');
    expect(published.body.data.workshops.map((w: { slug: string }) => w.slug)).not.toContain(`${FIRST_WORKSHOP.slug}-2024`);
  });

  it('moves to given dates, adapts a year in the title, and keeps speakers and talks on request', async () => {
    const res = await prepare(summerId, { startDate: '2025-06-02', keepSpeakers: true, keepTalks: true });
    expect(res.status).toBe(201);
    const next = await draftOf(res.body.data.documentId);
    expect(next).toMatchObject({ title: 'Summer School 2025', slug: 'summer-school-2025', startDate: '2025-06-02', endDate: '2025-06-05' });
    expect(creditsOf(next.speakers)).toEqual(['Tess Smidt (MIT)']);
    // 09:00 in Los Angeles, in summer time now (UTC-7) where it was winter time (UTC-8).
    expect(next.talks).toEqual([expect.objectContaining({ title: 'Opening', startsAt: '2025-06-02T16:00:00.000Z', endsAt: '2025-06-02T16:30:00.000Z' })]);
  });

  it("keeps the local times of a workshop without a time zone, in the Institute's, across a daylight-saving change", async () => {
    // 09:00 in Los Angeles in winter (UTC-8): the Institute's zone, as the workshop sets none.
    const zoneless = await app.strapi.documents('api::workshop.workshop').create({
      data: { title: 'Winter Days 2024', slug: 'winter-days-2024', startDate: '2024-03-05', endDate: '2024-03-06', timezone: null, talks: [{ title: 'Opening', startsAt: '2024-03-05T17:00:00.000Z', endsAt: '2024-03-05T17:30:00.000Z' }] } as never,
    });
    const res = await prepare(zoneless.documentId, { startDate: '2025-06-02', keepTalks: true });
    expect(res.status).toBe(201);
    const next = await draftOf(res.body.data.documentId);
    expect(next.timezone).toBeNull();
    expect(next.talks).toEqual([expect.objectContaining({ startsAt: '2025-06-02T16:00:00.000Z', endsAt: '2025-06-02T16:30:00.000Z' })]);
  });

  it('takes each organizer where they are today', async () => {
    const clementi = await app.strapi.documents('api::person.person').findFirst({ filters: { name: 'Cecilia Clementi' } });
    const mit = await app.strapi.documents('api::organization.organization').findFirst({ filters: { name: 'MIT' } });
    await app.strapi.documents('api::person.person').update({ documentId: clementi!.documentId, data: { affiliation: mit!.documentId } as never });
    const res = await prepare(seedId, { startDate: '2026-01-19' });
    const next = await draftOf(res.body.data.documentId);
    expect(creditsOf(next.organizers)).toContain('Cecilia Clementi (MIT)');
    const original = await app.graphql(`{ workshopBySlug(slug: "${FIRST_WORKSHOP.slug}") { organizers { credit } } }`);
    expect(original.body.data.workshopBySlug.organizers.map((o: { credit: string }) => o.credit)).toContain('Cecilia Clementi (FU Berlin)');
  });

  it('refuses bad options with a message, unknown workshops with 404, and clients without the grant', async () => {
    const bad = await prepare(seedId, { startDate: '23/01/2024', keepTalks: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Cannot prepare the next edition: startDate must be a date written as YYYY-MM-DD; keepTalks must be true or false.');
    expect((await prepare('no-such-document')).status).toBe(404);
    const readOnly = await createApiToken(app.strapi, 'read-only');
    expect((await prepare(seedId, {}, `Bearer ${readOnly}`)).status).toBe(403);
    expect((await app.http().post(`/api/workshops/${seedId}/next-edition`).send({})).status).toBe(403);
  });

  it('is a GraphQL mutation for staff tokens', async () => {
    const mutation = `mutation($id: ID!) { prepareNextWorkshopEdition(documentId: $id, startDate: "2030-01-21") { slug startDate dateRange } }`;
    const res = await app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: mutation, variables: { id: seedId } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.prepareNextWorkshopEdition).toEqual({ slug: `${FIRST_WORKSHOP.slug}-2030`, startDate: '2030-01-21', dateRange: 'January 21 - 25, 2030' });
    const anonymous = await app.graphql(mutation, { id: seedId });
    expect(anonymous.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('serves the admin UI button to logged-in staff, created from ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const login = await app.http().post('/admin/login').send(ADMIN);
    expect(login.status).toBe(200);
    const session = `Bearer ${login.body.data.token}`;
    const res = await app.http().post(`/workshop-editions/${seedId}`).set('Authorization', session).send({ startDate: '2031-01-20' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ documentId: expect.any(String), title: FIRST_WORKSHOP.title, slug: `${FIRST_WORKSHOP.slug}-2031` });
    expect((await app.http().post(`/workshop-editions/${seedId}`).send({})).status).toBe(401);
  });
});
