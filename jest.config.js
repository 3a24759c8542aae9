// `npm test`: every project's tests (unit and integration) in one Jest run against the real stack.
const fs = require('node:fs');
const path = require('node:path');

const projects = ['apps', 'libs', 'tools']
  .filter((dir) => fs.existsSync(path.join(__dirname, dir)))
  .flatMap((dir) =>
    fs
      .readdirSync(path.join(__dirname, dir))
      .map((name) => path.join(__dirname, dir, name, 'jest.config.js')),
  )
  .filter((config) => fs.existsSync(config));

module.exports = {
  projects,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/libs/testing/src/summary-reporter.js'],
};
