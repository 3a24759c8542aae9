module.exports = { ...require('../../jest.preset.js'), displayName: 'reporting', rootDir: __dirname };
