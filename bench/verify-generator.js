#!/usr/bin/env node
// Checks that the bulk writer writes what the document service writes: generates the same small
// dataset twice, once with `--writer documents` (strapi.documents(...).create + publish) and once
// with `--writer bulk`, each into a fresh database, and compares the canonical dumps (every row
// read back through strapi.db.query, and per-table counts and order columns).
//
//   node bench/verify-generator.js [--workshops 40 --people 300 ...]   exit code 0 when equal
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseOptions, createBenchDatabase, dropBenchDatabase, redact } = require('./support');

const SMALL = ['--workshops', '40', '--people', '300', '--organizations', '40', '--sponsors', '6', '--series', '4'];

const diff = (a, b, where = '') => {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) => diff(a[key], b[key], `${where}/${key}`));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const onlyA = a.filter((item) => !b.includes(item));
    const onlyB = b.filter((item) => !a.includes(item));
    if (onlyA.length === 0 || onlyB.length === 0) return [`${where}: ${a.length} entries with documents, ${b.length} with bulk`];
    // Where the first pair of differing rows parts, with some context.
    const [x, y] = [onlyA[0], onlyB[0]];
    let at = 0;
    while (at < x.length && x[at] === y[at]) at += 1;
    const around = (text) => text.slice(Math.max(0, at - 150), at + 150);
    return [`${where}: ${onlyA.length} rows differ, e.g.\n  documents: …${around(x)}…\n  bulk:      …${around(y)}…`];
  }
  return [`${where}: documents ${JSON.stringify(a)} vs bulk ${JSON.stringify(b)}`];
};

const main = async () => {
  const args = process.argv.slice(2);
  const options = parseOptions([...SMALL, ...args]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam-bench-verify-'));
  const databases = [];
  const dumps = {};
  try {
    for (const writer of ['documents', 'bulk']) {
      const database = await createBenchDatabase(options.databaseUrl, 'verify');
      databases.push(database);
      dumps[writer] = path.join(dir, `${writer}.json`);
      console.log(`${writer} writer → ${redact(database.url)}`);
      const { status } = spawnSync(process.execPath, [path.join(__dirname, 'generate.js'), ...SMALL, ...args, '--writer', writer, '--database-url', database.url, '--dump', dumps[writer]], { stdio: 'inherit' });
      if (status !== 0) throw new Error(`generate.js --writer ${writer} failed`);
    }
    const [documents, bulk] = ['documents', 'bulk'].map((writer) => JSON.parse(fs.readFileSync(dumps[writer], 'utf8')));
    const differences = diff(documents, bulk);
    const rows = Object.values(documents.documents).reduce((n, { rows: list }) => n + list.length, 0);
    if (differences.length > 0) {
      console.error(`The bulk writer differs from the document service:\n${differences.join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log(`Same data: ${rows} rows read back through strapi.db.query, ${Object.keys(documents.tables).length} tables compared.`);
    }
  } finally {
    for (const { name } of databases) if (!options.keep) await dropBenchDatabase(options.databaseUrl, name);
    if (options.keep) console.log(`Kept ${databases.map(({ name }) => name).join(', ')} and ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error) => {
  console.error(error.stack || error.message);
  process.exitCode = 1;
});
