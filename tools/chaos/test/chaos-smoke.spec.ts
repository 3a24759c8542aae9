import { runChaos, type ChaosResult } from '../src/chaos-run';
import { eventName, failures, type HisEvent, type Reconciliation } from '../src/reconcile';
import { chaosReport } from '../src/report';
import {
  claimHandledInInbox,
  deadLetterLegitimateEvent,
  injectDuplicate2301,
  newCharge,
} from './seeded-losses';

// A short chaos run against the real Kafka, PostgreSQL and the platform simulator: 20 s of HIS load on
// admission and fee-detail, fee-detail killed (SIGKILL) and restarted, a 2301 answered too late, and one
// hostile record of every family. Every HIS event must be applied or explained, and every hostile record must
// end in a dead-letter topic (the oversized one is refused by the broker itself). Then, on the same live run,
// three losses are seeded for real and the harness, judging again, must fail naming each.

describe('a short chaos run', () => {
  let result: ChaosResult;
  const seeded: {
    deadLettered?: HisEvent;
    skipped?: HisEvent;
    control?: HisEvent;
    duplicateMsgid?: string;
    duplicateVisit?: string;
    after?: Reconciliation;
  } = {};

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
      inspect: async (run) => {
        const { input, reconciliation } = run.judged;
        const appliedCharges = reconciliation.judged
          .filter(
            (j) => j.event.type === 'FeeLinesCharged' && j.outcome === 'applied' && j.event.lines?.length,
          )
          .map((j) => j.event);
        const [victim, skippedVisit, duplicatedVisit] = distinctVisits(appliedCharges);
        // 1. A legitimate event pushed to a dead-letter topic.
        await deadLetterLegitimateEvent(run, victim!);
        seeded.deadLettered = victim;
        // 2. An event fee-detail's inbox claims handled before fee-detail reads it, and a control that is not.
        const skipped = await newCharge(run, skippedVisit!, `${skippedVisit!.ipt_no}-SEED1`);
        const control = await newCharge(run, skippedVisit!, `${skippedVisit!.ipt_no}-SEED2`);
        await claimHandledInInbox(run, 'fee-detail', skipped.id);
        const skippedAt = await run.publishHis(run.hospital.topics.hisInpatient, skipped);
        const controlAt = await run.publishHis(run.hospital.topics.hisInpatient, control);
        seeded.skipped = { ...skippedAt, id: skipped.id, type: skipped.type, ipt_no: skipped.key };
        seeded.control = { ...controlAt, id: control.id, type: control.type, ipt_no: control.key };
        // 3. The same charge twice on the platform: a 2301 our services never sent.
        seeded.duplicateMsgid = await injectDuplicate2301(
          run,
          input,
          duplicatedVisit!,
          `${duplicatedVisit!.ipt_no}-DUP1`,
        );
        seeded.duplicateVisit = duplicatedVisit!.ipt_no;
        await run.quiesce(60_000);
        seeded.after = (await run.reconcile()).reconciliation;
      },
    });
  }, 300_000);

  it('applies or explains every HIS event across a crash and a late platform answer', () => {
    const r = result.reconciliation;
    expect(failures(r)).toEqual([]);
    expect(r.outcomes.lost).toBe(0);
    expect(r.outcomes['dead-lettered']).toBe(0);
    expect(r.outcomes['duplicated on the platform']).toBe(0);
    expect(r.uncaused).toEqual([]);
    // The load did reach the platform, through the crash and the fault.
    expect(r.outcomes.applied).toBeGreaterThan(20);
    expect(r.lines.uploadedOnce).toBeGreaterThan(50);
    expect(r.amounts.visitsCompared).toBeGreaterThan(3);
    expect(r.amounts.hisTotal).toBe(r.amounts.platformTotal);
    expect(result.crashes.map((c) => c.service)).toEqual(['fee-detail']);
    expect(result.faults).toEqual([expect.objectContaining({ hit: true })]);
    expect(result.quiescent).toBe(true);
    expect(chaosReport(result)).toContain('verdict: PASS');
  });

  it('dead-letters every hostile record the broker accepted, with a reason', () => {
    const { hostile, deadLetters } = result.reconciliation;
    expect(hostile.published).toBe(7);
    expect(hostile.refusedByBroker).toBe(1);
    expect(hostile.deadLettered).toBe(hostile.published);
    expect(deadLetters.ofHisEvents).toBe(0);
    expect(Object.keys(deadLetters.byReason).length).toBeGreaterThanOrEqual(5);
  });

  it('fails on losses seeded into the live run, naming each', () => {
    const after = seeded.after!;
    const report = failures(after).join('\n');
    const outcome = (event: HisEvent) =>
      after.judged.find(
        (j) =>
          j.event.topic === event.topic &&
          j.event.offset === event.offset &&
          j.event.partition === event.partition,
      )?.outcome;
    expect(outcome(seeded.deadLettered!)).toBe('dead-lettered');
    expect(report).toContain(eventName(seeded.deadLettered!));
    expect(outcome(seeded.skipped!)).toBe('lost');
    expect(report).toContain(eventName(seeded.skipped!));
    // The same charge without the inbox's claim reached the platform: the seed, not the event, made the loss.
    expect(outcome(seeded.control!)).toBe('applied');
    expect(report).toContain(
      `fee line ${seeded.duplicateVisit}-DUP1 on ${seeded.duplicateVisit} (2301 ${seeded.duplicateMsgid})`,
    );
    expect(after.amounts.visitsDiffering.map((v) => v.split(':')[0])).toContain(seeded.duplicateVisit);
  });
});

/** The first charge of three different visits. */
function distinctVisits(events: readonly HisEvent[]): HisEvent[] {
  const byVisit = new Map<string, HisEvent>();
  for (const e of events) if (!byVisit.has(e.ipt_no)) byVisit.set(e.ipt_no, e);
  const picked = [...byVisit.values()].slice(0, 3);
  if (picked.length < 3)
    throw new Error(`only ${picked.length} visit(s) with applied charges to seed losses in`);
  return picked;
}
