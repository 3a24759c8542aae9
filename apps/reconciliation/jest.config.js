module.exports = { ...require('../../jest.preset.js'), displayName: 'reconciliation', rootDir: __dirname };
