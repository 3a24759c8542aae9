module.exports = { ...require('../../jest.preset.js'), displayName: 'settlement', rootDir: __dirname };
