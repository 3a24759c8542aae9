import { FAULT_MODE_REQUIRES, FAULT_MODES } from './fault-modes';

describe('the sandbox fault modes', () => {
  it('names each mode once and requires fields only of modes that exist', () => {
    expect(new Set(FAULT_MODES).size).toBe(FAULT_MODES.length);
    for (const mode of Object.keys(FAULT_MODE_REQUIRES)) expect(FAULT_MODES).toContain(mode);
  });
});
