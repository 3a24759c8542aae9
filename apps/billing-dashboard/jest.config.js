const preset = require('../../jest.preset.js');

// openid-client and its two dependencies are ESM-only (Node loads them with require; Jest cannot): the tests
// that sign in through OpenID Connect have them transpiled to CommonJS like our sources.
const ESM_ONLY = ['openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  ...preset,
  displayName: 'billing-dashboard',
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
