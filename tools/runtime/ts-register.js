// Runs the workspace's TypeScript sources directly (child processes in tests, benchmarks, tools):
//   node -r ./tools/runtime/ts-register.js path/to/script.ts
// Transpile-only through TypeScript's own transpileModule (type-checking is `npm run typecheck`'s job),
// with `@yb/*` resolved to libs/<name>/src like the IDE and Jest do.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const tsConfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = path.join(__dirname, '../..');
tsConfigPaths.register({ baseUrl: root, paths: compilerOptions.paths });

const options = {
  ...ts.convertCompilerOptionsFromJson(compilerOptions, root).options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
