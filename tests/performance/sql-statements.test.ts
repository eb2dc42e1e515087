import fs from 'fs';
import os from 'os';
import path from 'path';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { importWorkshopFile } from '../../src/workshop-files/seed';
import sharp from 'sharp';

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
const operation = (name: string) => fs.readFileSync(path.join(CONTRACT, `${name}.graphql`), 'utf8');

/** A workshop file with `speakers` speakers (each from their own organization) and `talks` talks. */
const workshopFile = (slug: string, year: number, speakers: number, talks: number, series = 'Shared Series') => {
  const people = Array.from({ length: speakers }, (_, i) => `Person ${slug} ${i} (Organization ${slug} ${i})`);
  if (slug.startsWith('more-')) people.push(`Frequent Speaker (Organization ${slug})`);
  const schedule = Array.from({ length: talks }, (_, i) => {
    const day = 10 + Math.floor(i / 12);
    const hour = String(8 + (i % 12)).padStart(2, '0');
    return `  - title: Talk ${i}\n    startsAt: ${year}-03-${day}T${hour}:00\n    endsAt: ${year}-03-${day}T${hour}:45\n    speakers: [Person ${slug} ${i % speakers}]`;
  });
  return [
    `title: Workshop ${slug}`,
    `slug: ${slug}`,
    `startDate: ${year}-03-10`,
    `endDate: ${year}-03-16`,
    `series: ${series}`,
    'sponsors: [Shared Sponsor (SS)]',
    'organizers:',
    ...people.slice(0, 5).map((p) => `  - ${p}`),
    'speakers:',
    ...people.map((p) => `  - ${p}`),
    'talks:',
    ...schedule,
  ].join('\n');
};

/**
 * No N+1: the SQL statements one contract operation issues do not depend on how many speakers,
 * talks, appearances or workshops it shows (only on which kinds of relations it has: a model
 * with nothing linked is not queried), so pages of the same shape and different sizes are
 * compared. Counts are stable, so they are asserted.
 */
describe('SQL statements per contract operation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ SQL_COUNT_HEADER: 'true' });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'n-plus-one-'));
    const files: Array<[string, number, number, number, string?]> = [
      ['small', 2030, 2, 1],
      ['lone', 2029, 2, 1, 'Lone Series'],
      ['large', 2031, 40, 60],
      ...Array.from({ length: 8 }, (_, i) => [`more-${i}`, 2032 + i, 10, 5] as [string, number, number, number]),
    ];
    for (const [slug, year, speakers, talks, series] of files) {
      fs.writeFileSync(path.join(scratch, `${slug}.yaml`), workshopFile(slug, year, speakers, talks, series));
      await importWorkshopFile(app.strapi, path.join(scratch, `${slug}.yaml`));
    }
    // A photo for every person of the large workshop and of one person of the small one, a logo for the sponsor.
    const image = path.join(scratch, 'portrait.png');
    await sharp({ create: { width: 600, height: 400, channels: 3, background: '#336699' } }).png().toFile(image);
    const [portrait] = await app.strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { name: 'portrait.png', alternativeText: 'A portrait' } },
      files: { filepath: image, originalFilename: 'portrait.png', mimetype: 'image/png', size: fs.statSync(image).size },
    });
    photo = portrait;
    const people = app.strapi.documents('api::person.person');
    for (const person of await people.findMany({ filters: { $or: [{ name: { $startsWith: 'Person large ' } }, { name: 'Person small 0' }] }, limit: 100 })) {
      await people.update({ documentId: person.documentId, data: { photo: portrait.id } as never });
    }
    const sponsors = app.strapi.documents('api::sponsor.sponsor');
    const sponsor = (await sponsors.findFirst({ filters: { name: 'Shared Sponsor' } }))!;
    await sponsors.update({ documentId: sponsor.documentId, data: { logo: portrait.id } as never });
    fs.rmSync(scratch, { recursive: true, force: true });
    // The first anonymous request reads the Public role's permissions (src/access/public-role-permissions.ts): not what is measured.
    await app.graphql('{ institute { name } }');
  });
  let photo: { id: number };
  afterAll(async () => {
    if (photo) await app.strapi.plugin('upload').service('upload').remove(await app.strapi.plugin('upload').service('upload').findOne(photo.id));
    await app?.stop();
  });

  /**
   * The server's count of the request's statements, asserted to be one: a missing header would
   * give NaN (or undefined), and toBe finds NaN equal to NaN, so two missing counts would pass.
   */
  const countOf = (res: { headers: Record<string, unknown> }) => {
    const header = res.headers['x-sql-statements'];
    expect(typeof header).toBe('string');
    expect(header).toMatch(/^[1-9][0-9]*$/);
    return Number(header);
  };

  const statements = async (name: string, variables: Record<string, unknown>) => {
    const res = await app.graphql(operation(name), variables);
    expect(res.body.errors).toBeUndefined();
    return { count: countOf(res), data: res.body.data };
  };

  it('WorkshopPage: the same with 2 speakers and 1 talk as with 40 speakers and 60 talks', async () => {
    const small = await statements('workshop-page', { slug: 'small' });
    const large = await statements('workshop-page', { slug: 'large' });
    expect(small.data.workshopBySlug.speakers).toHaveLength(2);
    expect(large.data.workshopBySlug.speakers).toHaveLength(40);
    expect(large.data.workshopBySlug.talks).toHaveLength(60);
    // Speakers with their photos, the sponsor with its logo: loaded with the page.
    const photos = (page: { workshopBySlug: { speakers: Array<{ person: { photo: unknown } }> } }) => page.workshopBySlug.speakers.filter(({ person }) => person.photo).length;
    expect([photos(small.data), photos(large.data)]).toEqual([1, 40]);
    expect(large.data.workshopBySlug.speakers[0].person.photo).toMatchObject({ alternativeText: 'A portrait', width: 600, imageFormats: { small: { width: 500 } } });
    expect(large.data.workshopBySlug.sponsors[0].logo).toMatchObject({ alternativeText: 'A portrait', width: 600 });
    console.log(`WorkshopPage: ${small.count} SQL statements (2 speakers, 1 talk), ${large.count} (40 speakers, 60 talks)`);
    expect(large.count).toBe(small.count);
    // The workshop with everything its page shows, photos and logos included, and the Institute,
    // in one statement.
    expect(large.count).toBe(1);
  });

  it('PersonPage: the photo loads with the person', async () => {
    const withPhoto = await statements('person-page', { slug: 'person-large-3' });
    const without = await statements('person-page', { slug: 'person-small-1' });
    expect(withPhoto.data.personBySlug.photo).toMatchObject({ alternativeText: 'A portrait', height: 400 });
    expect(without.data.personBySlug.photo).toBeNull();
    expect(withPhoto.count).toBe(without.count);
  });

  it('people and sponsors lists: as many statements for 1 person as for 40, photos and logos included', async () => {
    const list = (limit: number) =>
      app.graphql(`{ people(filters: { name: { startsWith: "Person large" } }, pagination: { limit: ${limit} }) { name photo { url imageFormats { thumbnail { url } } } } sponsors { logo { url } } }`);
    await list(2); // The first read of the public ids (src/access/public-documents.ts) is not what is measured.
    const [one, many] = [await list(1), await list(40)];
    expect(one.body.errors).toBeUndefined();
    expect(many.body.data.people).toHaveLength(40);
    expect(many.body.data.people.every((person: { photo: { url: string } | null }) => person.photo?.url.endsWith(new URL(many.body.data.people[0].photo.url).pathname))).toBe(true);
    expect(Number(many.headers['x-sql-statements'])).toBe(Number(one.headers['x-sql-statements']));
  });

  it('WorkshopList: the same for 1 workshop as for 10', async () => {
    const one = await statements('workshop-list', { pageSize: 1 });
    const ten = await statements('workshop-list', { pageSize: 25 });
    expect(one.data.workshops_connection.nodes).toHaveLength(1);
    expect(ten.data.workshops_connection.nodes.length).toBeGreaterThanOrEqual(10);
    console.log(`WorkshopList: ${one.count} SQL statements (1 workshop), ${ten.count} (${ten.data.workshops_connection.nodes.length} workshops)`);
    expect(ten.count).toBe(one.count);
    // The page's ids and the count (Strapi's query layer, no transaction), the nodes with their relations.
    expect(ten.count).toBe(3);
  });

  it("reads the Public role's permissions once after each change of a role or permission, not per request", async () => {
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const [permission] = await permissions.findMany({ where: { action: 'api::workshop.workshop.find' }, limit: 1 });
    await permissions.update({ where: { id: permission.id }, data: { action: permission.action } });
    const afterChange = await statements('workshop-page', { slug: 'small' });
    const next = await app.graphql(operation('workshop-page'), { slug: 'large' });
    expect(afterChange.data.workshopBySlug.slug).toBe('small');
    expect(countOf(next)).toBe(1);
    expect(afterChange.count).toBe(countOf(next) + 1);
  });

  it('WorkshopList: relations asked through fragments load with their parents, as when asked directly', async () => {
    // A page size of its own: the response cache answers what an earlier test asked, without SQL.
    const direct = await statements('workshop-list', { pageSize: 20 });
    const throughFragments = await app.graphql(
      `query ($pageSize: Int) {
        workshops_connection(sort: ["startDate:desc"], pagination: { page: 1, pageSize: $pageSize }) {
          nodes { ...Row }
          pageInfo { total page pageSize pageCount }
        }
      }
      fragment Row on Workshop { title slug dateRange phase summary series { name slug } speakers { ... on ComponentWorkshopParticipant { ...Who } } }
      fragment Who on ComponentWorkshopParticipant { person { name } }`,
      { pageSize: 20 }
    );
    expect(throughFragments.body.errors).toBeUndefined();
    expect(throughFragments.body.data.workshops_connection.nodes).toEqual(direct.data.workshops_connection.nodes);
    expect(direct.data.workshops_connection.nodes.some((node: { speakers: unknown[] }) => node.speakers.length > 0)).toBe(true);
    expect(countOf(throughFragments)).toBe(direct.count);
  });

  it('PersonPage: the same for one appearance as for eight, each with its own affiliation', async () => {
    const once = await statements('person-page', { slug: 'person-large-10' });
    const often = await statements('person-page', { slug: 'frequent-speaker' });
    expect(once.data.personBySlug.appearances).toHaveLength(1);
    expect(often.data.personBySlug.appearances).toHaveLength(8);
    expect(often.data.personBySlug.appearances[0].affiliation.name).toBe('Organization more-7');
    console.log(`PersonPage: ${once.count} SQL statements (1 appearance), ${often.count} (8 appearances)`);
    expect(often.count).toBe(once.count);
    // The person with their appearances.
    expect(once.count).toBe(1);
  });

  it('SeriesPage: bounded whatever the number of workshops in the series', async () => {
    const series = await statements('series-page', { slug: 'shared-series' });
    expect(series.data.workshopSeriesBySlug.workshops).toHaveLength(10);
    const lone = await statements('series-page', { slug: 'lone-series' });
    expect(lone.data.workshopSeriesBySlug.workshops).toHaveLength(1);
    console.log(`SeriesPage: ${lone.count} SQL statements (1 workshop), ${series.count} (10 workshops)`);
    expect(series.count).toBe(lone.count);
  });

  it('WorkshopPage and PersonPage by a former slug: one statement more and two, only then; by the current slug, none', async () => {
    const before = { workshop: await statements('workshop-page', { slug: 'lone' }), person: await statements('person-page', { slug: 'person-lone-0' }) };
    const lone = await app.strapi.db.query('api::workshop.workshop').findOne({ where: { slug: 'lone' } });
    await app.strapi.documents('api::workshop.workshop').update({ documentId: lone.documentId, data: { slug: 'lone-renamed' } as never, status: 'published' });
    const person = await app.strapi.db.query('api::person.person').findOne({ where: { slug: 'person-lone-0' } });
    await app.strapi.documents('api::person.person').update({ documentId: person.documentId, data: { slug: 'person-lone-renamed' } as never });

    const current = { workshop: await statements('workshop-page', { slug: 'lone-renamed' }), person: await statements('person-page', { slug: 'person-lone-renamed' }) };
    const former = { workshop: await statements('workshop-page', { slug: 'lone' }), person: await statements('person-page', { slug: 'person-lone-0' }) };
    expect(former.workshop.data.workshopBySlug.slug).toBe('lone-renamed');
    expect(former.person.data.personBySlug.slug).toBe('person-lone-renamed');
    console.log(`WorkshopPage: ${current.workshop.count} SQL statements by the current slug, ${former.workshop.count} by a former one`);
    expect(current.workshop.count).toBe(before.workshop.count);
    expect(current.person.count).toBe(before.person.count);
    expect(former.workshop.count).toBe(current.workshop.count + 1);
    // The person by the former slug, then their appearances by documentId.
    expect(former.person.count).toBe(current.person.count + 2);
  });

  it('has the lookup indexes of src/database/lookup-indexes.ts on slugs, names, dates and component links', async () => {
    const knex = app.strapi.db.connection;
    const names: string[] =
      app.strapi.db.dialect.client === 'postgres'
        ? (await knex.raw("SELECT indexname AS name FROM pg_indexes WHERE indexname LIKE '%\\_lookup'")).rows.map((r: { name: string }) => r.name)
        : (await knex.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%lookup'")).map((r: { name: string }) => r.name);
    expect(names.sort()).toEqual([
      'organizations_name_lookup',
      'people_name_lookup',
      'people_slug_lookup',
      'sponsors_name_lookup',
      'workshop_series_name_lookup',
      'workshop_series_slug_lookup',
      'workshops_cmps_cmp_lookup',
      'workshops_slug_lookup',
      'workshops_start_date_lookup',
    ]);
  });
});
