import { reconcileDeliveries, type SentRecord } from './delivery-reconciliation';

const sent: SentRecord[] = [
  { id: 'a1', key: 'A', seq: 1 },
  { id: 'a2', key: 'A', seq: 2 },
  { id: 'b1', key: 'B', seq: 1 },
];

describe('reconcileDeliveries', () => {
  it('passes a run where every record was delivered once, in order per key', () => {
    const report = reconcileDeliveries(sent, [sent[0], sent[2], sent[1]], 3);
    expect(report).toMatchObject({ ok: true, lost: [], redelivered: 0, duplicatedInLog: 0, outOfOrder: [] });
  });

  it('allows a redelivery (at-least-once) but counts it', () => {
    const report = reconcileDeliveries(sent, [sent[0], sent[1], sent[0], sent[1], sent[2]], 3);
    expect(report).toMatchObject({ ok: true, redelivered: 2 });
  });

  it('fails on a seeded loss', () => {
    const report = reconcileDeliveries(sent, [sent[0], sent[2]], 3);
    expect(report.ok).toBe(false);
    expect(report.lost).toEqual(['a2']);
  });

  it('fails when the log holds a record twice', () => {
    const report = reconcileDeliveries(sent, sent, 4);
    expect(report.ok).toBe(false);
    expect(report.duplicatedInLog).toBe(1);
  });

  it("fails when a key's records are first delivered out of order", () => {
    const report = reconcileDeliveries(sent, [sent[1], sent[0], sent[2]], 3);
    expect(report.ok).toBe(false);
    expect(report.outOfOrder).toEqual([{ key: 'A', after: 2, got: 1 }]);
  });

  it('fails on a delivery nobody sent', () => {
    const report = reconcileDeliveries(sent, [...sent, { id: 'x', key: 'A', seq: 9 }], 3);
    expect(report.ok).toBe(false);
    expect(report.unexpected).toEqual(['x']);
  });
});
