// Writes documents straight into the tables Strapi's document service would write, with
// multi-row INSERTs through strapi.db.connection (knex). Table and column names, join tables,
// order columns and value conversions all come from strapi.db.metadata and Strapi's own field
// classes, so nothing here names a table. bench/verify-generator.js checks that the result
// equals what strapi.documents(...).create + publish writes for the same data.
const { createField } = require('@strapi/database/dist/fields/index.js');
const { createId } = require(require.resolve('@paralleldrive/cuid2', { paths: [require.resolve('@strapi/core')] }));

/** Parameters per statement: PostgreSQL accepts at most 65,535, SQLite (better-sqlite3's build) 32,766. */
const MAX_PARAMETERS = { postgres: 60000, sqlite: 30000 };
/** Rows per INSERT: knex writes SQLite's multi-row INSERT as a compound SELECT, of at most 500 terms. */
const MAX_ROWS = { postgres: Infinity, sqlite: 500 };
/** Attributes Strapi sets itself, or that no document of this benchmark uses. */
const SYSTEM = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations']);

class BulkWriter {
  /** @param {import('@strapi/strapi').Core.Strapi} strapi */
  constructor(strapi) {
    this.strapi = strapi;
    this.knex = strapi.db.connection;
    /** 'postgres' or 'sqlite': ids come from sequences, or from the tables' largest id. */
    this.dialect = strapi.db.dialect.client === 'sqlite' ? 'sqlite' : 'postgres';
    this.now = new Date();
    /** table name → rows waiting for flush() */
    this.pending = new Map();
    /** table name → [sequence, next id] */
    this.sequences = new Map();
    /** join table + target id → last inverse order given (e.g. a workshop's place in its series) */
    this.inverseOrder = new Map();
  }

  /** Reads where every table's id sequence stands; the database must not be written by anyone else meanwhile. */
  async reserveSequences(uids) {
    const tables = new Set();
    const visit = (uid) => {
      const meta = this.strapi.db.metadata.get(uid);
      if (tables.has(meta.tableName)) return;
      tables.add(meta.tableName);
      for (const attribute of Object.values(meta.attributes)) {
        if (attribute.joinTable && this.isComponent(attribute.target)) visit(attribute.target);
        if (attribute.joinTable) tables.add(attribute.joinTable.name);
      }
    };
    uids.forEach(visit);
    for (const table of tables) {
      if (this.dialect === 'sqlite') {
        // INTEGER PRIMARY KEY AUTOINCREMENT: rows inserted with their id move sqlite_sequence on by themselves.
        const [{ last }] = await this.knex(table).max({ last: 'id' });
        this.sequences.set(table, [null, Number(last ?? 0) + 1]);
        continue;
      }
      const { rows } = await this.knex.raw('SELECT pg_get_serial_sequence(?, ?) AS sequence', [table, 'id']);
      const sequence = rows[0].sequence;
      const state = await this.knex.raw(`SELECT last_value, is_called FROM ${sequence}`);
      const { last_value: last, is_called: called } = state.rows[0];
      this.sequences.set(table, [sequence, Number(last) + (called ? 1 : 0)]);
    }
  }

  isComponent(uid) {
    return Boolean(this.strapi.components[uid]);
  }

  nextId(table) {
    const entry = this.sequences.get(table);
    if (!entry) throw new Error(`No sequence reserved for ${table}`);
    const id = entry[1];
    entry[1] += 1;
    return id;
  }

  push(table, row) {
    if (!this.pending.has(table)) this.pending.set(table, []);
    this.pending.get(table).push(row);
  }

  /**
   * Queues one document: a single row for types without draft & publish (published, as the
   * document service creates them), a draft and a published row otherwise. `data` holds
   * attribute values; relations as target row ids, components as nested data.
   * Returns the row id (the published one when there are two) and the documentId.
   */
  document(uid, data) {
    const model = this.strapi.getModel(uid);
    const documentId = createId();
    const drafted = Boolean(model.options?.draftAndPublish);
    const inverseOrders = new Map();
    const versions = drafted ? [null, this.now] : [this.now];
    let id;
    for (const publishedAt of versions) {
      id = this.entry(uid, data, { documentId, publishedAt, inverseOrders });
    }
    return { id, documentId };
  }

  /** One row of `uid` with its relations and components; returns its id. */
  entry(uid, data, system) {
    const meta = this.strapi.db.metadata.get(uid);
    const schema = this.strapi.getModel(uid).attributes;
    const id = this.nextId(meta.tableName);
    const row = { id };
    const links = [];
    if (system) {
      Object.assign(row, { document_id: system.documentId, created_at: this.now, updated_at: this.now, published_at: system.publishedAt, locale: null });
    }
    for (const [name, attribute] of Object.entries(meta.attributes)) {
      if (SYSTEM.has(name)) continue;
      const value = data[name];
      const declared = schema[name] ?? {};
      if (declared.type === 'component') {
        const entries = value === undefined || value === null ? [] : declared.repeatable ? value : [value];
        entries.forEach((component, index) => {
          const cmpId = this.entry(attribute.target, component, null);
          const { joinColumn, inverseJoinColumn, orderColumnName, on, pivotColumns } = attribute.joinTable;
          // The one pivot column that is neither side nor the field: the component's type.
          const typeColumn = pivotColumns.find((column) => ![joinColumn.name, inverseJoinColumn.name, ...Object.keys(on)].includes(column));
          links.push([attribute.joinTable.name, {
            [joinColumn.name]: id,
            [inverseJoinColumn.name]: cmpId,
            [typeColumn]: attribute.target,
            ...on,
            [orderColumnName]: declared.repeatable ? index + 1 : null,
          }]);
        });
      } else if (attribute.type === 'relation') {
        if (value === undefined || value === null) continue;
        if (declared.mappedBy || !attribute.joinTable) throw new Error(`${uid}.${name}: set this relation from its owning side`);
        if (this.strapi.getModel(attribute.target).options?.draftAndPublish) {
          throw new Error(`${uid}.${name}: relations to drafted types are not supported by the bulk writer`);
        }
        const { name: table, joinColumn, inverseJoinColumn, orderColumnName, inverseOrderColumnName } = attribute.joinTable;
        (Array.isArray(value) ? value : [value]).forEach((targetId, index) => {
          const link = { [joinColumn.name]: id, [inverseJoinColumn.name]: targetId };
          if (orderColumnName) link[orderColumnName] = index + 1;
          if (inverseOrderColumnName) link[inverseOrderColumnName] = this.inverseOrderOf(table, targetId, system?.inverseOrders);
          links.push([table, link]);
        });
      } else if (attribute.columnName) {
        const given = value === undefined ? declared.default : value;
        row[attribute.columnName] = given === undefined || given === null ? null : createField(attribute).toDB(given);
      } else if (value !== undefined) {
        throw new Error(`${uid}.${name}: the bulk writer does not write ${attribute.type} attributes`);
      }
    }
    this.push(meta.tableName, row);
    for (const [table, link] of links) this.push(table, { id: this.nextId(table), ...link });
    return id;
  }

  /** The draft and the published row of a document take the same place among the target's links. */
  inverseOrderOf(table, targetId, perDocument = new Map()) {
    const key = `${table}|${targetId}`;
    if (!perDocument.has(key)) {
      const order = (this.inverseOrder.get(key) ?? 0) + 1;
      this.inverseOrder.set(key, order);
      perDocument.set(key, order);
    }
    return perDocument.get(key);
  }

  /** Inserts every queued row in one transaction, entity tables before the tables linking them, and moves the sequences on. */
  async flush() {
    const tables = [...this.pending.keys()].sort((a, b) => this.rank(a) - this.rank(b));
    await this.knex.transaction(async (trx) => {
      for (const table of tables) {
        const rows = this.pending.get(table);
        const columns = Object.keys(rows[0]).length;
        const size = Math.max(1, Math.min(MAX_ROWS[this.dialect], Math.floor(MAX_PARAMETERS[this.dialect] / columns)));
        for (let from = 0; from < rows.length; from += size) await trx(table).insert(rows.slice(from, from + size));
      }
      for (const table of this.dialect === 'postgres' ? tables : []) {
        const [sequence, next] = this.sequences.get(table);
        await trx.raw('SELECT setval(?::regclass, ?, true)', [sequence, next - 1]);
      }
    });
    this.pending.clear();
  }

  /** Join tables (their rows reference others) after the tables they join. */
  rank(table) {
    return this.linkTables().has(table) ? 1 : 0;
  }

  linkTables() {
    if (!this.links) {
      this.links = new Set();
      for (const meta of this.strapi.db.metadata.values()) {
        for (const attribute of Object.values(meta.attributes)) if (attribute.joinTable) this.links.add(attribute.joinTable.name);
      }
    }
    return this.links;
  }
}

module.exports = { BulkWriter };
