import {
  type AnswerLoss,
  type DayCloseInput,
  differenceName,
  explanationOf,
  judgeDayCloses,
} from './day-close';
import { failures, reconcile, type ReconcileInput, type ResultMessage } from './reconcile';
import { chaosReport } from './report';

// The platform reconciliation's judgement on hand-made runs: what reconciliation published for the run's days,
// and the rule that says which difference the run accounts for. Every way a difference can be unexplained is
// shown failing the run.

const DAY = '2026-12-06';
const LOST_2304: AnswerLoss = { infno: '2304', by: 'timeout-after-apply fault hit' };
const completed = (run: number, groups: number, balanced: number, stmt_date = DAY) => ({
  type: 'ReconciliationCompleted',
  data: { stmt_date, run, groups, balanced, differences: groups - balanced, open_differences: 0 },
});
const found = (run: number, setl_id: string, kind: string, refd_setl_flag = '0') => ({
  type: 'ReconciliationDifferenceFound',
  data: { stmt_date: DAY, run, setl_id, kind, refd_setl_flag },
});
const resolved = (
  setl_id: string,
  resolution = 'PLATFORM_RECORD_ADOPTED',
  resolved_by = 'reconciliation',
) => ({
  type: 'ReconciliationDifferenceResolved',
  data: { stmt_date: DAY, setl_id, resolution, resolved_by },
});
const closes = (
  messages: DayCloseInput['messages'],
  answersLost: AnswerLoss[] = [LOST_2304],
): DayCloseInput => ({
  days: [DAY],
  messages,
  answersLost,
});
const settled = (setl_id: string, type = 'Settled'): ResultMessage => ({
  id: `r-${setl_id}`,
  type,
  key: 'ZY1',
  causationId: null,
  data: { setl_id },
});

/** A run with nothing but its platform reconciliation (every other check has nothing to judge). */
function run(dayCloses: DayCloseInput | undefined, results: ResultMessage[] = []): ReconcileInput {
  return {
    published: [],
    missingFromTopic: 0,
    hostile: [],
    hostileRefusedByBroker: {},
    ledger: { registrations: [], feeLines: [], settlements: [], reports: [], reversals: [], refusals: [] },
    results,
    deadLetters: [],
    services: ['settlement', 'reconciliation'],
    committed: {},
    ...(dayCloses && { dayCloses }),
  };
}

describe('the platform reconciliation of a chaos run', () => {
  it('is not judged when reconciliation did not run, and fails nothing', () => {
    const r = reconcile(run(undefined));
    expect(r.dayCloses).toMatchObject({ ran: false, unexplained: [], notClosed: [] });
    expect(failures(r)).toEqual([]);
  });

  it('passes a day whose groups all balanced', () => {
    const r = reconcile(run(closes([completed(1, 2, 2)])));
    expect(r.dayCloses).toMatchObject({ ran: true, groups: 2, balanced: 2, differences: [], notClosed: [] });
    expect(failures(r)).toEqual([]);
  });

  it('fails a day asked and never completed, naming it', () => {
    const r = reconcile(run({ ...closes([completed(1, 1, 1)]), days: [DAY, '2026-12-07'] }));
    expect(r.dayCloses.notClosed).toEqual(['2026-12-07']);
    expect(failures(r)).toEqual(['1 settlement day(s) not reconciled with the platform: 2026-12-07']);
  });

  it("judges each day's latest run only: what an earlier run found and the next no longer finds is gone", () => {
    const r = reconcile(
      run(closes([completed(1, 1, 0), found(1, 'S1', 'AMOUNTS_DIFFER'), completed(2, 1, 1)])),
    );
    expect(r.dayCloses.days).toEqual([{ stmt_date: DAY, run: 2, groups: 1, balanced: 1 }]);
    expect(r.dayCloses.differences).toEqual([]);
    expect(failures(r)).toEqual([]);
  });

  it("explains a platform's row whose 2304 answer a fault lost, which the saga recovered and 5203 adopted", () => {
    const r = reconcile(
      run(closes([completed(1, 1, 0), found(1, 'S1', 'PLATFORM_ONLY'), resolved('S1')]), [settled('S1')]),
    );
    expect(r.dayCloses.differences).toEqual([
      expect.objectContaining({
        setl_id: 'S1',
        kind: 'PLATFORM_ONLY',
        explained:
          '2304 answer lost (timeout-after-apply fault hit), recovered by the saga, adopted after 5203',
      }),
    ]);
    expect(r.dayCloses.byKind).toEqual({ PLATFORM_ONLY: 1 });
    expect(failures(r)).toEqual([]);
    expect(chaosReport(reportOf(r))).toMatch(/explained by the run +1/);
  });

  it('explains a refund row only by a lost 2305 answer', () => {
    const refund = [completed(1, 1, 0), found(1, 'R1', 'PLATFORM_ONLY', '1'), resolved('R1')];
    const recorded = [settled('R1', 'SettlementCancelled')];
    expect(reconcile(run(closes(refund), recorded)).dayCloses.unexplained).toEqual([
      expect.objectContaining({
        setl_id: 'R1',
        refund: true,
        unexplainedBecause: 'no disruption of the run could lose a 2305 answer',
      }),
    ]);
    const lost2305 = reconcile(run(closes(refund, [{ infno: '2305', by: 'settlement killed' }]), recorded));
    expect(lost2305.dayCloses.unexplained).toEqual([]);
  });

  it.each([
    ['still open', [found(1, 'S1', 'PLATFORM_ONLY')], [settled('S1')], [LOST_2304], 'still open'],
    [
      'the saga never recorded it',
      [found(1, 'S1', 'PLATFORM_ONLY'), resolved('S1')],
      [],
      [LOST_2304],
      'the saga never recorded it: nothing of the run asked for it',
    ],
    [
      'no disruption lost a 2304 answer',
      [found(1, 'S1', 'PLATFORM_ONLY'), resolved('S1')],
      [settled('S1')],
      [{ infno: '2301', by: 'timeout-after-apply fault hit' }],
      'no disruption of the run could lose a 2304 answer',
    ],
    [
      'a person explained it',
      [found(1, 'S1', 'PLATFORM_ONLY'), resolved('S1', 'EXPLAINED', 'zhangli')],
      [settled('S1')],
      [LOST_2304],
      'resolved EXPLAINED by zhangli, not adopted after 5203',
    ],
    [
      'a row only we hold, reversed by a person',
      [found(1, 'S1', 'HOSPITAL_ONLY'), resolved('S1', 'REVERSED_LOCALLY', 'zhangli')],
      [settled('S1')],
      [LOST_2304],
      'no fault of the run makes the platform lose a row',
    ],
    [
      'other amounts, adopted by a person',
      [found(1, 'S1', 'AMOUNTS_DIFFER'), resolved('S1', 'ADOPTED', 'zhangli')],
      [settled('S1')],
      [LOST_2304],
      'no fault of the run makes amounts differ',
    ],
  ])('leaves a difference unexplained and fails the run when %s', (_, messages, results, lost, because) => {
    const r = reconcile(run(closes([completed(1, 1, 0), ...messages], lost), results));
    expect(r.dayCloses.unexplained).toEqual([
      expect.objectContaining({ setl_id: 'S1', unexplainedBecause: because }),
    ]);
    const [problem] = failures(r);
    expect(problem).toBe(
      `1 reconciliation difference(s) unexplained: ${differenceName(r.dayCloses.unexplained[0]!)}: ${because}`,
    );
    const report = chaosReport(reportOf(r));
    expect(report).toMatch(/unexplained ✗ +1/);
    expect(report).toContain(`S1 on ${DAY}`);
    expect(report).toContain('verdict: FAIL');
  });

  it('takes the latest resolution of a row found again', () => {
    const d = { kind: 'PLATFORM_ONLY' as const, refund: false, setl_id: 'S1' };
    expect(explanationOf(d, new Set(['S1']), [LOST_2304])).toEqual({ unexplainedBecause: 'still open' });
    const r = judgeDayCloses(
      closes([
        completed(1, 1, 0),
        found(1, 'S1', 'PLATFORM_ONLY'),
        resolved('S1', 'EXPLAINED', 'zhangli'),
        resolved('S1'),
      ]),
      new Set(['S1']),
    );
    expect(r.unexplained).toEqual([]);
  });
});

/** A chaos result around a reconciliation, for the report. */
function reportOf(reconciliation: ReturnType<typeof reconcile>): Parameters<typeof chaosReport>[0] {
  return {
    options: {
      durationMs: 1000,
      beds: 1,
      ratePerSecond: 1,
      seed: 1,
      hostile: 0,
      quiesceMs: 1000,
      clientTimeoutMs: 1000,
      partitions: 1,
      log: () => undefined,
    },
    services: ['settlement', 'reconciliation'],
    timeline: [],
    crashes: [],
    faults: [],
    outages: [],
    quiescent: true,
    quiesceMs: 0,
    reconciliation,
  };
}
