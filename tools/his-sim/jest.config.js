module.exports = { ...require('../../jest.preset.js'), displayName: 'his-sim', rootDir: __dirname };
