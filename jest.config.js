/** Jest runs in ESM mode: NestJS 12 ships ES modules only. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  // `npm test` leaves the fault suite (minutes of load and crashes) to `npm run test:faults`.
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.JEST_SKIP_FAULTS ? ['<rootDir>/test/faults/'] : [])],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
};
