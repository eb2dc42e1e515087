import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { testDatabaseKind } from './database';

/**
 * The afterEach check of tests/helpers/fail-on-internal-errors.ts can fail a test: a Jest of its
 * own runs tests/helpers/fixtures/internal-errors.fixture.ts, whose tests get real internal errors
 * from a real server, and reports which failed and why. It needs no particular database, so it
 * runs once, on the SQLite run.
 */
const root = path.join(__dirname, '..', '..');

const run = testDatabaseKind() === 'sqlite' ? it : it.skip;
if (testDatabaseKind() !== 'sqlite') process.stderr.write('Skipping the check of the internal-error check: it runs once, on the SQLite run.\n');

run('fails the tests that got an internal error they did not acknowledge, and only those', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'internal-errors-check-'));
  const report = path.join(folder, 'report.json');
  const config = {
    rootDir: root,
    testEnvironment: 'node',
    roots: ['<rootDir>/tests/helpers/fixtures'],
    testMatch: ['**/internal-errors.fixture.ts'],
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
    // The same check as every suite's (jest.config.js); dist/ is compiled by this run's globalSetup.
    setupFilesAfterEnv: ['<rootDir>/tests/helpers/fail-on-internal-errors.ts'],
    testTimeout: 120000,
    modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
  };
  const jest = spawnSync(path.join(root, 'node_modules', '.bin', 'jest'), ['--config', JSON.stringify(config), '--json', `--outputFile=${report}`], {
    cwd: root,
    env: { ...process.env, TEST_DB: 'sqlite' },
    encoding: 'utf8',
    timeout: 110000,
  });
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(folder, { recursive: true, force: true });
  const tests: { title: string; status: string; failureMessages: string[] }[] = results.testResults[0].assertionResults;
  const outcome = Object.fromEntries(tests.map((test) => [test.title, test.status]));

  expect(jest.status).not.toBe(0);
  expect(outcome).toEqual({
    'unacknowledged: fails although it asserts nothing': 'failed',
    'acknowledged: passes': 'passed',
    'one of two acknowledged: fails': 'failed',
  });
  const [unacknowledged] = tests[0].failureMessages;
  expect(unacknowledged).toMatch(/1 answer\(s\) to this test .* reported an internal error/);
  expect(unacknowledged).toMatch(/POST \/graphql query MissingTable/);
  expect(unacknowledged).toMatch(/HTTP \d{3}: Internal server error \(error id [0-9a-f-]{36}\)/);
  expect(tests[2].failureMessages.join('\n')).toMatch(/1 answer\(s\) to this test/);
});
