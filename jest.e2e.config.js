// The browser tests of the admin UI (tests/e2e): run once per `npm test`, after the runs on each
// database, on a fresh SQLite database. `npm run test:e2e` runs them alone.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/tests/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  // One browser and one server at a time; the admin UI is slow on 2 cores.
  maxWorkers: 1,
  testTimeout: 300000,
};
