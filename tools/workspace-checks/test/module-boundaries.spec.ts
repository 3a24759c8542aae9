import { buildProjectGraph, lintAs } from './lint-as';

// The architecture's rule, checked rather than remembered: libraries never import apps, apps never
// import each other (they talk over Kafka only).
describe('module boundaries', () => {
  beforeAll(() => expect(buildProjectGraph()).toBe(0));

  it('refuses a library that imports an app', () => {
    const res = lintAs(
      'libs/contracts/src/boundary-probe.ts',
      "import { startPlatformSim } from '../../../apps/platform-sim/src/sim.bootstrap';\nexport const probe = startPlatformSim;\n",
    );
    expect(res.status).toBe(1);
    expect(res.output).toMatch(/enforce-module-boundaries/);
  });

  it('refuses an app that imports another app (they talk over Kafka only)', () => {
    const res = lintAs(
      'apps/admission/src/boundary-probe.ts',
      "import { FeeDetailModule } from '../../fee-detail/src/fee-detail.module';\nexport const probe = FeeDetailModule;\n",
    );
    expect(res.status).toBe(1);
    expect(res.output).toMatch(/enforce-module-boundaries/);
  });

  it('lets a library use another library through its public alias', () => {
    const res = lintAs(
      'libs/messaging/src/boundary-probe.ts',
      "import { uniqueName } from '@yb/testing';\nexport const probe = uniqueName;\n",
    );
    expect(res.output).not.toMatch(/enforce-module-boundaries/);
  });
});
