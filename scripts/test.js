#!/usr/bin/env node
// The whole test suite: every Jest suite on a fresh SQLite file, then on a fresh PostgreSQL
// database, then the cluster tests once on PostgreSQL (tests/cluster, jest.cluster.config.js:
// three instances behind HAProxy), then the browser tests of the admin UI once (tests/e2e,
// jest.e2e.config.js; the admin panel is built first when dist/build is missing). Outside CI, a
// PostgreSQL that does not answer, a missing HAProxy or a missing Chromium skips that run with a
// warning; in CI (CI set) it fails the run. Extra arguments go to Jest, e.g.
// `npm test -- tests/seed.test.ts`.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const root = path.join(__dirname, '..');
const jest = path.join(root, 'node_modules', '.bin', 'jest');
const serverUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const e2eConfig = path.join(root, 'jest.e2e.config.js');
const clusterConfig = path.join(root, 'jest.cluster.config.js');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haproxy = process.env.HAPROXY_PATH || '/usr/sbin/haproxy';

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

const runJest = (database, config) => {
  const kind = config === e2eConfig ? 'e2e' : config === clusterConfig ? 'cluster' : database;
  const report = path.join(root, '.tmp', `jest-${kind}.json`);
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.rmSync(report, { force: true });
  const titles = { e2e: 'Browser tests of the admin UI (SQLite)', cluster: 'Cluster tests: three instances behind HAProxy (PostgreSQL)' };
  console.log(`\n=== ${titles[kind] ?? `Test suite on ${database}`} ===`);
  const configArgs = config ? ['--config', config] : [];
  const { status } = spawnSync(jest, [...configArgs, '--json', `--outputFile=${report}`, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_DB: database, TEST_DATABASE_URL: serverUrl },
  });
  const results = fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : { numPassedTests: 0, numFailedTests: 1 };
  return { ok: status === 0, passed: results.numPassedTests, failed: results.numFailedTests + (status === 0 ? 0 : results.numFailedTests === 0 ? 1 : 0) };
};

/** Whether the arguments select none of the tests of a config (then it is not run). */
const selectsNone = (config) => {
  const listed = spawnSync(jest, ['--config', config, '--listTests', ...process.argv.slice(2)], { cwd: root, encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.trim() === '';
};

/** The cluster tests, once, on PostgreSQL; null when skipped. */
const runClusterTests = () => {
  if (selectsNone(clusterConfig)) return null;
  if (!fs.existsSync(haproxy)) {
    console.error(`No HAProxy at ${haproxy} for the cluster tests: apt-get install -y haproxy (or set HAPROXY_PATH).`);
    if (process.env.CI) return { ok: false, passed: 0, failed: 1 };
    console.warn('Skipping the cluster tests.');
    return null;
  }
  return runJest('postgres', clusterConfig);
};

/** The browser tests, once, on SQLite; null when skipped (or when the arguments select none of them). */
const runBrowserTests = () => {
  if (selectsNone(e2eConfig)) return null;
  if (!fs.existsSync(chromium)) {
    console.error(`No Chromium at ${chromium} for the browser tests: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    if (process.env.CI) return { ok: false, passed: 0, failed: 1 };
    console.warn('Skipping the browser tests.');
    return null;
  }
  if (!fs.existsSync(path.join(root, 'dist', 'build', 'index.html'))) {
    console.log('\n=== Building the admin panel for the browser tests (npm run build) ===');
    if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) return { ok: false, passed: 0, failed: 1 };
  }
  return runJest('sqlite', e2eConfig);
};

(async () => {
  const runs = [runJest('sqlite')];
  if (await postgresAnswers()) {
    runs.push(runJest('postgres'));
    const clusterRun = runClusterTests();
    if (clusterRun) runs.push(clusterRun);
  } else if (process.env.CI) runs.push({ ok: false, passed: 0, failed: 1 });
  else console.warn('Skipping the PostgreSQL run and the cluster tests (set TEST_DATABASE_URL, or start PostgreSQL).');
  const browserRun = runBrowserTests();
  if (browserRun) runs.push(browserRun);

  const passed = runs.reduce((n, run) => n + run.passed, 0);
  const failed = runs.reduce((n, run) => n + run.failed, 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(runs.every((run) => run.ok) ? 0 : 1);
})();
