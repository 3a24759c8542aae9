// Resolves the workspace's `@yb/*` imports to the compiled libraries under dist/ at run time, so that
// `node -r ./tools/runtime/register.js dist/apps/<app>/src/main.js` runs a built app.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.base.json');

const distRoot = path.join(__dirname, '../../dist');
tsConfigPaths.register({
  baseUrl: distRoot,
  paths: Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, targets]) => [
      alias,
      targets.map((t) => t.replace(/\.ts$/, '.js')),
    ]),
  ),
});
