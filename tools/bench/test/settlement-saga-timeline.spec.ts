import { breakDown, PublishedRecords, type TimelinePoint } from '../src/settlement-saga-timeline';

describe("the settlement saga's breakdown by hop", () => {
  const window = { ipt_no: 'ZY1', startMs: 1_000, endMs: 1_100 };
  const points: TimelinePoint[] = [
    { atMs: 990, label: 'before the request' },
    { atMs: 1_010, label: 'settlement recorded StepStarted' },
    { atMs: 1_015, label: 'settlement 2303 journaled', call: 'sent' },
    { atMs: 1_045, label: 'settlement 2303 answered', call: 'answered' },
    { atMs: 1_050, label: 'settlement recorded StepAnswered' },
    { atMs: 1_150, label: 'after the terminal report' },
  ];

  it("lists the window's consecutive points as hops, in order, and leaves the platform's time out of the overhead", () => {
    const { hops, overheadMs, platformMs } = breakDown([window], () => points);
    expect(hops.map((h) => [h.label, h.samplesMs, h.platform])).toEqual([
      ['bench publishes SettlementRequested → settlement recorded StepStarted', [10], false],
      ['settlement recorded StepStarted → settlement 2303 journaled', [5], false],
      ['settlement 2303 journaled → settlement 2303 answered', [30], true],
      ['settlement 2303 answered → settlement recorded StepAnswered', [5], false],
      ['settlement recorded StepAnswered → terminal SettlementSagaProgressed published', [50], false],
    ]);
    expect(platformMs).toEqual([30]);
    expect(overheadMs).toEqual([70]);
  });

  it("gathers a hop's samples across visits", () => {
    const other = { ipt_no: 'ZY2', startMs: 2_000, endMs: 2_100 };
    const shifted = points.map((p) => ({ ...p, atMs: p.atMs + 1_000 + (p.call === 'answered' ? 3 : 0) }));
    const { hops, overheadMs } = breakDown([window, other], (ipt_no) =>
      ipt_no === 'ZY1' ? points : shifted,
    );
    expect(hops.find((h) => h.platform)?.samplesMs).toEqual([30, 33]);
    expect(overheadMs).toEqual([70, 67]);
  });

  it("leaves settlement's progress reports out of the published records", () => {
    const records = new PublishedRecords('run.');
    records.note('ZY1', 'run.insurance.inpatient', 'SettlementSagaProgressed', 1_020);
    records.note('ZY1', 'run.insurance.commands.quality', 'AuditSettlement', 1_021);
    expect(records.of('ZY1')).toEqual([
      { atMs: 1_021, label: 'AuditSettlement published on insurance.commands.quality' },
    ]);
  });
});
