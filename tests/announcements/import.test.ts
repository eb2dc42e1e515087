import fs from 'fs';
import path from 'path';
import { errors } from '@strapi/utils';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { FIRST_WORKSHOP, creditsOf } from '../fixtures/first-workshop';
import { importAnnouncementFile } from '../../src/announcements/file';
import { WorkshopFileError } from '../../src/workshop-files/errors';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'announcements');
const WORKSHOP = 'api::workshop.workshop';
const TYPES = [WORKSHOP, 'api::person.person', 'api::organization.organization', 'api::sponsor.sponsor', 'api::workshop-series.workshop-series'] as const;
const ADMIN = { email: 'announcements@example.org', password: 'Announce-Password-1' };
const CLERK = { email: 'clerk@example.org', password: 'Clerk-Password-1' };
const NOBODY = { email: 'nobody@example.org', password: 'Nobody-Password-1' };

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const POPULATE = {
  organizers: { populate: ['person', 'affiliation'] },
  speakers: { populate: ['person', 'affiliation'] },
  series: { populate: ['sponsor'] },
  sponsors: true,
  posterSession: true,
};

describe('importing announcements as drafts', () => {
  let app: TestApp;
  let session: string;
  /** Set by a test: the next workshop create through the Document Service fails, as a late validation rule would. */
  let failNextWorkshopCreate = false;

  beforeAll(async () => {
    app = await startStrapi({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    app.strapi.documents.use(async (ctx, next) => {
      if (failNextWorkshopCreate && ctx.uid === WORKSHOP && ctx.action === 'create') {
        failNextWorkshopCreate = false;
        throw new errors.ValidationError('refused at the last step, after the people and organizations were written');
      }
      return next();
    });
    session = await logIn(ADMIN);
  });
  afterAll(() => app?.stop());

  const logIn = async (account: { email: string; password: string }) => {
    const login = await app.http().post('/admin/login').send(account);
    expect(login.status).toBe(200);
    return `Bearer ${login.body.data.token}`;
  };
  /** Every document of every type, with its last update: equal before and after means nothing was written. */
  const snapshot = async () => {
    const rows: Record<string, unknown[]> = {};
    for (const uid of TYPES) rows[uid] = await app.strapi.db.query(uid).findMany({ select: ['documentId', 'publishedAt', 'updatedAt'], orderBy: 'id' });
    return rows;
  };
  const workshop = (filters: Record<string, unknown>, status: 'draft' | 'published' = 'draft') =>
    app.strapi.documents(WORKSHOP).findFirst({ filters, status, populate: POPULATE as never }) as Promise<any>;
  const countByName = (uid: (typeof TYPES)[number], name: string) => app.strapi.db.query(uid).count({ where: { name } });
  const preview = (text: unknown, auth = session) => app.http().post('/workshop-announcements/preview').set('Authorization', auth).send({ text });
  const confirm = (text: unknown, auth = session) => app.http().post('/workshop-announcements').set('Authorization', auth).send({ text });

  it('creates a draft from an announcement file, never published, reusing people and organizations by name', async () => {
    const result = await importAnnouncementFile(app.strapi, path.join(FIXTURES, 'cross-month-mixed-separators.txt'));
    expect(result).toMatchObject({ created: true, slug: 'optimal-transport-and-mean-field-games-in-the-sciences' });
    const draft = await workshop({ documentId: result.documentId });
    expect(draft).toMatchObject({ title: 'Optimal Transport and Mean-Field Games in the Sciences', startDate: '2023-01-30', endDate: '2023-02-03', publishedAt: null, timezone: 'America/Los_Angeles' });
    expect(await workshop({ documentId: result.documentId }, 'published')).toBeNull();
    expect(creditsOf(draft.organizers)).toEqual([
      'Wilfrid Gangbo (University of California, Los Angeles)',
      'Stanley Osher (Institute for Pure and Applied Mathematics (IPAM))',
      'Filippo Santambrogio (Université Claude Bernard Lyon 1)',
      'Cecilia Clementi (FU Berlin)',
    ]);
    expect(creditsOf(draft.speakers)).toHaveLength(8);
    // The seed's people and organizations are reused, not duplicated.
    expect(await countByName('api::person.person', 'Cecilia Clementi')).toBe(1);
    expect(await countByName('api::person.person', 'Anatole von Lilienfeld')).toBe(1);
    expect(await countByName('api::organization.organization', 'FU Berlin')).toBe(1);
    expect(result.createdByType['api::person.person']).toBe(8);
    // Drafts are not public.
    const published = await app.graphql(`{ workshopBySlug(slug: "${result.slug}") { title } }`);
    expect(published.body.data.workshopBySlug).toBeNull();
  });

  it('refuses the same announcement twice, and a bad one with its lines, writing nothing', async () => {
    const before = await snapshot();
    const again = importAnnouncementFile(app.strapi, path.join(FIXTURES, 'cross-month-mixed-separators.txt'));
    await expect(again).rejects.toThrow(/"Optimal Transport and Mean-Field Games in the Sciences" \(January 30 - February 3, 2023\) is already in the CMS, as optimal-transport-and-mean-field-games-in-the-sciences/);
    const bad = importAnnouncementFile(app.strapi, path.join(FIXTURES, 'bad-lines.txt'));
    await expect(bad).rejects.toBeInstanceOf(WorkshopFileError);
    await expect(bad).rejects.toThrow(/bad-lines\.txt:15 Organizers: "Cecilia Clementi" is not written as "Name \(Affiliation\)"/);
    expect(await snapshot()).toEqual(before);
  });

  it('rolls back the people and organizations already written when the workshop itself is refused', async () => {
    const before = await snapshot();
    failNextWorkshopCreate = true;
    const res = await confirm(fixture('year-boundary-crlf.txt'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('refused at the last step, after the people and organizations were written');
    expect(failNextWorkshopCreate).toBe(false);
    expect(await snapshot()).toEqual(before);
    expect(await countByName('api::person.person', 'Garnet Chan')).toBe(0);
    expect(await countByName('api::organization.organization', 'Caltech')).toBe(0);
  });

  it('reads the first workshop\'s announcement into exactly the seeded workshop', async () => {
    const seeded = await workshop({ slug: FIRST_WORKSHOP.slug }, 'published');
    expect(creditsOf(seeded.speakers)).toEqual(FIRST_WORKSHOP.speakers);
    // While the seeded workshop is there, the announcement is refused as a duplicate.
    const duplicate = await preview(fixture('first-workshop.txt'));
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toMatch(/is already in the CMS, as learning-and-emergence-in-molecular-systems/);

    await app.strapi.documents(WORKSHOP).delete({ documentId: seeded.documentId });
    const seen = await preview(fixture('first-workshop.txt'));
    expect(seen.status).toBe(200);
    expect(seen.body.data).toMatchObject({ title: FIRST_WORKSHOP.title, dateRange: FIRST_WORKSHOP.dateRange, slug: FIRST_WORKSHOP.slug, creates: { people: 0, organizations: 0, sponsors: 0, series: 0 } });
    expect(seen.body.data.speakers.every((s: { exists: boolean }) => s.exists)).toBe(true);

    const res = await confirm(fixture('first-workshop.txt'));
    expect(res.status).toBe(201);
    const draft = await workshop({ documentId: res.body.data.documentId });
    for (const field of ['title', 'slug', 'startDate', 'endDate', 'timezone', 'summary', 'overview', 'participation']) expect(draft[field]).toEqual(seeded[field]);
    expect(draft.posterSession).toMatchObject({ enabled: true, details: seeded.posterSession.details });
    expect(draft.series.documentId).toBe(seeded.series.documentId);
    expect(draft.sponsors.map((s: { documentId: string }) => s.documentId)).toEqual(seeded.sponsors.map((s: { documentId: string }) => s.documentId));
    expect(creditsOf(draft.organizers)).toEqual(FIRST_WORKSHOP.organizers);
    expect(creditsOf(draft.speakers)).toEqual(FIRST_WORKSHOP.speakers);
    // The same Person and Organization documents, in the same order.
    expect(draft.speakers.map((s: any) => [s.person.documentId, s.affiliation.documentId])).toEqual(seeded.speakers.map((s: any) => [s.person.documentId, s.affiliation.documentId]));
    expect(draft.publishedAt).toBeNull();
  });

  it('previews what was read and who is new, writing nothing', async () => {
    const before = await snapshot();
    const res = await preview(fixture('single-day.txt'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      title: 'Scientific Machine Learning Day',
      slug: 'scientific-machine-learning-day',
      startDate: '2024-03-05',
      endDate: '2024-03-05',
      dateRange: 'March 5, 2024',
      overview: [expect.stringMatching(/^A one-day meeting on machine learning/)],
      sponsors: [
        { name: 'National Science Foundation', acronym: 'NSF', exists: false },
        { name: 'Simons Foundation', acronym: null, exists: false },
      ],
      organizers: [{ name: 'Steve Brunton', affiliation: 'University of Washington', exists: true, affiliationExists: true }],
      creates: { people: 0, organizations: 0, sponsors: 2, series: 0 },
    });
    expect(res.body.data.speakers.map((s: { name: string; exists: boolean }) => [s.name, s.exists])).toEqual([
      ['Frank Noe', true],
      ['Kristin Persson', true],
      ['Ron Dror', true],
      ['Max Welling', true],
    ]);
    expect(await snapshot()).toEqual(before);

    const crossMonthPeople = await preview(fixture('year-boundary-crlf.txt'));
    expect(crossMonthPeople.body.data.speakers).toEqual([
      { name: 'Garnet Chan', affiliation: 'Caltech', exists: false, affiliationExists: false },
      { name: 'Tess Smidt', affiliation: 'MIT', exists: true, affiliationExists: true },
      { name: 'Shiwei Zhang', affiliation: 'Flatiron Institute, Simons Foundation', exists: false, affiliationExists: false },
    ]);
  });

  it('answers a text it cannot read with 400 and every line that is wrong', async () => {
    const res = await preview(fixture('bad-lines.txt'));
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems.map((p: { line: number; field: string }) => [p.line, p.field])).toEqual([
      [3, 'dates'],
      [9, 'Schedule'],
      [15, 'Organizers'],
      [19, 'Speakers'],
    ]);
    expect(res.body.error.message).toMatch(/^announcement cannot be imported:\n {2}announcement:3 dates: "February 30 - March 2, 2024"/);
    for (const text of ['', '   ', 42, undefined]) {
      const empty = await preview(text);
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toBe('Paste the announcement\'s text: "text" must be the announcement, starting with its title line.');
    }
    const huge = await preview('x'.repeat(100_001));
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toBe('The announcement is 100001 characters long; at most 100000.');
  });

  it('creates the draft for staff who confirm, gives a clash of titles the year, and refuses who may not', async () => {
    const text = fixture('year-boundary-crlf.txt');
    expect((await app.http().post('/workshop-announcements').send({ text })).status).toBe(401);

    // Staff who may create workshops but not people: refused, because the announcement adds people.
    const clerkRole = await app.strapi.service('admin::role').create({ name: 'Workshop clerk', description: 'Workshops only' });
    await app.strapi.service('admin::role').assignPermissions(clerkRole.id, [
      { action: 'plugin::content-manager.explorer.create', subject: WORKSHOP, properties: {}, conditions: [] },
      { action: 'plugin::content-manager.explorer.read', subject: WORKSHOP, properties: {}, conditions: [] },
    ]);
    await app.strapi.service('admin::user').create({ ...CLERK, firstname: 'Clerk', isActive: true, roles: [clerkRole.id] });
    const clerk = await logIn(CLERK);
    expect((await preview(text, clerk)).status).toBe(200);
    const before = await snapshot();
    const refused = await confirm(text, clerk);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('The announcement adds 2 new people, and you may not create people.');
    expect(await snapshot()).toEqual(before);

    const nobodyRole = await app.strapi.service('admin::role').create({ name: 'Nothing', description: 'No permissions' });
    await app.strapi.service('admin::user').create({ ...NOBODY, firstname: 'Nobody', isActive: true, roles: [nobodyRole.id] });
    const nobody = await logIn(NOBODY);
    const forbidden = await preview(text, nobody);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toBe('You may not create workshops.');

    const created = await confirm(text);
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      documentId: expect.any(String),
      slug: 'winter-school-on-quantum-many-body-methods',
      title: 'Winter School on Quantum Many-Body Methods',
      createdByType: { 'api::person.person': 2, 'api::organization.organization': 2 },
    });
    const draft = await workshop({ documentId: created.body.data.documentId });
    expect(draft).toMatchObject({ startDate: '2024-12-30', endDate: '2025-01-02', publishedAt: null, series: { name: FIRST_WORKSHOP.series } });

    // Next year's edition, same title: its own slug, with the year.
    const nextYear = text.replace('Dec. 30, 2024 to Thursday, Jan. 2, 2025', 'Dec. 29, 2025 to Friday, Jan. 2, 2026');
    const next = await confirm(nextYear);
    expect(next.status).toBe(201);
    expect(next.body.data).toMatchObject({ slug: 'winter-school-on-quantum-many-body-methods-2025', createdByType: {} });
  });
});
