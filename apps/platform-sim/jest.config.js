module.exports = { ...require('../../jest.preset.js'), displayName: 'platform-sim', rootDir: __dirname };
