import DataLoader from 'dataloader';
import type { Core, UID } from '@strapi/strapi';
import { constant, linkedTo, loadRelationTrees, NOT_NULL, type AttributeMeta, type AttributeSelection, type LoadedRow, type RelationTree, type TreeQuery } from '../database/relation-tree';
import type { LinkedTo } from '../database/tree-conditions';
import type { MaybePromise } from './maybe-promise';

/** A database row as `strapi.db.query()` returns it. */
export type Row = { id: number; documentId?: string; [field: string]: any };

export type Role = 'ORGANIZER' | 'SPEAKER';
export interface Appearance {
  role: Role;
  workshop: Row;
  affiliation: Row | null;
}

const WORKSHOP = 'api::workshop.workshop';
/** The Institute single type and its venue: the fallbacks of workshop pages. */
export const INSTITUTE_QUERY: TreeQuery = { uid: 'api::institute.institute', where: {}, tree: constant({ venue: {} }), limit: 1 };
const PUBLISHED = { publishedAt: { $notNull: true } };
/** A participant's person and affiliation, as a relation tree. */
export const PARTICIPANTS: RelationTree = constant({ person: {}, affiliation: {} });

/**
 * What to load with the rows of a relation: the relations below them, and the attributes of the
 * rows at each place of that tree ('' the relation's own rows; undefined: every attribute);
 * `key`, both as JSON.
 */
export interface Below {
  tree: RelationTree;
  attributes?: AttributeSelection;
  key: string;
}
const NOTHING_BELOW: Below = { tree: {}, key: '{}' };

/** The workshops of appearances: who took part, to find the people's rows among them. */
const APPEARANCES_TREE: RelationTree = constant({ organizers: PARTICIPANTS, speakers: PARTICIPANTS });
/** How a workshop links to the people who appear on it. */
export const APPEARING_AS = Object.freeze(['organizers.person', 'speakers.person']);

/**
 * What appearances read of their workshops and affiliations (undefined: every attribute), as the
 * attributes of their tree, and its key. Of the participants' people only what they are matched
 * by (ids, slugs), never shown (a workshop has some 20); of workshops always their start date
 * (the order).
 */
export interface AppearanceReads {
  attributes: AttributeSelection;
  key: string;
}
export const appearanceReads = (workshop: readonly string[] | undefined, affiliation: readonly string[] | undefined): AppearanceReads => {
  const attributes = constant({
    '': workshop ? [...new Set([...workshop, 'startDate'])].sort() : ['*'],
    'organizers.person': ['slug'],
    'speakers.person': ['slug'],
    'organizers.affiliation': affiliation ?? ['*'],
    'speakers.affiliation': affiliation ?? ['*'],
  });
  return { attributes, key: JSON.stringify(attributes) };
};
const EVERY_APPEARANCE_ATTRIBUTE = appearanceReads(undefined, undefined);

/**
 * The published workshops where the people that `people` names take part, with what their
 * appearances show (`reads`), in one statement: the workshops' ids are found from the people's
 * links (relation-tree's linkedTo), not by joining organizers and speakers of every workshop
 * (5 × 15 rows a workshop) before filtering. Named by documentIds (or by the person's slug) so
 * that the answer is keyed by `workshops@<documentId>` (src/public-changes/shown.ts): a publish
 * misses the pages of the people on that workshop only.
 */
export const appearancesQuery = (people: LinkedTo, reads: AppearanceReads): TreeQuery => ({
  uid: WORKSHOP,
  where: { publishedAt: NOT_NULL, id: people },
  tree: APPEARANCES_TREE,
  attributes: reads.attributes,
});

/** Per person (by documentId): every (workshop, role) of `workshops` they appear in, newest first, with that workshop's affiliation. */
const appearancesIn = (workshops: LoadedRow[], personDocumentIds: readonly string[]): Appearance[][] => {
  const sorted = [...workshops].sort((a, b) => newestFirst(a.row, b.row));
  const appearances = new Map<string, Appearance[]>(personDocumentIds.map((id) => [id, []]));
  for (const { row: workshop, relations } of sorted) {
    for (const [role, field] of [['ORGANIZER', 'organizers'], ['SPEAKER', 'speakers']] as const) {
      for (const { relations: participant } of relations[field] as LoadedRow[]) {
        const person = participant.person as LoadedRow | null;
        const affiliation = participant.affiliation as LoadedRow | null;
        if (person) appearances.get(person.row.documentId as string)?.push({ role, workshop, affiliation: affiliation?.row ?? null });
      }
    }
  }
  return personDocumentIds.map((id) => appearances.get(id)!);
};

/** Newest first. Sorted here: a filter through a relation may make the database drop ORDER BY. */
const newestFirst = (a: Row, b: Row) => (a.startDate === b.startDate ? b.id - a.id : a.startDate < b.startDate ? 1 : -1);

/**
 * The loads of one GraphQL request, batched: the relations every resolver asks for within one
 * tick load together (DataLoader), so the statements a query issues do not grow with the number
 * of workshops, speakers or talks. A new instance per request: nothing is cached across requests
 * or between clients.
 */
export class RequestLoaders {
  private readonly relations = new DataLoader<string, Row | Row[] | null>((keys) => this.loadRelations(keys));
  /** Per row: the relations loaded with it (see `prime`), answered without waiting. */
  private readonly loaded = new WeakMap<Row, Record<string, Row | Row[] | null>>();
  /** The Below of each key of `relations` asked in this request. */
  private readonly belows = new Map<string, Below>();
  /** Per AppearanceReads (its key): the loader of appearances reading those attributes. */
  private readonly appearanceLoaders = new Map<string, DataLoader<string, Appearance[]>>();
  /** The Institute: undefined until asked, then its load, then the row. */
  private instituteRow?: MaybePromise<Row | null>;

  constructor(private readonly strapi: Core.Strapi) {}

  /**
   * What relation or component `field` of `parent`, a `uid` row, holds, in its stored order: at
   * once when it was loaded with its parent, otherwise batched: everything asked in the same
   * tick, of any model, loads together in one relation-tree statement, with the relations below
   * that the query asks for and only the attributes it reads (`below`), which then answer at once.
   */
  related(uid: string, field: string, parent: Row, below = NOTHING_BELOW): MaybePromise<Row | Row[] | null> {
    const loaded = this.loaded.get(parent);
    if (loaded && field in loaded) return loaded[field];
    this.belows.set(below.key, below);
    return this.relations.load(`${uid}|${field}|${parent.id}|${below.key}`);
  }
  /** Records the relations loaded with a row (src/database/relation-tree), all the way down. */
  prime({ row, relations }: LoadedRow) {
    const loaded: Record<string, Row | Row[] | null> = {};
    for (const [field, value] of Object.entries(relations)) {
      loaded[field] = Array.isArray(value) ? value.map((item) => this.prime(item)) : value ? this.prime(value) : null;
    }
    this.loaded.set(row, loaded);
    return row;
  }

  private async loadRelations(keys: readonly string[]): Promise<Array<Row | Row[] | null>> {
    const wanted = keys.map((key) => {
      const [uid, field, id] = key.split('|', 3);
      return { uid, field, id: Number(id), below: this.belows.get(key.slice(uid.length + field.length + id.length + 3))! };
    });
    // Per model: the rows asked about (of which only ids: their relations are what is wanted),
    // with every field asked of them, what is asked below it and the attributes read there.
    const byModel = new Map<string, { ids: Set<number>; tree: RelationTree; attributes: Map<string, Set<string>>; merged: Set<string> }>();
    for (const { uid, field, id, below } of wanted) {
      let query = byModel.get(uid);
      if (!query) byModel.set(uid, (query = { ids: new Set(), tree: {}, attributes: new Map([['', new Set()]]), merged: new Set() }));
      query.ids.add(id);
      if (query.merged.has(`${field}|${below.key}`)) continue;
      query.merged.add(`${field}|${below.key}`);
      query.tree[field] = mergeTrees(query.tree[field] ?? {}, below.tree);
      const read = (place: string, attributes: readonly string[]) => {
        const path = place ? `${field}.${place}` : field;
        if (!query.attributes.has(path)) query.attributes.set(path, new Set());
        for (const attribute of attributes) query.attributes.get(path)!.add(attribute);
      };
      if (below.attributes) for (const [place, attributes] of Object.entries(below.attributes)) read(place, attributes);
      else for (const place of placesOf(below.tree)) read(place, ['*']);
    }
    const models = [...byModel];
    const found = await loadRelationTrees(
      this.strapi,
      models.map(([uid, { ids, tree, attributes }]) => ({ uid, where: { id: [...ids] }, tree, attributes: sortedSelection(attributes) }))
    );
    const relationsOf = new Map<string, Record<string, Row | Row[] | null>>();
    models.forEach(([uid], index) => {
      for (const parent of found[index]) relationsOf.set(`${uid}|${parent.row.id}`, this.loaded.get(this.prime(parent))!);
    });
    return wanted.map(({ uid, field, id }) => relationsOf.get(`${uid}|${id}`)?.[field] ?? (isToMany(this.strapi, uid, field) ? [] : null));
  }

  /** Published workshops of each series, newest first. */
  readonly seriesWorkshops = new DataLoader(async (seriesIds: readonly number[]) => {
    const workshops: Row[] = await this.strapi.db.query(WORKSHOP).findMany({
      where: { ...PUBLISHED, series: { id: { $in: seriesIds } } },
      populate: { series: { select: ['id'] } },
    });
    workshops.sort(newestFirst);
    return seriesIds.map((id) => workshops.filter((workshop) => workshop.series?.id === id));
  });

  /**
   * Every (published workshop, role) of each person (by documentId): appearancesQuery, reading of
   * workshops and affiliations the attributes of `reads` (one loader per reads: the resolvers
   * that ask with the same reads share its load).
   */
  appearances(reads: AppearanceReads = EVERY_APPEARANCE_ATTRIBUTE): DataLoader<string, Appearance[]> {
    let loader = this.appearanceLoaders.get(reads.key);
    if (!loader) this.appearanceLoaders.set(reads.key, (loader = new DataLoader((personDocumentIds) => this.loadAppearances(personDocumentIds, reads))));
    return loader;
  }

  private async loadAppearances(personDocumentIds: readonly string[], reads: AppearanceReads) {
    const [workshops] = await loadRelationTrees(this.strapi, [appearancesQuery(linkedTo(APPEARING_AS, personDocumentIds), reads)]);
    return appearancesIn(workshops, personDocumentIds);
  }

  /** Answers the appearances of a person (by documentId) with what was loaded with them. */
  primeAppearances(reads: AppearanceReads, personDocumentId: string, workshops: LoadedRow[]): Appearance[] {
    const [appearances] = appearancesIn(workshops, [personDocumentId]);
    this.appearances(reads).prime(personDocumentId, appearances);
    return appearances;
  }

  /** The Institute single type, with its venue; read once per request, in one statement. */
  institute(): MaybePromise<Row | null> {
    if (this.instituteRow === undefined) {
      this.instituteRow = loadRelationTrees(this.strapi, [INSTITUTE_QUERY]).then(([[institute]]) => (this.instituteRow = this.instituteFrom(institute)));
    }
    return this.instituteRow;
  }

  /** The Institute, loaded along with something else (INSTITUTE_QUERY). */
  primeInstitute([institute]: LoadedRow[]) {
    if (this.instituteRow === undefined) this.instituteRow = this.instituteFrom(institute);
  }

  private instituteFrom(institute: LoadedRow | undefined): Row | null {
    if (!institute) return null;
    const row = this.prime(institute);
    row.venue = this.related(INSTITUTE_QUERY.uid, 'venue', row);
    return row;
  }
}

/** The places of a tree ('' its root, 'person', 'person.photo'), as an AttributeSelection names them. */
const placesOf = (tree: RelationTree, path = ''): string[] => [
  path,
  ...Object.entries(tree).flatMap(([field, below]) => placesOf(below, path ? `${path}.${field}` : field)),
];

/** In a stable order, so that the same selection makes the same statement. */
const sortedSelection = (attributes: Map<string, Set<string>>): AttributeSelection =>
  Object.fromEntries([...attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([place, read]) => [place, [...read].sort()]));

/** Both trees' relations, all the way down. */
const mergeTrees = (a: RelationTree, b: RelationTree): RelationTree => {
  const merged = { ...a };
  for (const [field, below] of Object.entries(b)) merged[field] = mergeTrees(merged[field] ?? {}, below);
  return merged;
};

const isToMany = (strapi: Core.Strapi, uid: string, field: string) =>
  Boolean((strapi.db.metadata.get(uid) as unknown as { attributes: Record<string, AttributeMeta> }).attributes[field]?.relation?.endsWith('Many'));

export const attributeOf = (strapi: Core.Strapi, uid: string, field: string) =>
  (strapi.getModel(uid as UID.Schema).attributes as Record<string, { type: string; relation?: string; repeatable?: boolean }>)[field];

const perRequest = new WeakMap<object, RequestLoaders>();

/** The loaders of the request that `context` (the GraphQL context) belongs to. */
export const loadersOf = (strapi: Core.Strapi, context: object): RequestLoaders => {
  let loaders = perRequest.get(context);
  if (!loaders) {
    loaders = new RequestLoaders(strapi);
    perRequest.set(context, loaders);
  }
  return loaders;
};
