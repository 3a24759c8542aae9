module.exports = { ...require('../../jest.preset.js'), displayName: 'fee-detail', rootDir: __dirname };
