import { linkedIds, relatedIds } from '../../src/database/linked-ids';
import { importWorkshopText } from '../helpers/workshop-text';
import { startStrapi, type TestApp } from '../helpers/strapi';

/**
 * src/database/linked-ids.ts reads Strapi's link tables from its metadata (table, join columns,
 * a component link's `field`): this fails by that name if an upgrade changes them. It must find
 * what Strapi's own populate finds, for published workshops only.
 */
const DRAFT = `
title: A Draft With Its Own Speaker
startDate: 2031-03-03
endDate: 2031-03-07
speakers:
  - Only In A Draft (Nowhere Institute)
`;

describe('linkedIds and relatedIds', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi();
    await importWorkshopText(app.strapi, DRAFT);
  });
  afterAll(() => app?.stop());

  /** The ids at the end of `fieldPath` of published workshops, as Strapi's populate loads them. */
  const populated = async (fieldPath: string) => {
    const fields = fieldPath.split('.');
    const populate = fields.reduceRight<Record<string, unknown>>((below, field) => ({ [field]: { populate: below } }), {});
    const workshops = await app.strapi.db.query('api::workshop.workshop').findMany({ where: { publishedAt: { $notNull: true } }, populate });
    const ends = (value: unknown, rest: string[]): number[] => {
      if (Array.isArray(value)) return value.flatMap((item) => ends(item, rest));
      if (!value) return [];
      const row = value as Record<string, unknown>;
      return rest.length === 0 ? [row.id as number] : ends(row[rest[0]], rest.slice(1));
    };
    return [...new Set(ends(workshops, fields))].sort((a, b) => a - b);
  };

  it.each(['speakers.person', 'organizers.affiliation', 'speakers.person.affiliation', 'talks.speakers', 'sponsors', 'series.sponsor', 'series'])(
    'finds what Strapi populates through %s, for published workshops only',
    async (fieldPath) => {
      const found = (await linkedIds(app.strapi, 'api::workshop.workshop', fieldPath, 'publishedAt')).sort((a, b) => a - b);
      expect(found).toEqual(await populated(fieldPath));
    }
  );

  it('relatedIds finds the current affiliations Strapi populates for the people given', async () => {
    const people = await app.strapi.db.query('api::person.person').findMany({ populate: { affiliation: true } });
    const expected = [...new Set(people.flatMap((person: { affiliation?: { id: number } | null }) => (person.affiliation ? [person.affiliation.id] : [])))].sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(5);
    const found = await relatedIds(app.strapi, 'api::person.person', 'affiliation', people.map(({ id }: { id: number }) => id));
    expect(found.sort((a, b) => a - b)).toEqual(expected);
  });

  it('leaves out what only a draft shows', async () => {
    const draftOnly = await app.strapi.db.query('api::person.person').findOne({ where: { name: 'Only In A Draft' } });
    expect(draftOnly).not.toBeNull();
    const people = await linkedIds(app.strapi, 'api::workshop.workshop', 'speakers.person', 'publishedAt');
    expect(people).toHaveLength(15);
    expect(people).not.toContain(draftOnly.id);
  });
});
