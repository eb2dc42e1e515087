#!/usr/bin/env node
// The whole test suite: every Jest suite on a fresh SQLite file, then on a fresh PostgreSQL
// database. Outside CI, a PostgreSQL that does not answer skips that run with a warning; in CI
// (CI set) it fails the run. Extra arguments go to Jest, e.g. `npm test -- tests/seed.test.ts`.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const root = path.join(__dirname, '..');
const jest = path.join(root, 'node_modules', '.bin', 'jest');
const serverUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const postgresAnswers = async () => {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    console.error(`PostgreSQL at ${serverUrl.replace(/:[^:@/]*@/, ':***@')} does not answer: ${error.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
};

const runJest = (database) => {
  const report = path.join(root, '.tmp', `jest-${database}.json`);
  fs.mkdirSync(path.dirname(report), { recursive: true });
  console.log(`\n=== Test suite on ${database} ===`);
  const { status } = spawnSync(jest, ['--json', `--outputFile=${report}`, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_DB: database, TEST_DATABASE_URL: serverUrl },
  });
  const results = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : { numPassedTests: 0, numFailedTests: 1 };
  return { ok: status === 0, passed: results.numPassedTests, failed: results.numFailedTests + (status === 0 ? 0 : results.numFailedTests === 0 ? 1 : 0) };
};

(async () => {
  const runs = [runJest('sqlite')];
  if (await postgresAnswers()) runs.push(runJest('postgres'));
  else if (process.env.CI) runs.push({ ok: false, passed: 0, failed: 1 });
  else console.warn('Skipping the PostgreSQL run (set TEST_DATABASE_URL, or start PostgreSQL).');

  const passed = runs.reduce((n, run) => n + run.passed, 0);
  const failed = runs.reduce((n, run) => n + run.failed, 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(runs.every((run) => run.ok) ? 0 : 1);
})();
