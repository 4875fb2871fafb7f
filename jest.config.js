/**
 * Five projects: `unit` needs no server; `integration`, `security`, `durability` and `e2e` run against real
 * Temporal and FerretDB servers, started once for the run by the global setup (with harness/servers.ts, which the
 * bench shares), which jest runs only when a selected project that declares it has a test to run (`npm run test:unit`
 * starts none). Tests live in test/ only: harness/ holds helpers, never a test.
 */
const testTimeout = 300000;

/** @type {import('jest').Config} */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'node'],
  testTimeout,
  modulePathIgnorePatterns: ['<rootDir>/.tools/', '<rootDir>/web/dist/', '<rootDir>/.evoscope/', '<rootDir>/.tsbuild/'],
};

/** @type {import('jest').Config} */
const withServers = {
  ...common,
  globalSetup: '<rootDir>/test/globalSetup.ts',
  globalTeardown: '<rootDir>/test/globalTeardown.ts',
};

const testsIn = (folder) => [`<rootDir>/test/${folder}/**/*.test.ts`, `<rootDir>/test/${folder}/**/*.test.tsx`];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: testsIn('unit') },
    { ...withServers, displayName: 'integration', testMatch: testsIn('integration') },
    // Each attack on the API and the local services, replayed: it must fail to do harm.
    { ...withServers, displayName: 'security', testMatch: testsIn('security') },
    { ...withServers, displayName: 'durability', testMatch: testsIn('durability') },
    { ...withServers, displayName: 'e2e', testMatch: testsIn('e2e') },
  ],
  testTimeout,
  maxWorkers: 2,
  watchPathIgnorePatterns: ['<rootDir>/.evoscope/'],
};
