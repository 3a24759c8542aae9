module.exports = { ...require('../../jest.preset.js'), displayName: 'sandbox-faults', rootDir: __dirname };
