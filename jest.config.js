/** One jest run for the whole workspace: tests run on TypeScript sources through swc. */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tests', '<rootDir>/bench'],
  testMatch: ['**/test/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^@pingback/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testTimeout: 60_000,
  // Finds the infrastructure once per run, hands its URLs to the workers, builds the migrated template database.
  globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
  testSequencer: '<rootDir>/libs/testing/src/jest-sequencer.js',
};
