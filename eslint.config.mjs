import nx from '@nx/eslint-plugin';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.nx/**', 'coverage/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...nx.configs['flat/base'],
  {
    files: ['**/*.ts'],
    rules: {
      // Libraries never import apps; apps never import each other (they talk over Kafka only).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // Tools (simulators, benchmarks, end-to-end tests) may use libraries and each other, never an app.
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            // A second dimension: core libraries (the contracts: message shapes and field formats, no I/O) depend
            // only on core ones, so that a decider can use them at run time and stay pure; runtime libraries
            // (event store, messaging, platform client, service runtime …) may use both.
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:core'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'off',
    },
  },
  {
    // The interface examples are test data: services and libraries ship without them (their tests may use them).
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@yb/platform-client/testing',
              message:
                'Test data (the interface examples): for tests, benchmarks and tools, never shipped code.',
            },
          ],
        },
      ],
    },
  },
  {
    // The sandbox checks requests with its own rules (apps/platform-sim/src/rules, written from the spec): were it
    // to validate with the client's schemas it would accept exactly what the client sends and hide its bugs.
    // Its tests may use them (the contract test runs the client's examples and parsers against the sandbox).
    files: ['apps/platform-sim/src/**/*.ts'],
    ignores: ['apps/platform-sim/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@yb/platform-client',
              importNames: [
                'INTERFACE_SCHEMAS',
                'validateInput',
                'parseOutput',
                'PlatformInputError',
                'PlatformOutputError',
                'dictionaryCodes',
                'extendDictionary',
              ],
              message:
                "The sandbox must not judge requests with the client's own schemas: it would accept exactly what the client sends and could never show a client bug. Use its own rules (apps/platform-sim/src/rules, from the spec).",
            },
            {
              // The client's examples are what the client sends: a sandbox built from them could never refuse it.
              name: '@yb/platform-client/testing',
              message:
                "The sandbox must not be built from the client's examples: it would accept exactly what the client sends. Use its own rules (apps/platform-sim/src/rules, from the spec).",
            },
          ],
          patterns: [
            {
              group: ['@yb/platform-client'],
              importNamePattern: '^(input|output)[0-9]',
              message:
                "The client's interface schemas stay out of the sandbox: its input rules are its own (apps/platform-sim/src/rules, from the spec).",
            },
            {
              group: ['**/platform-client/src/interfaces', '**/platform-client/src/interfaces/**'],
              message:
                "The client's interface schemas stay out of the sandbox: its input rules are its own (apps/platform-sim/src/rules, from the spec).",
            },
          ],
        },
      ],
    },
  },
  {
    // The core of each aggregate (docs/service-anatomy.md): commands, events, state with evolve, the pure
    // decider. They import each other, @yb/contracts (core: the messages' shapes and field formats, no I/O),
    // decimal.js (money arithmetic, pure) and immutable (persistent collections, pure); anything else only as
    // types. No framework, database or broker at all.
    files: [
      'apps/*/src/**/*.decider.ts',
      'apps/*/src/**/*.state.ts',
      'apps/*/src/**/*.events.ts',
      'apps/*/src/**/*.commands.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'pg/*', 'kafkajs', 'kafkajs/*'],
              message:
                'A decider, its state, events and commands stay free of Nest, TypeORM, pg and kafkajs (docs/service-anatomy.md): wire them in the workflow or the module.',
            },
            {
              // Not the packages above: a pattern that allows type imports would let their types through.
              regex:
                '^(?!\\.{1,2}/|@yb/contracts$|decimal\\.js$|immutable$|@nestjs/|typeorm(/|$)|pg(/|$)|kafkajs(/|$))',
              allowTypeImports: true,
              message:
                'A decider, its state, events and commands import values only from their own aggregate, @yb/contracts, decimal.js and immutable; other libraries as types (docs/service-anatomy.md). Do the I/O or the reading of the wire in the workflow or platform/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        globalThis: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
];
