const preset = require('../../jest.preset.js');

// openid-client and its two dependencies, and the OpenAPI validator's reference parser, are ESM-only (Node loads
// them with require; Jest cannot): the tests
// that sign in through OpenID Connect or validate the document have them transpiled to CommonJS like our sources.
const ESM_ONLY = ['openid-client', 'oauth4webapi', 'jose', '@apidevtools/json-schema-ref-parser'];

module.exports = {
  ...preset,
  displayName: 'billing-dashboard',
  rootDir: __dirname,
  // The browser tests' Chromium and CJK font come with the stack (installed when missing).
  globalSetup: require.resolve('../../libs/testing/src/global-setup-browser.js'),
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
