import { createHash } from 'crypto';
import type { Core, UID } from '@strapi/strapi';
import { contentTypes } from '@strapi/utils';
// Strapi's own column converters (the ones its query layer applies to every row), so that rows
// loaded here are the rows `strapi.db.query()` returns, less private attributes.
// tests/database/relation-tree.test.ts compares the two.
import { createField } from '@strapi/database/dist/fields/index.js';
import { LRUCache } from 'lru-cache';
import { recordTreeRows } from '../public-changes';
import { isLinkedTo, type LinkedTo } from './tree-conditions';

/** In a `where`: the attribute is set (IS NOT NULL), e.g. `{ publishedAt: NOT_NULL }`. */
export const NOT_NULL = Symbol('not null');

/** In a `where`: the JSON list the attribute holds has this string, e.g. `{ slugAliases: holding('old-slug') }`. */
export const holding = (value: string) => ({ holds: value });
type Holding = ReturnType<typeof holding>;

export { linkedTo } from './tree-conditions';

/** Relation and component fields to load with a row, each with the fields to load with it. */
export type RelationTree = { [field: string]: RelationTree };

/** A row as `strapi.db.query()` returns it (attributes, no relations). */
export type TreeRow = { id: number; [attribute: string]: unknown };

/** One loaded row: its attributes, and what each relation of the tree holds for it. */
export interface LoadedRow {
  uid: string;
  row: TreeRow;
  relations: Record<string, LoadedRow | LoadedRow[] | null>;
}

/** A model attribute in Strapi's database metadata (components are relations there). */
export interface AttributeMeta {
  type: string;
  columnName?: string;
  relation?: string;
  target?: string;
  /** A media field (morphOne, morphMany): the attribute of the file whose link table holds it. */
  morphBy?: string;
  joinTable?: {
    name: string;
    joinColumn: { name: string };
    inverseJoinColumn: { name: string };
    orderColumnName?: string;
    on?: Record<string, string>;
    /** A morph link table (files_related_mph): the linked row's id and model uid. */
    morphColumn?: { idColumn: { name: string }; typeColumn: { name: string } };
    orderBy?: Record<string, string>;
  };
}
interface ModelMeta {
  tableName: string;
  attributes: Record<string, AttributeMeta>;
  columnToAttribute: Record<string, string>;
}

/** Attribute types stored in a column of their own (Strapi's field types). */
const SCALAR_TYPES = new Set([
  'increments', 'password', 'email', 'string', 'uid', 'richtext', 'text', 'enumeration', 'json', 'blocks',
  'biginteger', 'integer', 'float', 'decimal', 'date', 'time', 'datetime', 'timestamp', 'boolean',
]);
/** Names from Strapi's metadata are inlined as identifiers: make sure they are plain. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MODEL_UID = /^[a-z][a-z0-9-]*::[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** JSON construction, per database: the same shape of SQL with different function names. */
const DIALECTS = {
  postgres: {
    values: 'json_build_array',
    array: 'json_agg',
    emptyArray: `'[]'::json`,
    nested: (sql: string) => sql,
    integersIn: (binding: string) => `(select json_array_elements_text(${binding}::json)::integer)`,
    stringsIn: (binding: string) => `(select json_array_elements_text(${binding}::json))`,
    holds: (column: string, binding: string) => `${column}::jsonb @> jsonb_build_array(${binding}::text)`,
  },
  // SQLite drops the JSON subtype of a subquery's result: json() restores it, or it nests as a string.
  sqlite: {
    values: 'json_array',
    array: 'json_group_array',
    emptyArray: `json('[]')`,
    nested: (sql: string) => `json(${sql})`,
    integersIn: (binding: string) => `(select value from json_each(${binding}))`,
    stringsIn: (binding: string) => `(select value from json_each(${binding}))`,
    holds: (column: string, binding: string) => `exists (select 1 from json_each(${column}) where value = ${binding})`,
  },
};
/** Values of one row (its columns and relations): one SQL call takes at most 100 arguments on PostgreSQL. */
const VALUES_PER_ROW = 100;

const metaOf = (strapi: Core.Strapi, uid: string) => strapi.db.metadata.get(uid) as unknown as ModelMeta;

/**
 * Per attribute: its value, NOT_NULL (is set), a list of integers (is one of them: ids),
 * holding(value) (a JSON list that has it), or, for `id`, linkedTo(paths, values, attribute).
 */
type Where = Record<string, string | number | typeof NOT_NULL | number[] | Holding | LinkedTo>;
const isHolding = (value: Where[string]): value is Holding => typeof value === 'object' && value !== null && 'holds' in value;
const kindOf = (value: Where[string]) =>
  value === NOT_NULL ? 'set' : Array.isArray(value) ? 'in' : isHolding(value) ? 'holds' : isLinkedTo(value) ? `linked to ${value.paths.join(' ')} by ${value.attribute}` : 'equals';

/**
 * The attributes to load, by place in the tree: '' for the rows queried, 'organizers' for their
 * organizers, 'organizers.person' for those organizers' people. A place not listed, or whose list
 * holds '*', loads every stored attribute; `id` and `documentId` always load.
 */
export type AttributeSelection = Record<string, readonly string[]>;
const ALWAYS_LOADED = new Set(['id', 'documentId']);

/** Rows of `uid` matching `where` (see Where), with `tree` under each, `attributes` of each place. */
export interface TreeQuery {
  uid: string;
  where: Where;
  tree: RelationTree;
  limit?: number;
  attributes?: AttributeSelection;
}

/** A row as the statement returns it: the values of its columns, then of its relations. */
type Values = unknown[];

/** How a row of the statement becomes a LoadedRow: its columns, and its relations' readers. */
interface RowReader {
  uid: string;
  columns: Column[];
  /** After the columns, in this order; a to-many relation holds a list of rows. */
  relations: Array<{ field: string; toMany: boolean; reader: RowReader }>;
}

interface Statement {
  sql: string;
  /** The values to bind: the `where` values of the queries, in order. */
  bindings: Array<{ query: number; attribute: string }>;
  /** PostgreSQL prepared statement name: planned once per connection, not at every request. */
  name?: string;
  /** Per query, how its rows become LoadedRows. */
  readers: RowReader[];
}

/**
 * Loads rows with a tree of their relations and components (a workshop's organizers with their
 * people and affiliations, its talks with their speakers, ...) in ONE SQL statement, nesting the
 * related rows as JSON, rather than one statement per relation and level. A row is a JSON array
 * of its values, in an order its RowReader knows: a third smaller than an object with its column
 * names, and a quarter cheaper for PostgreSQL to build (measured on a page). Several queries can
 * share that statement (a workshop and the Institute its page falls back on). Tables, columns
 * and link tables come from Strapi's metadata; rows come in id order, to-many relations in their
 * stored order.
 */
export const loadRelationTrees = async (strapi: Core.Strapi, queries: TreeQuery[]): Promise<LoadedRow[][]> => {
  const shape = [
    strapi.db.dialect.client,
    strapi.db.getSchemaName(),
    ...queries.map(({ uid, where, tree, limit, attributes }) =>
      [uid, textOf(tree), Object.entries(where).map(([attribute, value]) => `${attribute} ${kindOf(value)}`).join(), limit, textOf(attributes)].join('\n')
    ),
  ].join('\n\n');
  let statement = statements.get(shape);
  if (!statement) statements.set(shape, (statement = buildStatement(strapi, queries)));
  // A list is bound as one JSON text, so that the statement is the same whatever its length.
  const values = statement.bindings.map(({ query, attribute }) => {
    const value = queries[query].where[attribute];
    return Array.isArray(value) ? JSON.stringify(value) : isHolding(value) ? value.holds : isLinkedTo(value) ? JSON.stringify(value.values) : value;
  });
  const postgres = strapi.db.dialect.client === 'postgres';
  const result = postgres && statement.name ? await runPrepared(strapi, statement.sql, values, statement.name) : await strapi.db.connection.raw(statement.sql, values);
  const [record]: Array<Record<string, unknown>> = postgres ? result.rows : result;
  const loaded = statement.readers.map((reader, index) => {
    const json = record[`q${index}`];
    const rows = (typeof json === 'string' ? JSON.parse(json) : json) as Values[];
    return rows.map((row) => toLoadedRow(reader, row));
  });
  // This statement bypasses Strapi's query layer, where what public answers show is recorded.
  recordTreeRows(strapi, queries, loaded);
  return loaded;
};

/** The parts of knex's client used by runPrepared. */
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
  query(connection: unknown, query: { sql: string; bindings: unknown[]; options: { name: string } }): Promise<{ response: { rows: unknown[] } }>;
}

/**
 * A prepared statement on PostgreSQL, on a connection of knex's pool, run by knex's client as its
 * query runner would (the `query` and `query-error` events, errors that name their statement),
 * without a raw query built, compiled and run through the runner's promises at every call: Node's
 * CPU for a workshop page's statement, run alone 500 times in a row, went from 0.86 to 0.66 ms
 * (and from 0.76 to 0.60 ms in a second run).
 */
const runPrepared = async (strapi: Core.Strapi, sql: string, bindings: unknown[], name: string) => {
  const client = strapi.db.connection.client as unknown as KnexClient;
  const connection = await client.acquireConnection();
  try {
    return (await client.query(connection, { sql, bindings, options: { name } })).response;
  } finally {
    await client.releaseConnection(connection);
  }
};

/** One query's rows, in one statement (see loadRelationTrees). */
export const loadRelationTree = async (
  strapi: Core.Strapi,
  uid: string,
  where: Where,
  tree: RelationTree,
  { limit, attributes }: Pick<TreeQuery, 'limit' | 'attributes'> = {}
) => (await loadRelationTrees(strapi, [{ uid, where, tree, limit, attributes }]))[0];

/**
 * Trees and attribute selections that never change (written in code, derived once per document),
 * frozen, with their JSON: the key of their statement is not written again at every call.
 */
const constantTexts = new WeakMap<object, string>();
export const constant = <T extends RelationTree | AttributeSelection>(value: T): T => {
  const freeze = (object: object) => {
    Object.values(object).forEach((below) => typeof below === 'object' && below !== null && freeze(below));
    Object.freeze(object);
  };
  freeze(value);
  constantTexts.set(value, JSON.stringify(value));
  return value;
};
const textOf = (value: RelationTree | AttributeSelection | undefined) => (value && constantTexts.get(value)) ?? JSON.stringify(value) ?? '';

/**
 * Statements by the shape of what they load: the trees written in code, and those the batched
 * relations derive from what queries ask. Clients choose the latter, so both the statements kept
 * here and those prepared on PostgreSQL (kept by every connection) are bounded: shapes beyond the
 * first PREPARED_SHAPES are planned at every run.
 */
const statements = new LRUCache<string, Statement>({ max: 1000 });
const PREPARED_SHAPES = 200;
const preparedNames = new Set<string>();

const buildStatement = (strapi: Core.Strapi, queries: TreeQuery[]): Statement => {
  const dialect = DIALECTS[strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite'];
  const schema = strapi.db.getSchemaName();
  const plain = (name: string) => {
    if (!PLAIN_NAME.test(name)) throw new Error(`Unexpected name in Strapi's metadata: ${name}`);
    return name;
  };
  const identifier = (name: string) => `"${plain(name)}"`;
  const literal = (name: string) => `'${plain(name)}'`;
  /** A model uid ('api::person.person') as a literal: the type column of a morph link. */
  const uidLiteral = (uid: string) => {
    if (!MODEL_UID.test(uid)) throw new Error(`Unexpected model uid in Strapi's metadata: ${uid}`);
    return `'${uid}'`;
  };
  const table = (name: string) => (schema ? `${identifier(schema)}.${identifier(name)}` : identifier(name));
  const bindings: Statement['bindings'] = [];
  let aliases = 0;

  /** Where a row's JSON is built: its model, alias and subtree, its place and the query's attributes. */
  interface Place {
    model: string;
    alias: string;
    subtree: RelationTree;
    path: string;
    attributes?: AttributeSelection;
  }

  /**
   * The JSON of a row (the array of its values), and how to read it. A to-one relation is joined
   * to the row's FROM (`joins`), a to-many one is a subquery with its own FROM: fewer subqueries
   * run per row (one per participant for its person was most of the statement's time).
   */
  const rowOf = (place: Place, joins: string[]): [string, RowReader] => {
    const { model, alias, subtree, path, attributes } = place;
    const columns = columnsAt(strapi, model, attributes?.[path]);
    const values = columns.map(({ column }) => `${alias}.${identifier(column)}`);
    const reader: RowReader = { uid: model, columns, relations: [] };
    for (const field of Object.keys(subtree)) {
      const [sql, relationReader, toMany] = relationOf(place, field, joins);
      values.push(sql);
      reader.relations.push({ field, toMany, reader: relationReader });
    }
    if (values.length > VALUES_PER_ROW) throw new Error(`${model}: ${values.length} columns and relations to load, more than the ${VALUES_PER_ROW} one row can hold`);
    return [`${dialect.values}(${values.join(', ')})`, reader];
  };

  /** The link table of relation `field` of `model`: its name, how it meets the parent row and the target row, its order. */
  const linkOf = (model: string, field: string, link: string, parentAlias: string) => {
    const attribute = metaOf(strapi, model).attributes[field];
    if (attribute?.morphBy && attribute.target && attribute.relation) {
      // A media field: the file's morph link table, with a row per (document, field, file).
      const joinTable = metaOf(strapi, attribute.target).attributes[attribute.morphBy]?.joinTable;
      if (!joinTable?.morphColumn) throw new Error(`${model}.${field}: no morph link table on ${attribute.target}.${attribute.morphBy}`);
      const { idColumn, typeColumn } = joinTable.morphColumn;
      const orderColumn = Object.keys(joinTable.orderBy ?? {})[0];
      return {
        attribute,
        joinTable: joinTable.name,
        conditions: [
          `${link}.${identifier(idColumn.name)} = ${parentAlias}."id"`,
          `${link}.${identifier(typeColumn.name)} = ${uidLiteral(model)}`,
          `${link}."field" = ${literal(field)}`,
        ],
        targetColumn: joinTable.joinColumn.name,
        orderColumn,
      };
    }
    if (!attribute?.joinTable || !attribute.target || !attribute.relation) throw new Error(`${model}.${field} is not a relation or component`);
    const { joinTable } = attribute;
    return {
      attribute,
      joinTable: joinTable.name,
      // Component links say which field they belong to: `on` holds names from the schema.
      conditions: [
        `${link}.${identifier(joinTable.joinColumn.name)} = ${parentAlias}."id"`,
        ...Object.entries(joinTable.on ?? {}).map(([column, value]) => `${link}.${identifier(column)} = ${literal(value)}`),
      ],
      targetColumn: joinTable.inverseJoinColumn.name,
      orderColumn: joinTable.orderColumnName,
    };
  };

  /** The JSON of relation `field` of the row at `parent`, how to read it, and whether it is to-many. */
  const relationOf = (parent: Place, field: string, joins: string[]): [string, RowReader, boolean] => {
    const { model, alias: parentAlias, attributes } = parent;
    const link = `l${aliases}`;
    const row = `t${aliases++}`;
    const { attribute, joinTable, conditions, targetColumn, orderColumn } = linkOf(model, field, link, parentAlias);
    const target = attribute.target!;
    const linkConditions = conditions.join(' and ');
    const targetTable = `${table(metaOf(strapi, target).tableName)} ${row} on ${row}."id" = ${link}.${identifier(targetColumn)}`;

    const place: Place = { model: target, alias: row, subtree: parent.subtree[field], path: parent.path ? `${parent.path}.${field}` : field, attributes };
    if (!attribute.relation!.endsWith('Many')) {
      joins.push(`left join ${table(joinTable)} ${link} on ${linkConditions} left join ${targetTable}`);
      const [values, reader] = rowOf(place, joins);
      return [dialect.nested(`case when ${row}."id" is null then null else ${values} end`), reader, false];
    }
    const innerJoins: string[] = [];
    const [values, reader] = rowOf(place, innerJoins);
    const order = orderColumn ? `${link}.${identifier(orderColumn)}, ${row}."id"` : `${row}."id"`;
    const sql =
      `(select coalesce(${dialect.array}(${values} order by ${order}), ${dialect.emptyArray}) ` +
      `from ${table(joinTable)} ${link} join ${targetTable} ${innerJoins.join(' ')} where ${linkConditions})`;
    return [dialect.nested(sql), reader, true];
  };

  /**
   * The ids of `uid` rows linked through `path` ('speakers.person': a component, then a relation)
   * to a document whose attribute `linkedBy` is in the list bound at `binding`: link table to link table,
   * from the documents back to the rows, so the database starts from the few documents named.
   */
  const linkedIdsOf = (uid: string, path: string, binding: string, linkedBy: string) => {
    const hops: string[] = [];
    const conditions: string[] = [];
    let model = uid;
    let previous: { alias: string; column: string } | undefined;
    let first = '';
    const fields = path.split('.');
    for (const [index, field] of fields.entries()) {
      const attribute = metaOf(strapi, model).attributes[field];
      const joinTable = attribute?.joinTable;
      if (!joinTable || joinTable.morphColumn || !attribute.target) throw new Error(`${model}.${field} is not a relation or component with a link table`);
      const alias = `k${aliases++}`;
      const on = Object.entries(joinTable.on ?? {}).map(([column, value]) => `${alias}.${identifier(column)} = ${literal(value)}`);
      if (previous) hops.push(`join ${table(joinTable.name)} ${alias} on ${[`${alias}.${identifier(joinTable.joinColumn.name)} = ${previous.alias}.${identifier(previous.column)}`, ...on].join(' and ')}`);
      else {
        hops.push(`from ${table(joinTable.name)} ${alias}`);
        conditions.push(...on);
        first = `${alias}.${identifier(joinTable.joinColumn.name)}`;
      }
      previous = { alias, column: joinTable.inverseJoinColumn.name };
      model = attribute.target;
      if (index === fields.length - 1) {
        const target = `k${aliases++}`;
        hops.push(`join ${table(metaOf(strapi, model).tableName)} ${target} on ${target}."id" = ${alias}.${identifier(previous.column)}`);
        const { columnToAttribute } = metaOf(strapi, model);
        const column = Object.keys(columnToAttribute).find((name) => columnToAttribute[name] === linkedBy);
        if (!column) throw new Error(`${model} has no attribute ${linkedBy} to be linked by`);
        conditions.push(`${target}.${identifier(column)} in ${dialect.stringsIn(binding)}`);
      }
    }
    return `select ${first} ${hops.join(' ')} where ${conditions.join(' and ')}`;
  };

  const readers: RowReader[] = [];
  const rowsOf = ({ uid, where, tree, limit, attributes }: TreeQuery, index: number) => {
    const root = metaOf(strapi, uid);
    const joins: string[] = [];
    const [values, reader] = rowOf({ model: uid, alias: 'r', subtree: tree, path: '', attributes }, joins);
    readers.push(reader);
    const conditions = Object.entries(where).map(([attribute, value]) => {
      const column = identifier(root.attributes[attribute]?.columnName ?? attribute);
      if (value === NOT_NULL) return `r.${column} is not null`;
      if (isLinkedTo(value)) {
        if (attribute !== 'id') throw new Error(`linkedTo is a condition on id, not on ${attribute}`);
        value.paths.forEach(() => bindings.push({ query: index, attribute }));
        return `r."id" in (${value.paths.map((path) => linkedIdsOf(uid, path, '?', value.attribute)).join(' union ')})`;
      }
      bindings.push({ query: index, attribute });
      if (isHolding(value)) return dialect.holds(`r.${column}`, '?');
      return Array.isArray(value) ? `r.${column} in ${dialect.integersIn('?')}` : `r.${column} = ?`;
    });
    const rows =
      `select r."id" as id, ${values} as tree from ${table(root.tableName)} r ${joins.join(' ')}` +
      (conditions.length > 0 ? ` where ${conditions.join(' and ')}` : '') +
      ` order by r."id"` +
      (limit ? ` limit ${Number(limit)}` : '');
    return `(select coalesce(${dialect.array}(${dialect.nested('x.tree')} order by x.id), ${dialect.emptyArray}) from (${rows}) x) as q${index}`;
  };
  const sql = `select ${queries.map(rowsOf).join(', ')}`;
  const name = `relation_tree_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
  if (preparedNames.size < PREPARED_SHAPES) preparedNames.add(name);
  return { sql, bindings, name: preparedNames.has(name) ? name : undefined, readers };
};

/** A stored column of a model and how Strapi's query layer turns its value into the attribute's. */
interface Column {
  column: string;
  attribute: string;
  decode: (value: unknown) => unknown;
}

/** Field types whose converter is lodash's toString, a no-op on a string. */
const STRING_TYPES = new Set(['string', 'uid', 'richtext', 'text', 'enumeration', 'email', 'password']);

/**
 * Strapi reads a datetime column (timestamp without time zone) as local time and returns its UTC
 * ISO string. In a process that runs in UTC, local time is UTC: PostgreSQL's JSON text
 * ("2023-01-23T09:00:00.5") gives that string directly ("2023-01-23T09:00:00.500Z"), without
 * the Date round trip that was the largest cost of reading a page's rows.
 */
const PROCESS_IN_UTC = ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT'].includes(Intl.DateTimeFormat().resolvedOptions().timeZone);
const LOCAL_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/;
const utcIsoString = (value: unknown, field: { fromDB: (value: unknown) => unknown }) => {
  const match = typeof value === 'string' ? LOCAL_TIMESTAMP.exec(value) : null;
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}Z` : field.fromDB(value);
};
const columnsByModel = new WeakMap<ModelMeta, Column[]>();

/**
 * The columns of a model's scalar attributes, private ones left out: what Strapi's query layer
 * returns of a row, less what no API may show.
 */
const storedColumns = (strapi: Core.Strapi, uid: string, meta: ModelMeta): Column[] => {
  let columns = columnsByModel.get(meta);
  if (!columns) {
    const model = strapi.getModel(uid as UID.Schema);
    columns = Object.entries(meta.columnToAttribute)
      .filter(([, attribute]) => SCALAR_TYPES.has(meta.attributes[attribute]?.type) && !contentTypes.isPrivateAttribute(model, attribute))
      .map(([column, attribute]) => {
        const { type } = meta.attributes[attribute];
        const field = createField(meta.attributes[attribute] as never);
        const decode = STRING_TYPES.has(type)
          ? (value: unknown) => (typeof value === 'string' ? value : field.fromDB(value))
          : type === 'datetime' && PROCESS_IN_UTC
            ? (value: unknown) => utcIsoString(value, field)
            : (value: unknown) => field.fromDB(value);
        return { column, attribute, decode };
      });
    columnsByModel.set(meta, columns);
  }
  return columns;
};

/** The columns to load of a `uid` row: those of `attributes` (and ALWAYS_LOADED), or all. */
const columnsAt = (strapi: Core.Strapi, uid: string, attributes: readonly string[] | undefined) => {
  const columns = storedColumns(strapi, uid, metaOf(strapi, uid));
  return attributes && !attributes.includes('*') ? columns.filter(({ attribute }) => ALWAYS_LOADED.has(attribute) || attributes.includes(attribute)) : columns;
};

/** A row of the statement (its values) → Strapi's row (its converters) and the relations under it. */
const toLoadedRow = ({ uid, columns, relations }: RowReader, values: Values): LoadedRow => {
  const row: TreeRow = { id: 0 };
  columns.forEach(({ attribute, decode }, index) => {
    const value = values[index] ?? null;
    row[attribute] = value === null ? null : decode(value);
  });
  row.id = Number(row.id);
  const loaded: LoadedRow['relations'] = {};
  relations.forEach(({ field, toMany, reader }, index) => {
    const value = values[columns.length + index] as Values | Values[] | null;
    loaded[field] = toMany ? (value as Values[]).map((item) => toLoadedRow(reader, item)) : value ? toLoadedRow(reader, value as Values) : null;
  });
  return { uid, row, relations: loaded };
};
