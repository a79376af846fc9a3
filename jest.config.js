/** Jest runs in ESM mode: NestJS 12 ships ES modules only. */
const esm = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

/**
 * Three projects in one run, sharing the workers: the suite (unit, integration, multi-process) and
 * the fault suite in each mode, which reads its mode from the project's globals.
 */
export default {
  testTimeout: 120_000,
  testSequencer: '<rootDir>/test/harness/test-sequencer.mjs',
  projects: [
    {
      ...esm,
      displayName: 'suite',
      roots: ['<rootDir>/lib', '<rootDir>/test'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
    },
    ...['independent', 'cluster'].map((mode) => ({
      ...esm,
      displayName: `faults:${mode}`,
      roots: ['<rootDir>/test/faults'],
      globals: { FAULTS_MODE: mode },
    })),
  ],
};
