const preset = require('../../jest.preset.js');

// The OpenAPI validator's reference parser is ESM-only (Node loads it with require; Jest cannot): the clearing
// test that validates the document has it transpiled to CommonJS like our sources (as billing-dashboard does).
const ESM_ONLY = ['@apidevtools/json-schema-ref-parser'];

module.exports = {
  ...preset,
  displayName: 'reconciliation',
  rootDir: __dirname,
  transform: {
    ...preset.transform,
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true },
        diagnostics: false,
        isolatedModules: true,
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};
