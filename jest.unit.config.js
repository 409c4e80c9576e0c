/** Unit tests only: pure functions beside the code, no database. */
const base = require('./jest.config');
module.exports = { ...base, testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/web/src/**/*.spec.ts'], globalSetup: undefined, globalTeardown: undefined };
