/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The browser tests and the cluster tests run once per `npm test`, on their own
  // (jest.e2e.config.js, jest.cluster.config.js), not per database.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/e2e/', '<rootDir>/tests/cluster/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
  globalSetup: '<rootDir>/tests/helpers/global-setup.js',
  // Every answer with an internal error fails the test that got it (tests/helpers/internal-errors.ts).
  setupFilesAfterEnv: ['<rootDir>/tests/helpers/fail-on-internal-errors.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
};
