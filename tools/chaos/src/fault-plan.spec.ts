import { FAULT_MODE_REQUIRES, FAULT_MODES } from '@yb/sandbox-faults';
import { faultPlan } from './fault-plan';

describe('the faults a chaos run arms', () => {
  it('arms every sandbox mode that needs no per-interface fields, each with what it requires', () => {
    const plan = faultPlan(['admission', 'fee-detail', 'settlement'], 3000);
    expect(new Set(plan.map((f) => f.mode))).toEqual(
      new Set(FAULT_MODES.filter((mode) => mode !== 'answer-without')),
    );
    for (const fault of plan) {
      const required = FAULT_MODE_REQUIRES[fault.mode];
      if (required) expect(fault).toHaveProperty(required);
    }
    expect(plan.find((f) => f.mode === 'latency')?.latencyMs).toBe(1500);
    expect(new Set(plan.map((f) => f.infno)).size).toBeGreaterThan(3);
  });
});
