import type { Core } from '@strapi/strapi';
import type { AttributeMeta } from './relation-tree';

type ModelMeta = { tableName: string; attributes: Record<string, AttributeMeta & { columnName?: string }> };
const metaOf = (strapi: Core.Strapi, uid: string) => strapi.db.metadata.get(uid) as unknown as ModelMeta;

/**
 * The distinct ids at the end of `path` (relations and components, dotted: `speakers.person`)
 * from the rows of `uid` whose `setAttribute` is set (published workshops: `publishedAt`). One
 * statement through the link tables alone, from Strapi's metadata as src/database/relation-tree.ts
 * reads it: no row is built, however many the path crosses (tens of thousands for the people of
 * 1,000 workshops, where loading them as rows held SQLite's event loop for a second).
 */
export const linkedIds = async (strapi: Core.Strapi, uid: string, path: string, setAttribute: string): Promise<number[]> => {
  const schema = strapi.db.getSchemaName();
  const qualified = (name: string) => (schema ? `${schema}.${name}` : name);
  const root = metaOf(strapi, uid);
  const query = strapi.db.connection.from({ r: qualified(root.tableName) }).whereNotNull(`r.${root.attributes[setAttribute]?.columnName ?? setAttribute}`);
  let end = 'r.id';
  let model = uid;
  path.split('.').forEach((field, index) => {
    const attribute = metaOf(strapi, model).attributes[field];
    if (!attribute?.joinTable || !attribute.target) throw new Error(`${model}.${field} is not a relation or component with a link table`);
    const { joinTable } = attribute;
    const link = `l${index}`;
    const from = end;
    query.join({ [link]: qualified(joinTable.name) }, function joinLink() {
      this.on(`${link}.${joinTable.joinColumn.name}`, '=', from);
      // Component links say which field they belong to.
      for (const [column, value] of Object.entries(joinTable.on ?? {})) this.andOnVal(`${link}.${column}`, '=', value);
    });
    end = `${link}.${joinTable.inverseJoinColumn.name}`;
    model = attribute.target;
  });
  const rows: Array<{ id: number | string }> = await query.distinct({ id: end });
  return rows.map(({ id }) => Number(id));
};

/** Ids bound in one statement at most (SQLite allows 32,766 variables, PostgreSQL 65,535). */
const IDS_PER_STATEMENT = 10_000;

/** The distinct ids that relation `field` of the `uid` rows `ids` links to: one lookup in its link table. */
export const relatedIds = async (strapi: Core.Strapi, uid: string, field: string, ids: number[]): Promise<number[]> => {
  const attribute = metaOf(strapi, uid).attributes[field];
  if (!attribute?.joinTable) throw new Error(`${uid}.${field} is not a relation with a link table`);
  const { joinTable } = attribute;
  const schema = strapi.db.getSchemaName();
  const found = new Set<number>();
  for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
    const rows: Array<{ id: number | string }> = await strapi.db.connection
      .from(schema ? `${schema}.${joinTable.name}` : joinTable.name)
      .whereIn(joinTable.joinColumn.name, ids.slice(start, start + IDS_PER_STATEMENT))
      .distinct({ id: joinTable.inverseJoinColumn.name });
    rows.forEach(({ id }) => found.add(Number(id)));
  }
  return [...found];
};
