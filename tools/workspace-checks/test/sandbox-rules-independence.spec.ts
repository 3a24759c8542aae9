import { lintAs } from './lint-as';

// The sandbox (apps/platform-sim) judges requests with its own rules, written from the spec. Were it to use the
// client's schemas it would accept exactly what the client sends and could never show a client bug: lint
// forbids those imports in the sandbox's source, and this proves the rule fires.
describe('the sandbox keeps its own input rules', () => {
  const SANDBOX_FILE = 'apps/platform-sim/src/platform/rules-probe.ts';

  it.each([
    [
      'the schema table',
      "import { INTERFACE_SCHEMAS } from '@yb/platform-client';\nexport const probe = INTERFACE_SCHEMAS;\n",
    ],
    [
      'the client validation',
      "import { validateInput } from '@yb/platform-client';\nexport const probe = validateInput;\n",
    ],
    [
      'the client parser',
      "import { parseOutput } from '@yb/platform-client';\nexport const probe = parseOutput;\n",
    ],
    [
      'the examples',
      "import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';\nexport const probe = INTERFACE_EXAMPLES;\n",
    ],
    [
      'one interface schema',
      "import { input2401 } from '@yb/platform-client';\nexport const probe = input2401;\n",
    ],
    [
      'a schema file by path',
      "import { input2301 } from '../../../../libs/platform-client/src/interfaces/fee-detail';\nexport const probe = input2301;\n",
    ],
  ])('refuses %s in the sandbox source, saying why', (_what, source) => {
    const res = lintAs(SANDBOX_FILE, source);
    expect(res.status).toBe(1);
    expect(res.output).toMatch(/no-restricted-imports/);
    expect(res.output).toMatch(/apps\/platform-sim\/src\/rules/);
  });

  it('keeps the examples out of every service and library (test data), not out of their tests', () => {
    const source =
      "import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';\nexport const probe = INTERFACE_EXAMPLES;\n";
    const shipped = lintAs('apps/settlement/src/examples-probe.ts', source);
    expect(shipped.status).toBe(1);
    expect(shipped.output).toMatch(/Test data \(the interface examples\)/);
    expect(lintAs('libs/service-runtime/src/examples-probe.ts', source).status).toBe(1);
    expect(lintAs('apps/settlement/test/examples-probe.spec.ts', source).output).not.toMatch(
      /no-restricted-imports/,
    );
  });

  it('lets the sandbox use the client for the envelope, crypto and transport', () => {
    const res = lintAs(
      SANDBOX_FILE,
      "import { sealEnvelope, UNIFIED_PATH } from '@yb/platform-client';\nexport const probe = [sealEnvelope, UNIFIED_PATH];\n",
    );
    expect(res.output).not.toMatch(/no-restricted-imports/);
  });

  it('lets the sandbox tests and other apps use the schemas (the contract test runs them against the sandbox)', () => {
    const source = "import { parseOutput } from '@yb/platform-client';\nexport const probe = parseOutput;\n";
    expect(lintAs('apps/platform-sim/test/rules-probe.spec.ts', source).output).not.toMatch(
      /no-restricted-imports/,
    );
    expect(lintAs('apps/platform-sim/src/rules/rules-probe.spec.ts', source).output).not.toMatch(
      /no-restricted-imports/,
    );
    expect(lintAs('apps/settlement/src/rules-probe.ts', source).output).not.toMatch(/no-restricted-imports/);
  });
});
