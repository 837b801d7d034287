// ESM + ts-jest: the package is "type": "module" (ncc needs ESM for
// @actions/core 3 / @actions/github 9), so jest runs with
// --experimental-vm-modules (set in the npm test script).
/** @type {import('jest').Config} */
export default {
  testEnvironment: '<rootDir>/jest.environment.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1'
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }]
  },
  testTimeout: 60000,
  // Most e2e suites wait on child processes (git, the CLI, the bundle): more workers than cores keeps both cores busy.
  maxWorkers: 3
};
