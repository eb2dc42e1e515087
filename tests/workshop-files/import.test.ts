import fs from 'fs';
import os from 'os';
import path from 'path';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { importSeeds, importWorkshopFile } from '../../src/workshop-files/seed';
import { importWorkshop } from '../../src/workshop-files/import';
import { parseWorkshopFile } from '../../src/workshop-files/parse';
import { WorkshopFileError } from '../../src/workshop-files/errors';

const TYPES = ['api::workshop.workshop', 'api::person.person', 'api::organization.organization', 'api::sponsor.sponsor', 'api::workshop-series.workshop-series'] as const;

const WORKSHOP_ANSWER = `{
  workshops {
    documentId title startDate endDate
    series { documentId name acknowledgement sponsor { documentId name acronym } }
    sponsors { documentId name }
    organizers { person { documentId name } affiliation { documentId name } }
    speakers { person { documentId name } affiliation { documentId name } }
  }
}`;

describe('importing workshop files', () => {
  let app: TestApp;
  let scratch: string;
  beforeAll(async () => {
    app = await startStrapi();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'workshop-files-'));
  });
  afterAll(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await app?.stop();
  });

  /** Every document of every type, by documentId, with its last update. */
  const snapshot = async () => {
    const rows: Record<string, unknown[]> = {};
    for (const uid of TYPES) {
      rows[uid] = await app.strapi.db.query(uid).findMany({ select: ['documentId', 'publishedAt', 'updatedAt'], orderBy: 'id' });
    }
    return rows;
  };
  /** Writes a workshop file of `lines` into the scratch folder and returns its path. */
  const workshopFile = (name: string, lines: string[]) => {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  };
  const counts = async () => Object.fromEntries(await Promise.all(TYPES.map(async (uid) => [uid, await app.strapi.db.query(uid).count()])));

  it('is idempotent: importing the seed again creates nothing and answers the same', async () => {
    const before = await snapshot();
    const answerBefore = (await app.graphql(WORKSHOP_ANSWER)).body;

    const results = await importSeeds(app.strapi);

    expect(results).toEqual([expect.objectContaining({ created: false, createdByType: {} })]);
    const after = await snapshot();
    for (const uid of TYPES.filter((t) => t !== 'api::workshop.workshop')) expect(after[uid]).toEqual(before[uid]);
    expect(after['api::workshop.workshop'].map((row: any) => row.documentId)).toEqual(
      before['api::workshop.workshop'].map((row: any) => row.documentId)
    );
    expect((await app.graphql(WORKSHOP_ANSWER)).body).toEqual(answerBefore);
  });

  it('reuses people, organizations, sponsors and series by name, keeping the given order', async () => {
    const file = workshopFile('second.yaml', [
      'title: Emergence, Again',
      'startDate: 2024-02-05',
      'endDate: 2024-02-09',
      'series: Julian Schwinger Workshop on Multiscale Physics',
      'sponsors: [Julian Schwinger Foundation for Physics Research (JSF)]',
      'speakers:',
      '  - Tess Smidt (MIT)',
      '  - Grace Hopper (Yale)',
      '  - Frank Noe (Microsoft Research)',
    ]);
    const before = await counts();
    const result = await importWorkshopFile(app.strapi, file);
    expect(result.createdByType).toEqual({ 'api::person.person': 1, 'api::organization.organization': 1 });
    expect(await counts()).toEqual({
      ...before,
      'api::workshop.workshop': before['api::workshop.workshop'] + 2,
      'api::person.person': before['api::person.person'] + 1,
      'api::organization.organization': before['api::organization.organization'] + 1,
    });
    const res = await app.graphql(`{ workshops(filters: { slug: { eq: "emergence-again" } }) { speakers { person { name } affiliation { name } } series { name } } }`);
    expect(res.body.data.workshops[0]).toEqual({
      series: { name: 'Julian Schwinger Workshop on Multiscale Physics' },
      speakers: [
        { person: { name: 'Tess Smidt' }, affiliation: { name: 'MIT' } },
        { person: { name: 'Grace Hopper' }, affiliation: { name: 'Yale' } },
        { person: { name: 'Frank Noe' }, affiliation: { name: 'Microsoft Research' } },
      ],
    });
  });

  it("gives a new person the affiliation of a later mention when a talk named them first", async () => {
    const file = workshopFile('talk-first.yaml', [
      'title: Talks First',
      'startDate: 2025-02-03',
      'endDate: 2025-02-07',
      'speakers:',
      '  - Ada Talkfirst (Analytical Engines Institute)',
      'talks:',
      '  - title: Notes',
      '    startsAt: 2025-02-03T09:00',
      '    endsAt: 2025-02-03T10:00',
      '    speakers: [Ada Talkfirst]',
    ]);
    await importWorkshopFile(app.strapi, file);
    const person = await app.strapi.db.query('api::person.person').findOne({ where: { name: 'Ada Talkfirst' }, populate: { affiliation: true } });
    expect(person.affiliation?.name).toBe('Analytical Engines Institute');
  });

  it('refuses a bad file whole, naming the file and line, and writes nothing', async () => {
    const file = workshopFile('bad.yaml', ['title: Half Written', 'startDate: 2024-05-10', 'endDate: 2024-05-01', 'speakers:', '  - Someone New (Nowhere University)']);
    const before = await snapshot();
    const refusal = importWorkshopFile(app.strapi, file);
    await expect(refusal).rejects.toBeInstanceOf(WorkshopFileError);
    await expect(refusal).rejects.toThrow(/bad\.yaml:3 endDate: 2024-05-01 is before the start date 2024-05-10/);
    expect(await snapshot()).toEqual(before);
  });

  it('rolls back everything when the database refuses part of an import', async () => {
    const parsed = parseWorkshopFile(
      ['title: Rolled Back', 'startDate: 2024-06-03', 'endDate: 2024-06-04', 'speakers:', '  - Brand New Person (Brand New Institute)'].join('\n'),
      'rolled-back.yaml'
    );
    // A title longer than the database allows is refused by Strapi only when the workshop itself is written.
    const tooLong = { ...parsed, title: 'x'.repeat(300) };
    const before = await snapshot();
    await expect(importWorkshop(app.strapi, tooLong)).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });
});
