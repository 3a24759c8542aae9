module.exports = { ...require('../../jest.preset.js'), displayName: 'reseal', rootDir: __dirname };
