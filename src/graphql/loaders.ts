import DataLoader from 'dataloader';
import type { Core, UID } from '@strapi/strapi';

/** A database row as `strapi.db.query()` returns it. */
export type Row = { id: number; documentId?: string; [field: string]: any };

export type Role = 'ORGANIZER' | 'SPEAKER';
export interface Appearance {
  role: Role;
  workshop: Row;
  affiliation: Row | null;
}

const WORKSHOP = 'api::workshop.workshop';
const PUBLISHED = { publishedAt: { $notNull: true } };
const PARTICIPANT_POPULATE = { populate: { person: { select: ['id'] }, affiliation: true } };

/** Newest first. Sorted here: a filter through a relation may make the database drop ORDER BY. */
const newestFirst = (a: Row, b: Row) => (a.startDate === b.startDate ? b.id - a.id : a.startDate < b.startDate ? 1 : -1);

/**
 * The loads of one GraphQL request, batched: every resolver asking for the same relation of
 * different parents within one tick shares one SQL query (DataLoader), so the statements a
 * query issues do not grow with the number of workshops, speakers or talks. A new instance per
 * request: nothing is cached across requests or between clients.
 */
export class RequestLoaders {
  private readonly relations = new Map<string, DataLoader<string, Row | Row[] | null>>();
  private institutePromise?: Promise<Row | null>;

  constructor(private readonly strapi: Core.Strapi) {}

  /**
   * What relation or component `field` of the `uid` row `parentId` holds, in its stored order.
   * All the fields asked of one model in the same tick load together: one query for the parents
   * and one per field.
   */
  related(uid: string, field: string, parentId: number): Promise<Row | Row[] | null> {
    let loader = this.relations.get(uid);
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const wanted = keys.map((key) => {
          const [id, name] = key.split(':');
          return { id: Number(id), name };
        });
        const fields = [...new Set(wanted.map(({ name }) => name))];
        const rows: Row[] = await this.strapi.db.query(uid as UID.Schema).findMany({
          where: { id: { $in: [...new Set(wanted.map(({ id }) => id))] } },
          select: ['id'],
          populate: Object.fromEntries(fields.map((name) => [name, true])),
        });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return wanted.map(({ id, name }) => byId.get(id)?.[name] ?? (this.isToMany(uid, name) ? [] : null));
      });
      this.relations.set(uid, loader);
    }
    return loader.load(`${parentId}:${field}`);
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
    const workshops: Row[] = await this.strapi.db.query(WORKSHOP).findMany({
      where: { id: { $in: ids } },
      populate: { organizers: PARTICIPANT_POPULATE, speakers: PARTICIPANT_POPULATE },
    });
    workshops.sort(newestFirst);
    const appearances = new Map<number, Appearance[]>(personIds.map((id) => [id, []]));
    for (const { organizers, speakers, ...workshop } of workshops) {
      for (const [role, participants] of [['ORGANIZER', organizers], ['SPEAKER', speakers]] as const) {
        for (const participant of participants as Row[]) {
          appearances.get(participant.person?.id)?.push({ role, workshop: workshop as Row, affiliation: participant.affiliation ?? null });
        }
      }
    }
    return personIds.map((id) => appearances.get(id)!);
  });

  /** The Institute single type, with its venue; read once per request. */
  institute(): Promise<Row | null> {
    this.institutePromise ??= this.strapi.db.query('api::institute.institute').findOne({ populate: { venue: true } });
    return this.institutePromise;
  }

  private isToMany(uid: string, field: string) {
    const attribute = attributeOf(this.strapi, uid, field);
    return attribute.type === 'component' ? Boolean(attribute.repeatable) : Boolean(attribute.relation?.endsWith('Many'));
  }
}

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
