/**
 * Three Jest projects:
 *  - unit: pure domain functions (src/**\/*.spec.ts, test/unit), no infrastructure.
 *  - sandbox: the Docker sandbox runner against the real engine (test/sandbox).
 *  - int: HTTP + services against real PostgreSQL, Redis, SMTP and Docker (test/int, test/e2e).
 * A project's globalSetup runs only when one of its tests is selected.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] };
// roots: Jest only crawls the sources, never var/ (the game day's private Docker data root holds
// image layers full of package.json files that would clash in the module map) or dist/.
const common = { testEnvironment: 'node', rootDir: '.', roots: ['<rootDir>/src', '<rootDir>/test'], transform, moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  testTimeout: 120000,
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'sandbox',
      testMatch: ['<rootDir>/test/sandbox/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/sandbox/global-setup.ts',
    },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/test/int/**/*.e2e-spec.ts', '<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
