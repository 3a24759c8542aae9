module.exports = { ...require('../../jest.preset.js'), displayName: 'quality', rootDir: __dirname };
