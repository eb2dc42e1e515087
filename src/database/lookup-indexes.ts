import type { Core } from '@strapi/strapi';

type Meta = {
  tableName: string;
  attributes: Record<string, { columnName?: string; joinTable?: { name: string; inverseJoinColumn: { name: string } } }>;
};

/** Columns the public queries look up, sort by or join on, beyond the indexes Strapi creates. */
const INDEXED: Array<[uid: string, fields: string[]]> = [
  ['api::workshop.workshop', ['slug']],
  ['api::workshop.workshop', ['startDate']],
  ['api::person.person', ['slug']],
  ['api::person.person', ['name']],
  ['api::organization.organization', ['name']],
  ['api::sponsor.sponsor', ['name']],
  ['api::workshop-series.workshop-series', ['slug']],
  ['api::workshop-series.workshop-series', ['name']],
];

/**
 * Creates the indexes the contract queries need, if missing. At every start rather than in
 * database/migrations: Strapi 5 runs migrations before it creates its tables, so on a new
 * database a migration would find no table to index. Strapi's schema sync leaves indexes it
 * does not know alone. Table and column names come from Strapi's metadata.
 */
export const ensureLookupIndexes = async (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const create = (name: string, table: string, columns: string[]) =>
    knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (${columns.map(() => '??').join(', ')})`, [name, table, ...columns]);

  for (const [uid, fields] of INDEXED) {
    const meta = strapi.db.metadata.get(uid) as unknown as Meta;
    const columns = fields.map((field) => meta.attributes[field].columnName ?? field);
    await create(`${meta.tableName}_${columns.join('_')}_lookup`, meta.tableName, columns);
  }
  // Components link to their workshop through one table; appearances join it from the component side.
  const components = (strapi.db.metadata.get('api::workshop.workshop') as unknown as Meta).attributes.speakers.joinTable!;
  await create(`${components.name}_cmp_lookup`, components.name, [components.inverseJoinColumn.name, 'field']);
};
