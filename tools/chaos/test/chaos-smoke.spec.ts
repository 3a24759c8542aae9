import { runChaos, type ChaosResult } from '../src/chaos-run';
import { failures } from '../src/reconcile';
import { chaosReport } from '../src/report';

// A short chaos run against the real Kafka, PostgreSQL and the platform simulator: 20 s of HIS load on
// admission and fee-detail, fee-detail killed (SIGKILL) and restarted, a 2301 answered too late, and one
// hostile record of every family. Nothing may be lost or duplicated, and every hostile record must end in a
// dead-letter topic (the oversized one is refused by the broker itself).

describe('a short chaos run', () => {
  let result: ChaosResult;

  beforeAll(async () => {
    result = await runChaos({
      durationMs: 20_000,
      beds: 30,
      ratePerSecond: 12,
      seed: 20_241_123,
      hostile: 8,
      services: ['admission', 'fee-detail'],
      crash: ['fee-detail'],
      faults: [{ infno: '2301', mode: 'timeout-after-apply', times: 1, latencyMs: 6000 }],
      quiesceMs: 90_000,
      clientTimeoutMs: 3000,
      partitions: 3,
      log: () => undefined,
    });
  }, 240_000);

  it('loses nothing and duplicates nothing across a crash and a late platform answer', () => {
    const r = result.reconciliation;
    expect(failures(r)).toEqual([]);
    expect(r.outcomes.lost).toBe(0);
    expect(r.outcomes.duplicated).toBe(0);
    expect(r.registrationsDuplicated).toBe(0);
    expect(r.lines.uploadedTwice).toBe(0);
    // The load did reach the platform, through the crash and the fault.
    expect(r.outcomes.applied).toBeGreaterThan(20);
    expect(r.lines.uploadedOnce).toBeGreaterThan(50);
    expect(result.crashes.map((c) => c.service)).toEqual(['fee-detail']);
    expect(result.faults).toEqual([expect.objectContaining({ hit: true })]);
    expect(result.quiescent).toBe(true);
  });

  it('dead-letters every hostile record the broker accepted, with a reason', () => {
    const { hostile, deadLetters } = result.reconciliation;
    expect(hostile.published).toBe(7);
    expect(hostile.refusedByBroker).toBe(1);
    expect(hostile.deadLettered).toBe(hostile.published);
    expect(Object.keys(deadLetters.byReason).length).toBeGreaterThanOrEqual(5);
    expect(chaosReport(result)).toContain('verdict: PASS');
  });
});
