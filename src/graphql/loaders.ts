import DataLoader from 'dataloader';
import type { Core, UID } from '@strapi/strapi';
import { loadRelationTrees, type AttributeMeta, type LoadedRow, type RelationTree, type TreeQuery } from '../database/relation-tree';
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
export const INSTITUTE_QUERY: TreeQuery = { uid: 'api::institute.institute', where: {}, tree: { venue: {} }, limit: 1 };
const PUBLISHED = { publishedAt: { $notNull: true } };
/** A participant's person and affiliation, as a relation tree. */
export const PARTICIPANTS: RelationTree = { person: {}, affiliation: {} };

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
   * tick, of any model, loads together (one query reading the links of every field asked, then
   * one reading the rows they lead to, of every model, each with the relations below them that
   * the query asks for, so that those answer at once). `below`: that RelationTree, as JSON.
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
    const fields = [...new Set(wanted.map(({ uid, field }) => `${uid}|${field}`))].map((key) => {
      const [uid, field] = key.split('|');
      return { key, uid, field, ...linkOf(this.strapi, uid, field) };
    });
    const linksOf = new Map<string, Array<{ target: string; targetId: number }>>();
    for (const link of await this.readLinks(fields, wanted)) append(linksOf, `${link.field}|${link.parentId}`, link);

    // The rows the links lead to, per model and relations asked below them, in one statement.
    const queries = new Map<string, { uid: string; below: string; ids: Set<number> }>();
    for (const { uid, field, id, below } of wanted) {
      for (const { target, targetId } of linksOf.get(`${uid}|${field}|${id}`) ?? []) {
        let query = queries.get(`${target}|${below}`);
        if (!query) queries.set(`${target}|${below}`, (query = { uid: target, below, ids: new Set() }));
        query.ids.add(targetId);
      }
    }
    const asked = [...queries.values()];
    const found = asked.length > 0 ? await loadRelationTrees(this.strapi, asked.map(({ uid, below, ids }) => ({ uid, where: { id: [...ids] }, tree: JSON.parse(below) }))) : [];
    const rows = new Map(asked.map(({ uid, below }, index) => [`${uid}|${below}`, new Map(found[index].map((loaded) => [loaded.row.id, this.prime(loaded)]))]));

    const toMany = new Map(fields.map(({ key, toMany }) => [key, toMany]));
    return wanted.map(({ uid, field, id, below }) => {
      const related = (linksOf.get(`${uid}|${field}|${id}`) ?? []).flatMap(({ target, targetId }) => rows.get(`${target}|${below}`)?.get(targetId) ?? []);
      return toMany.get(`${uid}|${field}`) ? related : (related[0] ?? null);
    });
  }

  /** The link rows of `fields` for the parents asked, in stored order: one UNION ALL query. */
  private async readLinks(fields: Array<{ key: string } & Link>, wanted: Array<{ uid: string; field: string; id: number }>) {
    const knex = this.strapi.db.connection;
    const schema = this.strapi.db.getSchemaName();
    const selects = fields.map(({ key, table, parentColumn, targetColumn, orderColumn, on }, index) => {
      const parents = [...new Set(wanted.filter(({ uid, field }) => `${uid}|${field}` === key).map(({ id }) => id))];
      const select = knex
        .select(knex.raw(`${index} as link`), `${parentColumn} as parent_id`, `${targetColumn} as target_id`, orderColumn ? `${orderColumn} as ord` : knex.raw('0 as ord'))
        .from(schema ? `${schema}.${table}` : table)
        .whereIn(parentColumn, parents);
      return on ? select.where(on) : select;
    });
    // Unwrapped: SQLite refuses parenthesized members of a compound SELECT.
    const query = selects.length === 1 ? selects[0] : selects[0].unionAll(selects.slice(1), false);
    const links: Array<{ link: number | string; parent_id: number; target_id: number; ord: number | null }> = await query;
    return links
      .map(({ link, parent_id, target_id, ord }) => {
        const { key, target } = fields[Number(link)];
        return { field: key, target, parentId: Number(parent_id), targetId: Number(target_id), ord: Number(ord ?? 0) };
      })
      .sort((a, b) => a.ord - b.ord || a.targetId - b.targetId);
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

const append = <K, V>(lists: Map<K, V[]>, key: K, value: V) => {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
};

/** Where the links of a relation or component field are stored (Strapi's metadata). */
interface Link {
  target: string;
  toMany: boolean;
  table: string;
  parentColumn: string;
  targetColumn: string;
  orderColumn?: string;
  on?: Record<string, unknown>;
}

const linkOf = (strapi: Core.Strapi, uid: string, field: string): Link => {
  const { relation, target, joinTable } = (strapi.db.metadata.get(uid) as unknown as { attributes: Record<string, AttributeMeta> }).attributes[field];
  if (!relation || !target || !joinTable) throw new Error(`${uid}.${field} is not a relation or component`);
  return {
    target,
    toMany: relation.endsWith('Many'),
    table: joinTable.name,
    parentColumn: joinTable.joinColumn.name,
    targetColumn: joinTable.inverseJoinColumn.name,
    orderColumn: joinTable.orderColumnName,
    on: joinTable.on,
  };
};

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
