#!/usr/bin/env node
// Fills an empty database with bench/dataset.js: the Institute (database/seeds/institute.yaml,
// through the project's own import), organizations, people, sponsors, series, and published
// workshops. Two writers give the same rows (bench/verify-generator.js checks it):
//   documents  strapi.documents(...).create + publish in transactions of 50: what the admin UI
//              and `npm run workshops:import` do; about 0.2 s per workshop on 2 cores.
//   bulk       multi-row INSERTs through strapi.db.connection, laid out from strapi.db.metadata:
//              20-30 times faster: 10,000 workshops in 60-90 s (the default).
//
//   node bench/generate.js --database-url postgres://.../an_empty_db [--workshops N ...] [--writer documents] [--dump file.json]
//   node bench/generate.js --database-url sqlite:/tmp/some/file.db ...     (SQLite: Strapi creates the file)
//
// Run by bench/run.js in a process of its own; the database must exist (or, SQLite, be a new file) and be empty.
const fs = require('fs');
const path = require('path');
const { createStrapi } = require('@strapi/strapi');
const { buildDataset } = require('./dataset');
const { BulkWriter } = require('./bulk-writer');
const { parseOptions, sizesOf, strapiEnv } = require('./support');

const ROOT = path.join(__dirname, '..');
const UIDS = {
  organizations: 'api::organization.organization',
  people: 'api::person.person',
  sponsors: 'api::sponsor.sponsor',
  series: 'api::workshop-series.workshop-series',
  workshops: 'api::workshop.workshop',
};

/** The dataset's index references → what a writer links with (row ids or documentIds). */
const resolver = (ids) => {
  const one = (list, index) => (index === null || index === undefined ? null : list[index]);
  const credit = ({ person, affiliation }) => ({ person: ids.people[person], affiliation: one(ids.organizations, affiliation) });
  return {
    organizations: (org) => org,
    people: (person) => ({ ...person, affiliation: one(ids.organizations, person.affiliation) }),
    sponsors: (sponsor) => sponsor,
    series: (series) => ({ ...series, sponsor: one(ids.sponsors, series.sponsor) }),
    workshops: (workshop) => ({
      ...workshop,
      series: one(ids.series, workshop.series),
      sponsors: workshop.sponsors.map((index) => ids.sponsors[index]),
      organizers: workshop.organizers.map(credit),
      speakers: workshop.speakers.map(credit),
      talks: workshop.talks.map((talk) => ({ ...talk, speakers: talk.speakers.map((index) => ids.people[index]) })),
    }),
  };
};

const STAGES = ['organizations', 'people', 'sponsors', 'series', 'workshops'];

/** Through the document service: each workshop created, then published, as an import does. */
const writeWithDocuments = async (strapi, dataset, onProgress, batchSize = 50) => {
  const ids = Object.fromEntries(STAGES.map((stage) => [stage, []]));
  const toData = resolver(ids);
  for (const stage of STAGES) {
    const documents = strapi.documents(UIDS[stage]);
    const items = dataset[stage];
    for (let from = 0; from < items.length; from += batchSize) {
      await strapi.db.transaction(async () => {
        for (let index = from; index < Math.min(from + batchSize, items.length); index += 1) {
          const { documentId } = await documents.create({ data: toData[stage](items[index]) });
          if (stage === 'workshops') await documents.publish({ documentId });
          ids[stage][index] = documentId;
        }
      });
      onProgress(stage, Math.min(from + batchSize, items.length), items.length);
    }
  }
};

/** Straight into the tables, 250 workshops (or 5,000 smaller documents) per transaction. */
const writeInBulk = async (strapi, dataset, onProgress) => {
  const writer = new BulkWriter(strapi);
  await writer.reserveSequences(Object.values(UIDS));
  const ids = Object.fromEntries(STAGES.map((stage) => [stage, []]));
  const toData = resolver(ids);
  for (const stage of STAGES) {
    const items = dataset[stage];
    const batchSize = stage === 'workshops' ? 250 : 5000;
    for (let from = 0; from < items.length; from += batchSize) {
      for (let index = from; index < Math.min(from + batchSize, items.length); index += 1) {
        ids[stage][index] = writer.document(UIDS[stage], toData[stage](items[index])).id;
      }
      await writer.flush();
      onProgress(stage, Math.min(from + batchSize, items.length), items.length);
    }
  }
};

/** The Institute single type, from the seed file, through the project's own import. */
const writeInstitute = async (strapi) => {
  const { parseInstituteFile } = require(path.join(strapi.dirs.dist.src, 'workshop-files', 'parse.js'));
  const { importInstitute } = require(path.join(strapi.dirs.dist.src, 'workshop-files', 'import.js'));
  const file = path.join(ROOT, 'database', 'seeds', 'institute.yaml');
  await importInstitute(strapi, parseInstituteFile(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file)));
};

const writeDataset = async (strapi, dataset, { writer = 'bulk', onProgress = () => {} } = {}) => {
  const existing = await strapi.db.query(UIDS.workshops).count();
  if (existing > 0) throw new Error(`The database already holds ${existing} workshop rows; the generator fills empty databases only`);
  await writeInstitute(strapi);
  if (writer === 'documents') await writeWithDocuments(strapi, dataset, onProgress);
  else await writeInBulk(strapi, dataset, onProgress);
  // The labels of organizer and speaker rows, which the bulk writer leaves out: the server's
  // start-up would write them, after the VACUUM below (a table of dead rows and a cleared
  // visibility map: a list page's statement took twice as long on a server without autovacuum).
  const { labelUnlabelledParticipants } = require(path.join(strapi.dirs.dist.src, 'participant-labels', 'index.js'));
  await labelUnlabelledParticipants(strapi);
  // As autovacuum would some time after a large import: planner statistics and visibility maps
  // (on SQLite, ANALYZE fills sqlite_stat1 for its planner).
  await strapi.db.connection.raw(strapi.db.dialect.client === 'sqlite' ? 'ANALYZE' : 'VACUUM ANALYZE');
};

/**
 * Every row of the benchmark's types, as strapi.db.query reads them (drafts and published rows,
 * relations and components populated), without ids, documentIds or timestamps: two databases
 * holding the same documents give the same dump. Plus, per table, the row count and the count
 * of non-null values and the values of order columns, for what populate does not show.
 */
const dumpCanonical = async (strapi) => {
  const clean = (value, key) => {
    if (Array.isArray(value)) return value.map((item) => clean(item));
    if (value instanceof Date) return value.toISOString();
    if (value && typeof value === 'object') {
      if (key !== undefined && typeof value.slug === 'string') return `→${value.slug}${value.publishedAt ? '' : ' (draft)'}`;
      return Object.fromEntries(
        Object.entries(value)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .filter(([field]) => !['id', 'documentId', 'createdAt', 'updatedAt', 'locale', 'createdBy', 'updatedBy', 'localizations'].includes(field))
          .map(([field, item]) => [field, field === 'publishedAt' ? item !== null : clean(item, field)])
      );
    }
    return value;
  };
  const populateOf = (uid, depth = 0) => {
    const attributes = strapi.getModel(uid).attributes;
    const populate = {};
    for (const [name, attribute] of Object.entries(attributes)) {
      if (attribute.type === 'component') populate[name] = depth < 2 ? { populate: populateOf(attribute.component, depth + 1) } : true;
      else if (attribute.type === 'relation' && !['createdBy', 'updatedBy', 'localizations'].includes(name)) populate[name] = true;
    }
    return populate;
  };
  const dump = { documents: {}, tables: {} };
  for (const uid of [...Object.values(UIDS), 'api::institute.institute']) {
    const rows = await strapi.db.query(uid).findMany({ populate: populateOf(uid) });
    const docs = new Map();
    for (const row of rows) docs.set(row.documentId, [...(docs.get(row.documentId) ?? []), row.publishedAt ? 'published' : 'draft']);
    dump.documents[uid] = {
      versionsPerDocument: [...docs.values()].map((versions) => versions.sort().join('+')).sort().filter((v, i, all) => all.indexOf(v) === i),
      rows: rows.map((row) => JSON.stringify(clean(row))).sort(),
    };
  }
  const writer = new BulkWriter(strapi);
  const tables = new Set();
  for (const uid of [...Object.values(UIDS), 'api::institute.institute']) {
    const meta = strapi.db.metadata.get(uid);
    tables.add(meta.tableName);
    for (const attribute of Object.values(meta.attributes)) {
      if (attribute.joinTable) tables.add(attribute.joinTable.name);
      if (attribute.joinTable && writer.isComponent(attribute.target)) {
        const component = strapi.db.metadata.get(attribute.target);
        tables.add(component.tableName);
        for (const inner of Object.values(component.attributes)) if (inner.joinTable) tables.add(inner.joinTable.name);
      }
    }
  }
  for (const table of [...tables].sort()) {
    const columns = (await strapi.db.connection(table).columnInfo());
    const stats = { rows: Number((await strapi.db.connection(table).count({ n: '*' }))[0].n) };
    for (const column of Object.keys(columns).sort()) {
      stats[`${column} not null`] = Number((await strapi.db.connection(table).whereNotNull(column).count({ n: '*' }))[0].n);
      if (/(_ord|^order)$/.test(column)) {
        const values = await strapi.db.connection(table).select(column).count({ n: '*' }).groupBy(column).orderBy(column);
        stats[`${column} values`] = values.map((row) => `${row[column]}×${row.n}`).join(' ');
      }
    }
    dump.tables[table] = stats;
  }
  return dump;
};

/** Strapi quietly finishes start-up work on its pool; destroying it meanwhile fails with "aborted". */
const settle = async (strapi) => {
  const pool = strapi.db.connection.client.pool;
  for (let waited = 0; pool && waited < 5000 && pool.numUsed() + pool.numPendingAcquires() > 0; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const main = async () => {
  const options = parseOptions(process.argv.slice(2));
  if (!process.argv.slice(2).some((arg) => arg.startsWith('--database-url'))) {
    throw new Error('generate.js needs --database-url of an existing, empty database (npm run bench creates one itself)');
  }
  // Forked by bench/run.js: stop when it goes away.
  if (process.send) process.on('disconnect', () => process.exit(1));
  Object.assign(process.env, strapiEnv(options.databaseUrl));
  const started = Date.now();
  const dataset = buildDataset(sizesOf(options), options.seed);
  const strapi = await createStrapi({ appDir: ROOT, distDir: path.join(ROOT, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  try {
    const writing = Date.now();
    let shown = 0;
    await writeDataset(strapi, dataset, {
      writer: options.writer,
      onProgress: (stage, done, total) => {
        if (done === total || Date.now() - shown > 5000) {
          shown = Date.now();
          console.log(`  ${stage}: ${done}/${total} (${((Date.now() - writing) / 1000).toFixed(1)} s)`);
        }
      },
    });
    console.log(`  generated in ${((Date.now() - writing) / 1000).toFixed(1)} s with the ${options.writer} writer (${((Date.now() - started) / 1000).toFixed(1)} s with Strapi's start-up)`);
    if (options.dump) fs.writeFileSync(options.dump, JSON.stringify(await dumpCanonical(strapi), null, 1));
  } finally {
    await settle(strapi);
    await strapi.destroy();
  }
};

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error.stack || error.message);
      process.exit(1);
    }
  );
}

module.exports = { writeDataset, dumpCanonical };
