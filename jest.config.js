/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
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
  // Real Temporal and FerretDB servers, started once for the run.
  globalSetup: '<rootDir>/test/globalSetup.ts',
  globalTeardown: '<rootDir>/test/globalTeardown.ts',
  testTimeout: 300000,
  maxWorkers: 2,
  modulePathIgnorePatterns: ['<rootDir>/.tools/', '<rootDir>/web/dist/', '<rootDir>/.evoscope/', '<rootDir>/.tsbuild/'],
  watchPathIgnorePatterns: ['<rootDir>/.evoscope/'],
};
