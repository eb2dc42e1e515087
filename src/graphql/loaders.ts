import DataLoader from 'dataloader';
import type { Core, UID } from '@strapi/strapi';
import { constant, loadRelationTrees, type AttributeMeta, type LoadedRow, type RelationTree, type TreeQuery } from '../database/relation-tree';
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
  /** The Institute: undefined until asked, then its load, then the row. */
  private instituteRow?: MaybePromise<Row | null>;

  constructor(private readonly strapi: Core.Strapi) {}

  /**
   * What relation or component `field` of `parent`, a `uid` row, holds, in its stored order: at
   * once when it was loaded with its parent, otherwise batched: everything asked in the same
   * tick, of any model, loads together in one relation-tree statement, with the relations below
   * that the query asks for (`below`: that RelationTree, as JSON), which then answer at once.
   */
  related(uid: string, field: string, parent: Row, below = '{}'): MaybePromise<Row | Row[] | null> {
    const loaded = this.loaded.get(parent);
    return loaded && field in loaded ? loaded[field] : this.relations.load(`${uid}|${field}|${parent.id}|${below}`);
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
      const [uid, field, id, below] = key.split('|');
      return { uid, field, id: Number(id), below };
    });
    // Per model: the rows asked about, with every field asked of them and what is asked below it.
    const byModel = new Map<string, { ids: Set<number>; tree: RelationTree; merged: Set<string> }>();
    for (const { uid, field, id, below } of wanted) {
      let query = byModel.get(uid);
      if (!query) byModel.set(uid, (query = { ids: new Set(), tree: {}, merged: new Set() }));
      query.ids.add(id);
      if (query.merged.has(`${field}|${below}`)) continue;
      query.merged.add(`${field}|${below}`);
      query.tree[field] = mergeTrees(query.tree[field] ?? {}, JSON.parse(below));
    }
    const models = [...byModel];
    const found = await loadRelationTrees(this.strapi, models.map(([uid, { ids, tree }]) => ({ uid, where: { id: [...ids] }, tree })));
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

  /** Every (published workshop, role) of each person, newest first, with that workshop's affiliation. */
  readonly appearances = new DataLoader(async (personIds: readonly number[]) => {
    // One query per role rather than one `$or` across both: joining organizers and speakers of
    // every workshop at once multiplies the rows (5 × 15 a workshop) before filtering.
    const idsWhere = async (role: 'organizers' | 'speakers') =>
      (await this.strapi.db.query(WORKSHOP).findMany({ where: { ...PUBLISHED, [role]: { person: { id: { $in: personIds } } } }, select: ['id'] })).map(
        ({ id }: Row) => id
      );
    const ids = [...new Set([...(await idsWhere('organizers')), ...(await idsWhere('speakers'))])];
    const [workshops] = await loadRelationTrees(this.strapi, [{ uid: WORKSHOP, where: { id: ids }, tree: { organizers: PARTICIPANTS, speakers: PARTICIPANTS } }]);
    workshops.sort((a, b) => newestFirst(a.row, b.row));
    const appearances = new Map<number, Appearance[]>(personIds.map((id) => [id, []]));
    for (const { row: workshop, relations } of workshops) {
      for (const [role, field] of [['ORGANIZER', 'organizers'], ['SPEAKER', 'speakers']] as const) {
        for (const { relations: participant } of relations[field] as LoadedRow[]) {
          const person = participant.person as LoadedRow | null;
          const affiliation = participant.affiliation as LoadedRow | null;
          if (person) appearances.get(person.row.id)?.push({ role, workshop, affiliation: affiliation?.row ?? null });
        }
      }
    }
    return personIds.map((id) => appearances.get(id)!);
  });

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
