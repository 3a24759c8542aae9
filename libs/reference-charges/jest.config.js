module.exports = { ...require('../../jest.preset.js'), displayName: 'reference-charges', rootDir: __dirname };
