import fs from 'fs';
import os from 'os';
import path from 'path';
import { contentTypes } from '@strapi/utils';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { importWorkshopFile } from '../../src/workshop-files/seed';
import { linkedTo, loadRelationTree, NOT_NULL, type LoadedRow } from '../../src/database/relation-tree';
import sharp from 'sharp';

const WORKSHOP = 'api::workshop.workshop';

/** A workshop with every kind of relation the page loads: talks with speakers, venue, poster session. */
const WORKSHOP_FILE = [
  'title: Every Relation',
  'startDate: 2031-05-05',
  'endDate: 2031-05-09',
  'series: Julian Schwinger Workshop on Multiscale Physics',
  'sponsors: [Julian Schwinger Foundation for Physics Research (JSF), Second Sponsor (SEC)]',
  'posterSession:',
  '  enabled: true',
  '  details: Posters on Tuesday.',
  'venue:',
  '  name: Hall B',
  '  locality: Los Angeles',
  '  attendanceMode: offline',
  'organizers:',
  '  - Tess Smidt (MIT)',
  '  - Una Organizer',
  'speakers:',
  '  - Grace Hopper (Yale)',
  '  - Frank Noe (Microsoft Research)',
  'talks:',
  '  - title: Second talk',
  '    startsAt: 2031-05-05T11:00',
  '    endsAt: 2031-05-05T12:00',
  '    speakers: [Frank Noe, Grace Hopper]',
  '  - title: First talk',
  '    startsAt: 2031-05-05T09:00',
  '    endsAt: 2031-05-05T10:00',
  '    speakers: [Grace Hopper]',
].join('\n');

const PARTICIPANTS = { populate: { person: true, affiliation: true } };

/** A loaded tree as Strapi's populate shapes it: relations as properties of the row. */
const populated = ({ row, relations }: LoadedRow): Record<string, unknown> => ({
  ...row,
  ...Object.fromEntries(
    Object.entries(relations).map(([field, value]) => [field, Array.isArray(value) ? value.map(populated) : value ? populated(value) : null])
  ),
});

/** `value` without the attributes named in `hidden`, at any depth. */
const without = (value: unknown, hidden: Set<string>): unknown =>
  Array.isArray(value)
    ? value.map((item) => without(item, hidden))
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).filter(([key]) => !hidden.has(key)).map(([key, item]) => [key, without(item, hidden)]))
      : value;

/**
 * The relation tree is hand-built SQL: it must load exactly what Strapi's query layer loads,
 * same rows, same values, same order, on both databases, except private attributes, which it
 * never loads.
 */
describe('loading a relation tree in one statement', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ SQL_COUNT_HEADER: 'true' });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'relation-tree-'));
    fs.writeFileSync(path.join(scratch, 'every-relation.yaml'), WORKSHOP_FILE);
    await importWorkshopFile(app.strapi, path.join(scratch, 'every-relation.yaml'));
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  afterAll(() => app?.stop());

  const privateAttributes = () =>
    new Set(
      [...Object.values(app.strapi.contentTypes).filter(({ uid }) => uid.startsWith('api::')), ...Object.values(app.strapi.components)].flatMap((model) =>
        Object.keys(model.attributes).filter((attribute) => contentTypes.isPrivateAttribute(model, attribute))
      )
    );

  it("gives every workshop exactly what Strapi's populate gives, less private attributes", async () => {
    const expected = await app.strapi.db.query(WORKSHOP).findMany({
      where: { publishedAt: { $notNull: true } },
      orderBy: { id: 'asc' },
      populate: {
        organizers: PARTICIPANTS,
        speakers: PARTICIPANTS,
        talks: { populate: { speakers: true } },
        posterSession: true,
        venue: true,
        sponsors: true,
        series: { populate: { sponsor: true } },
      },
    });
    const loaded = await loadRelationTree(app.strapi, WORKSHOP, { publishedAt: NOT_NULL }, {
      organizers: { person: {}, affiliation: {} },
      speakers: { person: {}, affiliation: {} },
      talks: { speakers: {} },
      posterSession: {},
      venue: {},
      sponsors: {},
      series: { sponsor: {} },
    });

    expect(expected.length).toBeGreaterThanOrEqual(2);
    const everyRelation = expected.find((workshop: { slug: string }) => workshop.slug === 'every-relation');
    expect(everyRelation.talks.map((talk: { title: string }) => talk.title)).toEqual(['Second talk', 'First talk']);
    expect(everyRelation.talks[0].speakers.map((person: { name: string }) => person.name)).toEqual(['Frank Noe', 'Grace Hopper']);
    expect(everyRelation.venue.name).toBe('Hall B');
    expect(everyRelation.organizers[1].affiliation).toBeNull();
    const hidden = privateAttributes();
    expect([...hidden]).toEqual(expect.arrayContaining(['email', 'notes']));
    expect(everyRelation.speakers[0].person).toHaveProperty('email');
    expect(loaded.map(populated).sort((a, b) => (a.id as number) - (b.id as number))).toEqual(without(expected, hidden));
  });

  it('finds rows by attribute, by a list of ids, and a single type with its component', async () => {
    const [workshop] = await loadRelationTree(app.strapi, WORKSHOP, { slug: 'every-relation', publishedAt: NOT_NULL }, { venue: {} }, { limit: 1 });
    expect(workshop.row.title).toBe('Every Relation');
    expect((workshop.relations.venue as LoadedRow).row.name).toBe('Hall B');
    expect(await loadRelationTree(app.strapi, WORKSHOP, { slug: 'no-such-workshop' }, {})).toEqual([]);

    const people = await app.strapi.db.query('api::person.person').findMany({ orderBy: { id: 'asc' } });
    const someIds = [people[2].id, people[0].id, people[2].id];
    const found = await loadRelationTree(app.strapi, 'api::person.person', { id: someIds }, {});
    expect(found.map(({ row }) => row)).toEqual(without([people[0], people[2]], privateAttributes()));
    expect(await loadRelationTree(app.strapi, 'api::person.person', { id: [] }, {})).toEqual([]);

    // Past the shapes prepared on PostgreSQL (200), statements are planned at every run: same rows.
    const [first] = await loadRelationTree(app.strapi, WORKSHOP, { slug: 'every-relation' }, { venue: {} }, { limit: 1 });
    for (let limit = 2; limit <= 250; limit += 1) {
      const [again] = await loadRelationTree(app.strapi, WORKSHOP, { slug: 'every-relation' }, { venue: {} }, { limit });
      expect(again).toEqual(first);
    }

    const institute = await app.strapi.db.query('api::institute.institute').findOne({ populate: { venue: true } });
    const [loaded] = await loadRelationTree(app.strapi, 'api::institute.institute', {}, { venue: {} }, { limit: 1 });
    expect(populated(loaded)).toEqual(without(institute, privateAttributes()));
  });

  it("finds the rows linked to documents (linkedTo) that Strapi's query layer finds through the same relations", async () => {
    const people = await app.strapi.db.query('api::person.person').findMany({ orderBy: { id: 'asc' } });
    const byName = (name: string) => people.find((person: { name: string }) => person.name === name).documentId as string;
    const paths = ['organizers.person', 'speakers.person'];
    const strapiIds = async (documentIds: string[]) => {
      const ids = new Set<number>();
      for (const role of ['organizers', 'speakers']) {
        const rows = await app.strapi.db.query(WORKSHOP).findMany({ where: { publishedAt: { $notNull: true }, [role]: { person: { documentId: { $in: documentIds } } } }, select: ['id'] });
        rows.forEach(({ id }: { id: number }) => ids.add(id));
      }
      return [...ids].sort((a, b) => a - b);
    };
    const cases = [
      [byName('Tess Smidt')], // an organizer of one workshop, a speaker of the other
      [byName('Grace Hopper')], // a speaker of one
      [byName('Una Organizer'), byName('Grace Hopper')],
      people.map(({ documentId }: { documentId: string }) => documentId),
      ['no-such-document'],
      [],
    ];
    const slugOf = (documentId: string) => people.find((person: { documentId: string }) => person.documentId === documentId)?.slug ?? documentId;
    for (const documentIds of cases) {
      const loaded = await loadRelationTree(app.strapi, WORKSHOP, { publishedAt: NOT_NULL, id: linkedTo(paths, documentIds) }, {});
      expect({ documentIds, ids: loaded.map(({ row }) => row.id) }).toEqual({ documentIds, ids: await strapiIds(documentIds) });
      // The same documents named by their slugs.
      const bySlug = await loadRelationTree(app.strapi, WORKSHOP, { publishedAt: NOT_NULL, id: linkedTo(paths, documentIds.map(slugOf), 'slug') }, {});
      expect({ documentIds, ids: bySlug.map(({ row }) => row.id) }).toEqual({ documentIds, ids: await strapiIds(documentIds) });
    }
    expect((await strapiIds([byName('Tess Smidt')])).length).toBeGreaterThanOrEqual(2);
    await expect(loadRelationTree(app.strapi, WORKSHOP, { slug: linkedTo(paths, []) }, {})).rejects.toThrow(/condition on id/);
  });

  it("loads media fields (a person's photo, a sponsor's logo) as Strapi's populate does", async () => {
    const upload = app.strapi.plugin('upload').service('upload');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'relation-tree-media-'));
    const image = path.join(scratch, 'portrait.png');
    await sharp({ create: { width: 320, height: 200, channels: 3, background: '#884422' } }).png().toFile(image);
    const [file] = await upload.upload({
      data: { fileInfo: { name: 'portrait.png', alternativeText: 'A portrait', caption: 'Taken in 2023' } },
      files: { filepath: image, originalFilename: 'portrait.png', mimetype: 'image/png', size: fs.statSync(image).size },
    });
    fs.rmSync(scratch, { recursive: true, force: true });
    try {
      const people = app.strapi.documents('api::person.person');
      for (const name of ['Grace Hopper', 'Frank Noe']) {
        const { documentId } = (await people.findFirst({ filters: { name } }))!;
        await people.update({ documentId, data: { photo: file.id } as never });
      }
      const sponsor = (await app.strapi.documents('api::sponsor.sponsor').findFirst({ filters: { acronym: 'SEC' } }))!;
      await app.strapi.documents('api::sponsor.sponsor').update({ documentId: sponsor.documentId, data: { logo: file.id } as never });

      const hidden = privateAttributes();
      for (const [uid, field] of [['api::person.person', 'photo'], ['api::sponsor.sponsor', 'logo']] as const) {
        const expected = await app.strapi.db.query(uid).findMany({ orderBy: { id: 'asc' }, populate: { [field]: true } });
        const loaded = await loadRelationTree(app.strapi, uid, {}, { [field]: {} });
        expect(expected.filter((row: Record<string, unknown>) => row[field]).length).toBe(uid === 'api::person.person' ? 2 : 1);
        // The file's own private attributes (its folder path) are left out as every private attribute is.
        const fileHidden = new Set([...hidden, ...Object.keys(app.strapi.getModel('plugin::upload.file').attributes).filter((a) => contentTypes.isPrivateAttribute(app.strapi.getModel('plugin::upload.file'), a))]);
        expect(loaded.map(populated)).toEqual(without(expected, fileHidden));
      }
      const [workshop] = await loadRelationTree(app.strapi, WORKSHOP, { slug: 'every-relation', publishedAt: NOT_NULL }, { speakers: { person: { photo: {} } }, sponsors: { logo: {} } });
      const photos = (workshop.relations.speakers as LoadedRow[]).map((speaker) => ((speaker.relations.person as LoadedRow).relations.photo as LoadedRow | null)?.row.alternativeText ?? null);
      expect(photos).toEqual(['A portrait', 'A portrait']);
      expect((workshop.relations.sponsors as LoadedRow[]).map((s) => (s.relations.logo as LoadedRow | null)?.row.width ?? null)).toEqual([null, 320]);
    } finally {
      await upload.remove(await upload.findOne(file.id));
    }
  });

  it('loads, at each place of the tree, the attributes selected there: all where unlisted or "*"', async () => {
    const where = { slug: 'every-relation', publishedAt: NOT_NULL as typeof NOT_NULL };
    const tree = { speakers: { person: {}, affiliation: {} }, talks: { speakers: {} }, venue: {}, series: {} };
    const [whole] = await loadRelationTree(app.strapi, WORKSHOP, where, tree);
    const attributes = { '': ['title', 'noSuchAttribute'], speakers: [], 'speakers.person': ['name'], 'talks.speakers': ['slug'], venue: ['*'] };
    const [some] = await loadRelationTree(app.strapi, WORKSHOP, where, tree, { attributes });

    /** Rows at `path` below a workshop (through to-many and to-one relations alike). */
    const rowsAt = (workshop: LoadedRow, path: string[]): Array<LoadedRow['row']> =>
      path.reduce<LoadedRow[]>((rows, field) => rows.flatMap((row) => [row.relations[field] ?? []].flat() as LoadedRow[]), [workshop]).map(({ row }) => row);
    const only = (names: string[]) => (row: LoadedRow['row']) => Object.fromEntries(names.map((name) => [name, row[name]]));

    expect(rowsAt(some, [])).toEqual(rowsAt(whole, []).map(only(['id', 'documentId', 'title'])));
    expect(rowsAt(some, ['speakers'])).toEqual(rowsAt(whole, ['speakers']).map(only(['id'])));
    expect(rowsAt(some, ['speakers', 'person'])).toEqual(rowsAt(whole, ['speakers', 'person']).map(only(['id', 'documentId', 'name'])));
    expect(rowsAt(some, ['talks', 'speakers'])).toEqual(rowsAt(whole, ['talks', 'speakers']).map(only(['id', 'documentId', 'slug'])));
    expect(rowsAt(some, ['talks', 'speakers'])).toHaveLength(3);
    // Unlisted (the speakers' affiliations, the talks, the series) and '*' (the venue): every attribute.
    for (const path of [['speakers', 'affiliation'], ['talks'], ['series'], ['venue']]) {
      expect(rowsAt(some, path)).toEqual(rowsAt(whole, path));
      expect(rowsAt(some, path).length).toBeGreaterThan(0);
    }
  });
});
