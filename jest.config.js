/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] },
  globalSetup: '<rootDir>/tests/helpers/global-setup.js',
  testTimeout: 120000,
  maxWorkers: 2,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
};
