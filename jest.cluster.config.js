// The cluster tests (tests/cluster): three instances on one PostgreSQL and one Redis behind
// HAProxy. Run once per `npm test`, after the PostgreSQL run (scripts/test.js);
// `npm run test:cluster` runs them alone (TEST_DB=postgres and TEST_DATABASE_URL set).
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/tests/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Three servers, HAProxy and a Redis at once: nothing else beside them on 2 cores.
  maxWorkers: 1,
  testTimeout: 300000,
};
