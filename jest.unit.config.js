/**
 * The fast tier (`npm run test:unit`): specs under src/ only — pure logic and services over
 * in-memory fakes — without the global setup that starts PostgreSQL.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  coverageThreshold: undefined,
};
