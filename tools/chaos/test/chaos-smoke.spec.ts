import { runChaos, type ChaosResult } from '../src/chaos-run';
import { differenceName } from '../src/day-close';
import {
  eventName,
  failures,
  type HisEvent,
  type ReconcileInput,
  type Reconciliation,
  type ResultMessage,
} from '../src/reconcile';
import { chaosReport } from '../src/report';
import {
  claimHandledInInbox,
  deadLetterLegitimateEvent,
  injectDuplicate2301,
  newCharge,
  refundSettlementOnPlatform,
  reverseSettlementOnPlatform,
} from './seeded-losses';

// A short chaos run against the real Kafka, PostgreSQL and the platform simulator: 20 s of HIS load on
// admission, fee-detail, settlement (without the 3102 audit, so no quality) and reconciliation, fee-detail
// killed (SIGKILL) and restarted, a 2301 and a 2304 answered too late, and one hostile record of every family.
// Every HIS event must be applied or explained, every hostile record must end in a dead-letter topic (the
// oversized one is refused by the broker itself), and the run's settlement day, closed with the platform
// (3201 / 3202), must leave no difference unexplained. Then, on the same live run, three losses and two
// differences are seeded for real and the harness, judging again, must fail naming each.

describe('a short chaos run', () => {
  let result: ChaosResult;
  const seeded: {
    deadLettered?: HisEvent;
    skipped?: HisEvent;
    control?: HisEvent;
    duplicateMsgid?: string;
    duplicateVisit?: string;
    reversedOnPlatform?: string;
    refundedOnPlatform?: string;
    after?: Reconciliation;
  } = {};

  beforeAll(async () => {
    result = await runChaos({
      durationMs: 20_000,
      // Few beds, so that stays reach their discharge settlement within the 20 s (4 with this seed).
      beds: 4,
      ratePerSecond: 12,
      seed: 20_241_123,
      hostile: 8,
      services: ['admission', 'fee-detail', 'settlement', 'reconciliation'],
      // Small pools: four services share the test database with everyone else's.
      env: {
        SETTLEMENT_AUDIT_ENABLED: 'false',
        DATABASE_POOL_SIZE: '6',
        CONSUMER_KEY_CONCURRENCY: '2',
        ADMISSION_PLATFORM_CONCURRENCY: '2',
        FEE_DETAIL_UPLOAD_CONCURRENCY: '2',
      },
      crash: ['fee-detail'],
      faults: [
        { infno: '2301', mode: 'timeout-after-apply', times: 1, latencyMs: 6000 },
        { infno: '2304', mode: 'timeout-after-apply', times: 1, latencyMs: 6000 },
      ],
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
        // Visits still in their stay: the platform refuses fee lines on a settled one.
        const leaving = new Set(
          input.published
            .filter((e) => e.type === 'DischargeRequested' || e.type === 'SettlementRequested')
            .map((e) => e.ipt_no),
        );
        const [victim, skippedVisit, duplicatedVisit] = distinctVisits(
          appliedCharges.filter((e) => !leaving.has(e.ipt_no)),
        );
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
        // 4. and 5. The platform's books moved without our services: a settlement reversed at the centre's
        // counter, another refunded at another till.
        const [reversed, refunded] = settledVisits(input);
        seeded.reversedOnPlatform = await reverseSettlementOnPlatform(run, input, reversed!);
        seeded.refundedOnPlatform = await refundSettlementOnPlatform(run, input, refunded!);
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
    expect(result.faults.map((f) => [f.fault.infno, f.hit])).toEqual([
      ['2301', true],
      ['2304', true],
    ]);
    expect(result.quiescent).toBe(true);
    expect(chaosReport(result)).toContain('verdict: PASS');
  });

  it("closes the run's settlement day with the platform and leaves no difference unexplained", () => {
    const { dayCloses, judged } = result.reconciliation;
    // The load settled on the platform, through a 2304 whose answer the fault lost.
    expect(
      judged.filter((j) => j.event.type === 'SettlementRequested' && j.outcome === 'applied').length,
    ).toBeGreaterThan(0);
    expect(dayCloses.ran).toBe(true);
    expect(dayCloses.days.length).toBeGreaterThan(0);
    expect(dayCloses.notClosed).toEqual([]);
    expect(dayCloses.groups).toBeGreaterThan(0);
    expect(dayCloses.unexplained.map(differenceName)).toEqual([]);
    expect(chaosReport(result)).toMatch(/unexplained ✗ +0/);
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

  it("fails on differences seeded into the platform's books, naming each as unexplained", () => {
    const { dayCloses } = seeded.after!;
    const unexplained = (setl_id: string) => dayCloses.unexplained.find((d) => d.setl_id === setl_id);
    // Reversed at the centre's counter: found by 3202 as ours only, open (it needs a person).
    expect(unexplained(seeded.reversedOnPlatform!)).toMatchObject({ kind: 'HOSPITAL_ONLY', refund: false });
    expect(unexplained(seeded.reversedOnPlatform!)?.resolution).toBeUndefined();
    // Refunded at another till: adopted by reconciliation after 5203, yet no fault or request of the run made it.
    expect(unexplained(seeded.refundedOnPlatform!)).toMatchObject({
      kind: 'PLATFORM_ONLY',
      refund: true,
      resolution: { how: 'PLATFORM_RECORD_ADOPTED', by: 'reconciliation' },
    });
    const report = failures(seeded.after!).join('\n');
    expect(report).toContain('reconciliation difference(s) unexplained');
    for (const d of dayCloses.unexplained) expect(report).toContain(d.setl_id);
    expect(chaosReport({ ...result, reconciliation: seeded.after! })).toContain('verdict: FAIL');
  });
});

/** Two different visits' discharge settlements standing on the platform (their Settled results). */
function settledVisits(input: ReconcileInput): ResultMessage[] {
  const standing = new Set(
    input.ledger.settlements.filter((s) => s.status === 'settled').map((s) => s.setl_id),
  );
  const byVisit = new Map<string, ResultMessage>();
  for (const r of input.results)
    if (
      r.type === 'Settled' &&
      r.data['mid_setl_flag'] !== '1' &&
      standing.has(String(r.data['setl_id'])) &&
      !byVisit.has(r.key)
    )
      byVisit.set(r.key, r);
  const picked = [...byVisit.values()].slice(0, 2);
  if (picked.length < 2) throw new Error(`only ${picked.length} settled visit(s) to seed differences in`);
  return picked;
}

/** The first charge of three different visits. */
function distinctVisits(events: readonly HisEvent[]): HisEvent[] {
  const byVisit = new Map<string, HisEvent>();
  for (const e of events) if (!byVisit.has(e.ipt_no)) byVisit.set(e.ipt_no, e);
  const picked = [...byVisit.values()].slice(0, 3);
  if (picked.length < 3)
    throw new Error(`only ${picked.length} visit(s) with applied charges to seed losses in`);
  return picked;
}
