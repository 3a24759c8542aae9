import { runChaos, type ChaosResult } from '../src/chaos-run';
import { failures, type HisEvent, type Reconciliation } from '../src/reconcile';
import { chaosReport } from '../src/report';
import { visitOrder, type VisitOrder } from '../src/visit-order';
import { injectDuplicate2301 } from './seeded-losses';

// Several replicas on the real Kafka, PostgreSQL and the platform simulator: two admission, two fee-detail and two
// settlement processes in their consumer groups over 6 partitions (sagas without the 3102 audit step, so no
// quality; small pools, as the test database is shared) while the HIS simulator publishes; one replica of each killed (SIGKILL) and restarted mid-run. The sandbox's ledger must
// show every HIS event applied or explained, nothing twice (no 2301/2401 repeated), each visit's answers in its
// messages' order and every saga terminal. Then a duplicate 2301 is seeded on the live run and the same judgement
// must fail on it. The longer run: `npm run chaos -- --services admission,fee-detail,settlement,quality
// --replicas 2 --partitions 6 --duration 120s` (docs/replicas.md).

describe('two replicas per service, one of each killed and restarted', () => {
  let result: ChaosResult;
  let order: VisitOrder;
  const seeded: { msgid?: string; visit?: HisEvent; after?: Reconciliation } = {};

  beforeAll(async () => {
    result = await runChaos({
      durationMs: 40_000,
      // Few beds, so that stays reach their discharge (and settlement's sagas) within the 40 s.
      beds: 6,
      ratePerSecond: 10,
      seed: 20_261_203,
      hostile: 0,
      services: ['admission', 'fee-detail', 'settlement'],
      env: {
        SETTLEMENT_AUDIT_ENABLED: 'false',
        DATABASE_POOL_SIZE: '4',
        CONSUMER_KEY_CONCURRENCY: '2',
        ADMISSION_PLATFORM_CONCURRENCY: '2',
        FEE_DETAIL_UPLOAD_CONCURRENCY: '2',
      },
      replicas: { admission: 2, 'fee-detail': 2, settlement: 2 },
      crash: ['fee-detail', 'admission', 'settlement'],
      faults: [],
      quiesceMs: 120_000,
      clientTimeoutMs: 3000,
      partitions: 6,
      log: (line) => console.error(`[replicas] ${line}`),
      inspect: async (run) => {
        const { input, reconciliation } = run.judged;
        order = visitOrder(input.published, input.results);
        // A visit still in its stay: the platform refuses fee lines on a settled one.
        const leaving = new Set(
          input.published
            .filter((e) => e.type === 'DischargeRequested' || e.type === 'SettlementRequested')
            .map((e) => e.ipt_no),
        );
        const charge = reconciliation.judged.find(
          (j) =>
            j.event.type === 'FeeLinesCharged' &&
            j.outcome === 'applied' &&
            j.event.lines?.length &&
            !leaving.has(j.event.ipt_no),
        )?.event;
        if (!charge) throw new Error('no applied charge to seed a duplicate in');
        seeded.visit = charge;
        seeded.msgid = await injectDuplicate2301(run, input, charge, `${charge.ipt_no}-DUP1`);
        await run.quiesce(30_000);
        seeded.after = (await run.reconcile()).reconciliation;
      },
    });
    console.error(chaosReport(result));
  }, 600_000);

  it('loses nothing and applies nothing twice across the kills, sagas terminal', () => {
    const r = result.reconciliation;
    expect(failures(r)).toEqual([]);
    expect(r.outcomes.lost).toBe(0);
    expect(r.outcomes['duplicated on the platform']).toBe(0);
    expect(r.registrationsDuplicated).toBe(0);
    expect(r.settlementsDuplicated).toBe(0);
    expect(r.lines.uploadedTwice).toBe(0);
    expect(r.uncaused).toEqual([]);
    expect(r.sagas.counted).toBe(true);
    expect(r.sagas.notTerminal).toBe(0);
    // The load reached the platform through every replica's crash.
    expect(r.outcomes.applied).toBeGreaterThan(20);
    expect(r.lines.uploadedOnce).toBeGreaterThan(50);
    expect(r.sagas.total).toBeGreaterThan(0);
    expect(result.crashes.map((c) => `${c.service}#${c.replica}`).sort()).toEqual([
      'admission#1',
      'fee-detail#1',
      'settlement#1',
    ]);
    expect(result.quiescent).toBe(true);
  });

  it("keeps each visit's answers in its HIS messages' order", () => {
    expect(order.violations).toEqual([]);
    expect(order.answers).toBeGreaterThan(10);
  });

  it('fails the same judgement on a duplicate 2301 seeded into the live run', () => {
    const report = failures(seeded.after!).join('\n');
    expect(report).toContain(
      `fee line ${seeded.visit!.ipt_no}-DUP1 on ${seeded.visit!.ipt_no} (2301 ${seeded.msgid})`,
    );
  });
});
