import { FeeDetailLedger } from './fee-ledger.decider';
import { type FeeLedgerEvent } from './fee-ledger.events';
import {
  F1,
  F2,
  MSGID,
  admitted,
  feeLine,
  reconciliationRequested,
  received,
  registered,
  started,
  uploadedVisit,
  CheckedFeeDetailLedger,
} from './fee-ledger.test-kit';
import { nextPlatformStep, platformWorkDelay } from './next-platform-step';

const stepAfter = (events: FeeLedgerEvent[]) =>
  nextPlatformStep(events.reduce(CheckedFeeDetailLedger.evolve, FeeDetailLedger.initialState()));

describe('nextPlatformStep', () => {
  it('nothing while the visit is not registered, then an upload', () => {
    expect(stepAfter([admitted, received(F1)])).toBeNull();
    expect(stepAfter([admitted, received(F1), registered])).toEqual({ kind: 'upload-batch' });
    expect(stepAfter(uploadedVisit)).toBeNull();
  });

  it('lines wait while the insured area is unknown, and go up once the HIS names it', () => {
    const withoutArea: FeeLedgerEvent = { type: 'AdmissionNoted', data: { med_type: '21' } };
    const held = [withoutArea, received(F1), registered];
    expect(stepAfter(held)).toBeNull();
    expect(stepAfter([...held, admitted])).toEqual({ kind: 'upload-batch' });
    const registeredInArea: FeeLedgerEvent = {
      type: 'VisitRegistered',
      data: { mdtrt_id: 'MD001', psn_no: 'P001', insuplc_admdvs: '110000' },
    };
    expect(stepAfter([withoutArea, received(F1), registeredInArea])).toEqual({ kind: 'upload-batch' });
  });

  it('a batch found in flight is undone first', () => {
    expect(stepAfter([admitted, registered, received(F1, F2), started(1, 'F1')])).toEqual({
      kind: 'undo-batch',
      batch: { batch_no: 1, feedetl_sns: ['F1'] },
    });
  });

  it('voided lines are revoked, refund lines before the lines they refund', () => {
    const refund = feeLine('F3', '-10.00', { init_feedetl_sn: 'F1', cnt: '-1' });
    const events: FeeLedgerEvent[] = [
      ...uploadedVisit,
      received(refund),
      started(2, 'F3'),
      { type: 'FeeBatchUploaded', data: { batch_no: 2, msgid: MSGID, answers: [] } },
      { type: 'FeeLinesVoidRequested', data: { feedetl_sns: ['F1', 'F3'] } },
    ];
    expect(stepAfter(events)).toEqual({ kind: 'revoke-lines', feedetl_sns: ['F3', 'F1'] });
  });

  it('a reconciliation whose totals agree is answered; a drift first revokes everything, once', () => {
    expect(stepAfter([...uploadedVisit, reconciliationRequested('30.00')])).toEqual({
      kind: 'answer-reconciliation',
    });
    expect(stepAfter([...uploadedVisit, reconciliationRequested('30.00', '20.00')])).toEqual({
      kind: 'revoke-all',
    });
    expect(stepAfter([...uploadedVisit, reconciliationRequested('31.00')])).toEqual({ kind: 'revoke-all' });
    const resynced: FeeLedgerEvent[] = [
      ...uploadedVisit,
      reconciliationRequested('31.00'),
      { type: 'AllFeeLinesRevoked', data: { msgid: MSGID } },
    ];
    expect(stepAfter(resynced)).toEqual({ kind: 'upload-batch' });
    expect(
      stepAfter([
        ...resynced,
        started(2, 'F1', 'F2'),
        { type: 'FeeBatchUploaded', data: { batch_no: 2, msgid: MSGID, answers: [] } },
      ]),
    ).toEqual({ kind: 'answer-reconciliation' });
  });

  it('an unregistered visit answers the reconciliation at once', () => {
    expect(stepAfter([received(F1), reconciliationRequested('10.00')])).toEqual({
      kind: 'answer-reconciliation',
    });
  });
});

describe('platformWorkDelay', () => {
  const stateAfter = (events: FeeLedgerEvent[]) =>
    events.reduce(CheckedFeeDetailLedger.evolve, FeeDetailLedger.initialState());
  const policy = { batchSize: 2, coalesceMs: 50 };

  it('nothing owed: no work to schedule', () => {
    expect(platformWorkDelay(stateAfter([admitted, received(F1)]), policy)).toBeNull();
    expect(platformWorkDelay(stateAfter(uploadedVisit), policy)).toBeNull();
  });

  it("less than a batch waits for more of the visit's lines; a full batch goes at once", () => {
    expect(platformWorkDelay(stateAfter([admitted, registered, received(F1)]), policy)).toBe(50);
    expect(platformWorkDelay(stateAfter([admitted, registered, received(F1, F2)]), policy)).toBe(0);
  });

  it('less than a batch goes at once when the uploader is idle: waiting would only add latency', () => {
    expect(platformWorkDelay(stateAfter([admitted, registered, received(F1)]), policy, true)).toBe(0);
    expect(platformWorkDelay(stateAfter([admitted, received(F1)]), policy, true)).toBeNull();
  });

  it('the totals a settlement waits for, and an undo, go at once', () => {
    const asked = [admitted, registered, received(F1), reconciliationRequested('12.30')];
    expect(platformWorkDelay(stateAfter(asked), policy)).toBe(0);
    const inFlight = [admitted, registered, received(F1, F2), started(1, 'F1')];
    expect(platformWorkDelay(stateAfter(inFlight), policy)).toBe(0);
  });
});
