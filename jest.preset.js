// Shared Jest settings for every project. Type-checking is `npm run typecheck`'s job, so tests are
// transpiled only (fast on 2 cores); the stack (Kafka + PostgreSQL) is brought up once per run.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json'), diagnostics: false }],
  },
  moduleNameMapper,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.js'),
  setupFilesAfterEnv: [path.join(__dirname, 'libs/testing/src/jest-setup.js')],
};
