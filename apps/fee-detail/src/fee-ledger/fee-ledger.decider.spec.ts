import { DeciderSpecification } from '@yb/event-store';
import {
  AREA_MISSING,
  FeeDetailLedger,
  FeeLedgerError,
  heldWithOriginal,
  REFUSED_AFTER_CANCELLATION,
  voidedByPerson,
} from './fee-ledger.decider';
import { type FeeLedgerEvent, type HeldFeeLine } from './fee-ledger.events';
import {
  F1,
  F2,
  MSGID,
  admitted,
  answerFor,
  reconciled,
  feeLine,
  reconciliationRequested,
  received,
  settledS1,
  registered,
  started,
  uploaded,
  uploadedVisit,
  CheckedFeeDetailLedger,
} from './fee-ledger.test-kit';
import { nextPlatformStep } from './next-platform-step';

const spec = () => DeciderSpecification.for(CheckedFeeDetailLedger);
/** The policy-range sums of lines whose 2301 answers put everything within the policy (answerFor). */
const policySums = (inscp_scp_amt: string) => ({
  fulamt_ownpay_amt: '0.00',
  overlmt_selfpay: '0.00',
  preselfpay_amt: '0.00',
  inscp_scp_amt,
});
/** The totals agreed at `total` over `line_count` lines answered within the policy (answerFor). */
const agreedTotals = (total: string, line_count: number, resynchronised = false) =>
  reconciled({
    his_sumamt: total,
    platform_sumamt: total,
    line_count,
    agreed: true,
    resynchronised,
    ...policySums(total),
  });
const cancelled: FeeLedgerEvent = { type: 'VisitCancelled', data: {} };

describe('FeeDetailLedger: the visit', () => {
  it('notes the admission med_type once; the same details again change nothing', () => {
    spec()
      .given([])
      .when({ type: 'NoteAdmission', med_type: '21', insuplc_admdvs: '420100' })
      .then([admitted]);
    spec()
      .given([admitted])
      .when({ type: 'NoteAdmission', med_type: '21', insuplc_admdvs: '420100' })
      .then([]);
  });

  const registration = { mdtrt_id: 'MD001', psn_no: 'P001' };

  it('registers the visit once; another mdtrt_id for a registered visit is out of turn', () => {
    spec().given([admitted]).when({ type: 'RegisterVisit', registration }).then([registered]);
    spec().given([admitted, registered]).when({ type: 'RegisterVisit', registration }).then([]);
    spec()
      .given([admitted, registered])
      .when({ type: 'RegisterVisit', registration: { ...registration, mdtrt_id: 'MD002' } })
      .thenThrows(FeeLedgerError);
  });

  it('keeps the area admission registered (a cross-area patient), whatever the HIS named', () => {
    const crossArea = { ...registration, insuplc_admdvs: '110000' };
    spec()
      .given([admitted])
      .when({ type: 'RegisterVisit', registration: crossArea })
      .then([{ type: 'VisitRegistered', data: crossArea }]);
  });

  it('holds the visit for a person when neither admission nor the HIS named the insured area', () => {
    const withoutArea: FeeLedgerEvent = { type: 'AdmissionNoted', data: { med_type: '21' } };
    spec()
      .given([withoutArea])
      .when({ type: 'RegisterVisit', registration })
      .then([registered, { type: 'InsuredAreaMissing', data: { reason: AREA_MISSING } }]);
  });

  it('a cancelled visit refuses its waiting lines and new ones, with the reason', () => {
    const refusal = (feedetl_sn: string): FeeLedgerEvent => ({
      type: 'FeeLinesRefused',
      data: { lines: [{ feedetl_sn, reason: REFUSED_AFTER_CANCELLATION }] },
    });
    spec()
      .given([admitted, received(F1)])
      .when({ type: 'CancelVisit' })
      .then([cancelled, refusal('F1')]);
    spec()
      .given([admitted, registered, cancelled])
      .when({ type: 'ChargeFeeLines', lines: [F2] })
      .then([refusal('F2')]);
    spec().given([cancelled]).when({ type: 'CancelVisit' }).then([]);
  });
});

describe('FeeDetailLedger: charges', () => {
  it('takes new lines, refunds included, in the HIS order', () => {
    const refund = feeLine('F3', '-10.00', { init_feedetl_sn: 'F1', cnt: '-1' });
    spec()
      .given([])
      .when({ type: 'ChargeFeeLines', lines: [F1, refund] })
      .then([received(F1, refund)]);
  });

  it('a line already received with the same content is not taken, hence not uploaded, again', () => {
    spec()
      .given(uploadedVisit)
      .when({ type: 'ChargeFeeLines', lines: [{ ...F1 }, feeLine('F3')] })
      .then([received(feeLine('F3'))]);
  });

  it('a feedetl_sn reused with other content is refused with the reason', () => {
    spec()
      .given([received(F1)])
      .when({ type: 'ChargeFeeLines', lines: [feeLine('F1', '99.00')] })
      .then([
        {
          type: 'FeeLinesRefused',
          data: {
            lines: [
              { feedetl_sn: 'F1', reason: '费用明细流水号[F1]已用于另一条费用明细，不能以不同内容重复使用' },
            ],
          },
        },
      ]);
  });
});

describe('FeeDetailLedger: voids', () => {
  it('a line not yet uploaded is withdrawn; an uploaded one owes a 2302', () => {
    spec()
      .given([...uploadedVisit, received(feeLine('F3'))])
      .when({ type: 'VoidFeeLines', feedetl_sns: ['F3', 'F1'] })
      .then([
        { type: 'FeeLinesWithdrawn', data: { feedetl_sns: ['F3'] } },
        { type: 'FeeLinesVoidRequested', data: { feedetl_sns: ['F1'] } },
      ]);
  });

  it('"0000" voids every line; a line voided twice is voided once; an unknown line is refused', () => {
    spec()
      .given(uploadedVisit)
      .when({ type: 'VoidFeeLines', feedetl_sns: ['0000'] })
      .then([{ type: 'FeeLinesVoidRequested', data: { feedetl_sns: ['F1', 'F2'] } }]);
    spec()
      .given([...uploadedVisit, { type: 'FeeLinesVoidRequested', data: { feedetl_sns: ['F1'] } }])
      .when({ type: 'VoidFeeLines', feedetl_sns: ['F1', 'F9'] })
      .then([
        {
          type: 'FeeLinesRefused',
          data: { lines: [{ feedetl_sn: 'F9', reason: '费用明细流水号[F9]未收到，不能作废' }] },
        },
      ]);
  });

  it('records the 2302 answer only for lines that owe one', () => {
    const voided: FeeLedgerEvent[] = [
      ...uploadedVisit,
      { type: 'FeeLinesVoidRequested', data: { feedetl_sns: ['F1'] } },
    ];
    spec()
      .given(voided)
      .when({ type: 'RecordLinesRevoked', msgid: MSGID, feedetl_sns: ['F1'] })
      .then([{ type: 'FeeLinesRevoked', data: { msgid: MSGID, feedetl_sns: ['F1'] } }]);
    spec()
      .given(voided)
      .when({ type: 'RecordRevocationRejected', msgid: MSGID, feedetl_sns: ['F1'], err_msg: '已结算' })
      .then([
        { type: 'FeeRevocationRejected', data: { msgid: MSGID, feedetl_sns: ['F1'], err_msg: '已结算' } },
      ]);
    spec()
      .given(voided)
      .when({ type: 'RecordLinesRevoked', msgid: MSGID, feedetl_sns: ['F2'] })
      .thenThrows(FeeLedgerError);
  });
});

describe('FeeDetailLedger: batches', () => {
  it('lines wait until the visit is registered, then go in batches of the configured size, in order', () => {
    const lines = [F1, F2, feeLine('F3')];
    spec()
      .given([admitted, received(...lines)])
      .when({ type: 'StartBatch', batch_size: 2 })
      .then([]);
    spec()
      .given([admitted, received(...lines), registered])
      .when({ type: 'StartBatch', batch_size: 2 })
      .then([started(1, 'F1', 'F2')]);
    spec()
      .given([admitted, received(...lines), registered, started(1, 'F1', 'F2'), uploaded(1, F1, F2)])
      .when({ type: 'StartBatch', batch_size: 2 })
      .then([started(2, 'F3')]);
  });

  it('one batch at a time', () => {
    spec()
      .given([admitted, registered, received(F1, F2), started(1, 'F1')])
      .when({ type: 'StartBatch', batch_size: 5 })
      .then([]);
  });

  it('a rejected batch keeps the reason on its lines and does not block the next batch', () => {
    const rejected: FeeLedgerEvent = {
      type: 'FeeBatchRejected',
      data: {
        batch_no: 1,
        feedetl_sns: ['F1'],
        msgid: MSGID,
        infcode: -1,
        err_msg: '明细项目费用总额不等于数量乘以单价',
      },
    };
    spec()
      .given([admitted, registered, received(F1, F2), started(1, 'F1')])
      .when({
        type: 'RecordBatchRejected',
        batch_no: 1,
        msgid: MSGID,
        infcode: -1,
        err_msg: '明细项目费用总额不等于数量乘以单价',
      })
      .then([rejected]);
    spec()
      .given([admitted, registered, received(F1, F2), started(1, 'F1'), rejected])
      .when({ type: 'StartBatch', batch_size: 5 })
      .then([started(2, 'F2')]);
  });

  it('answers are recorded only for the batch in flight', () => {
    spec()
      .given([admitted, registered, received(F1), started(1, 'F1')])
      .when({ type: 'RecordBatchUploaded', batch_no: 2, msgid: MSGID, answers: [] })
      .thenThrows(FeeLedgerError);
  });

  it('an unknown batch is undone line by line, then its lines go up again with a new batch', () => {
    const unknown: FeeLedgerEvent = {
      type: 'FeeBatchOutcomeUnknown',
      data: { batch_no: 1, msgid: MSGID, reason: 'timeout' },
    };
    const given = [admitted, registered, received(F1, F2), started(1, 'F1', 'F2'), unknown];
    spec().given(given).when({ type: 'StartBatch', batch_size: 5 }).then([]);
    spec()
      .given(given)
      .when({ type: 'RecordBatchUndone', batch_no: 1, revoked: ['F1'], absent: [] })
      .thenThrows(/not undone for F2/);
    const undone: FeeLedgerEvent = {
      type: 'FeeBatchUndone',
      data: { batch_no: 1, revoked: ['F1'], absent: [{ feedetl_sn: 'F2', reason: '不存在' }] },
    };
    spec()
      .given(given)
      .when({
        type: 'RecordBatchUndone',
        batch_no: 1,
        revoked: ['F1'],
        absent: [{ feedetl_sn: 'F2', reason: '不存在' }],
      })
      .then([undone]);
    spec()
      .given([...given, undone])
      .when({ type: 'StartBatch', batch_size: 5 })
      .then([started(2, 'F1', 'F2')]);
  });
});

describe('FeeDetailLedger: totals reconciliation', () => {
  it('answers "in agreement" when the uploaded total equals the HIS total', () => {
    spec()
      .given([...uploadedVisit, reconciliationRequested('30.00')])
      .when({ type: 'AnswerReconciliation' })
      .then([agreedTotals('30.00', 2)]);
  });

  it('after 2302 "0000" every line goes up again, and the answer says it was re-synchronised', () => {
    const resynced: FeeLedgerEvent[] = [
      ...uploadedVisit,
      reconciliationRequested('30.00', '10.00'),
      { type: 'AllFeeLinesRevoked', data: { msgid: MSGID } },
    ];
    spec()
      .given(resynced)
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F1', 'F2')]);
    spec()
      .given([...resynced, started(2, 'F1', 'F2'), uploaded(2, F1, F2)])
      .when({ type: 'AnswerReconciliation' })
      .then([agreedTotals('30.00', 2, true)]);
  });

  it('totals that still differ are answered with the reason', () => {
    spec()
      .given([...uploadedVisit, reconciliationRequested('45.50')])
      .when({ type: 'AnswerReconciliation' })
      .then([
        reconciled({
          his_sumamt: '45.50',
          platform_sumamt: '30.00',
          line_count: 2,
          agreed: false,
          resynchronised: false,
          reason: 'HIS费用总额[45.50]与医保平台已上传总额[30.00]不一致',
          ...policySums('30.00'),
        }),
      ]);
  });

  it('2302 "0000" is recorded only for a pending reconciliation, and an answer only when one is pending', () => {
    spec()
      .given(uploadedVisit)
      .when({ type: 'RecordAllLinesRevoked', msgid: MSGID })
      .thenThrows(FeeLedgerError);
    spec().given(uploadedVisit).when({ type: 'AnswerReconciliation' }).thenThrows(FeeLedgerError);
  });

  it('the same request twice is recorded once', () => {
    spec()
      .given([reconciliationRequested('1.00')])
      .when({
        type: 'RequestReconciliation',
        request: { message_id: 'cmd-1', correlation_id: 'corr-1', his_sumamt: '1.00' },
      })
      .then([]);
  });
});

describe('FeeDetailLedger: 2303 policy-range amounts', () => {
  it("are the decimal sums of the covered lines' 2301 answers (overlmt_selfpay from overlmt_amt)", () => {
    const a = feeLine('A', '100.10');
    const b = feeLine('B', '0.20');
    const answered: FeeLedgerEvent = {
      type: 'FeeBatchUploaded',
      data: {
        batch_no: 1,
        msgid: MSGID,
        answers: [
          {
            ...answerFor(a),
            fulamt_ownpay_amt: '0.10',
            overlmt_amt: '3.33',
            preselfpay_amt: '10.01',
            inscp_scp_amt: '86.66',
          },
          {
            ...answerFor(b),
            fulamt_ownpay_amt: '0.20',
            overlmt_amt: '0.00',
            preselfpay_amt: '0.00',
            inscp_scp_amt: '0.00',
          },
        ],
      },
    };
    spec()
      .given([
        admitted,
        registered,
        received(a, b),
        started(1, 'A', 'B'),
        answered,
        reconciliationRequested('100.30'),
      ])
      .when({ type: 'AnswerReconciliation' })
      .then([
        reconciled({
          his_sumamt: '100.30',
          platform_sumamt: '100.30',
          line_count: 2,
          agreed: true,
          resynchronised: false,
          fulamt_ownpay_amt: '0.30',
          overlmt_selfpay: '3.33',
          preselfpay_amt: '10.01',
          inscp_scp_amt: '86.66',
        }),
      ]);
  });

  it("are left out when a covered line's answer is unknown (an unreadable 2301 answer)", () => {
    const unreadable: FeeLedgerEvent = {
      type: 'FeeBatchUploaded',
      data: { batch_no: 1, msgid: MSGID, answers: [], unreadable: ['result'] },
    };
    spec()
      .given([
        admitted,
        registered,
        received(F1),
        started(1, 'F1'),
        unreadable,
        reconciliationRequested('10.00'),
      ])
      .when({ type: 'AnswerReconciliation' })
      .then([
        reconciled({
          his_sumamt: '10.00',
          platform_sumamt: '10.00',
          line_count: 1,
          agreed: true,
          resynchronised: false,
        }),
      ]);
  });
});

describe('FeeDetailLedger: settled lines (中途结算 then 出院结算)', () => {
  const F3 = feeLine('F3', '5.50');
  const agreed = (his_sumamt: string, line_count: number): FeeLedgerEvent =>
    reconciled({
      his_sumamt,
      platform_sumamt: his_sumamt,
      line_count,
      agreed: true,
      resynchronised: false,
    });
  const midWay: FeeLedgerEvent[] = [...uploadedVisit, reconciliationRequested('30.00'), agreed('30.00', 2)];
  const settledMidWay = settledS1();
  const settle = { type: 'SettleLines', setl_id: 'S1', mid_setl_flag: '1', medfee_sumamt: '30' } as const;

  it('2304 marks the lines its totals were agreed on, not a line uploaded after the agreement', () => {
    spec()
      .given([...midWay, received(F3), started(2, 'F3'), uploaded(2, F3)])
      .when(settle)
      .then([settledMidWay]);
  });

  it('the same settlement again marks nothing', () => {
    spec()
      .given([...midWay, settledMidWay])
      .when(settle)
      .then([]);
  });

  it('a sum of marked lines other than the settled total is recorded as it is (a person compares)', () => {
    spec()
      .given(midWay)
      .when({ ...settle, medfee_sumamt: '31.00' })
      .then([{ type: 'FeeLinesSettled', data: { ...settledMidWay.data, medfee_sumamt: '31.00' } }]);
  });

  it("the next settlement's totals and policy sums count only the unsettled lines", () => {
    spec()
      .given([
        ...midWay,
        settledMidWay,
        received(F3),
        started(2, 'F3'),
        uploaded(2, F3),
        reconciliationRequested('5.50'),
      ])
      .when({ type: 'AnswerReconciliation' })
      .then([agreedTotals('5.50', 1)]);
  });

  it('drift repair (2302 "0000") re-uploads only the unsettled lines', () => {
    spec()
      .given([
        ...midWay,
        settledMidWay,
        received(F3),
        started(2, 'F3'),
        uploaded(2, F3),
        reconciliationRequested('5.50', '0.00'),
        { type: 'AllFeeLinesRevoked', data: { msgid: MSGID } },
      ])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(3, 'F3')]);
  });

  it('a settled line cannot be voided: the HIS hears why; "0000" voids only unsettled lines', () => {
    spec()
      .given([...midWay, settledMidWay, received(F3)])
      .when({ type: 'VoidFeeLines', feedetl_sns: ['F1'] })
      .then([
        {
          type: 'FeeLinesRefused',
          data: {
            lines: [
              { feedetl_sn: 'F1', reason: '费用明细[F1]已结算(结算ID S1)，不能作废：先撤销该结算(2305)' },
            ],
          },
        },
      ]);
    spec()
      .given([...midWay, settledMidWay, received(F3)])
      .when({ type: 'VoidFeeLines', feedetl_sns: ['0000'] })
      .then([{ type: 'FeeLinesWithdrawn', data: { feedetl_sns: ['F3'] } }]);
  });

  it("2305 makes the settlement's lines unsettled: the final settlement counts them again", () => {
    const unsettled: FeeLedgerEvent = {
      type: 'FeeLinesUnsettled',
      data: { setl_id: 'S1', feedetl_sns: ['F1', 'F2'] },
    };
    spec()
      .given([...midWay, settledMidWay])
      .when({ type: 'UnsettleLines', setl_id: 'S1' })
      .then([unsettled]);
    spec()
      .given([...midWay, settledMidWay, unsettled])
      .when({ type: 'UnsettleLines', setl_id: 'S1' })
      .then([]);
    spec()
      .given([...midWay, settledMidWay, unsettled, reconciliationRequested('30.00')])
      .when({ type: 'AnswerReconciliation' })
      .then([agreedTotals('30.00', 2)]);
  });
});

describe('FeeDetailLedger: a settlement is cut at the request (lines charged after it wait)', () => {
  const F3 = feeLine('F3', '5.50');
  const F4 = feeLine('F4', '7.00');
  const noted = (request_id: string, through: number, mid_setl_flag = '1'): FeeLedgerEvent => ({
    type: 'SettlementRequestNoted',
    data: { request_id, mid_setl_flag, through },
  });
  const asked = (request_id: string, his_sumamt: string): FeeLedgerEvent => {
    const question = reconciliationRequested(his_sumamt);
    return { ...question, data: { ...question.data, request_id } } as FeeLedgerEvent;
  };
  /** F1 + F2 uploaded, the mid-way request R1, then F3 charged. */
  const requestedThenCharged = [...uploadedVisit, noted('R1', 2), received(F3)];

  it('the request is noted at its place among the charges, once', () => {
    spec()
      .given(uploadedVisit)
      .when({ type: 'NoteSettlementRequest', request_id: 'R1', mid_setl_flag: '1' })
      .then([noted('R1', 2)]);
    spec()
      .given([...uploadedVisit, noted('R1', 2)])
      .when({ type: 'NoteSettlementRequest', request_id: 'R1', mid_setl_flag: '1' })
      .then([]);
  });

  it('a line charged after the request is not uploaded while the request stands', () => {
    spec().given(requestedThenCharged).when({ type: 'StartBatch', batch_size: 50 }).then([]);
  });

  it("the totals count only the lines charged before the request, not the HIS's later ones", () => {
    spec()
      .given([...requestedThenCharged, asked('R1', '30.00')])
      .when({ type: 'AnswerReconciliation' })
      .then([agreedTotals('30.00', 2)]);
  });

  it('the settlement marks the lines before the request; then the later lines go up', () => {
    const agreed = [...requestedThenCharged, asked('R1', '30.00'), agreedTotals('30.00', 2)];
    const settledR1 = settledS1({ request_id: 'R1' });
    spec()
      .given(agreed)
      .when({ type: 'SettleLines', setl_id: 'S1', mid_setl_flag: '1', medfee_sumamt: '30.00' })
      .then([settledR1]);
    spec()
      .given([...agreed, settledR1])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
  });

  it('a line held before the request and released after it counts as charged before it', () => {
    const { med_list_codg: _none, ...heldF3 } = F3;
    spec()
      .given([
        ...uploadedVisit,
        { type: 'FeeLinesHeld', data: { lines: [{ line: heldF3, reason: 'held' }] } },
        noted('R1', 3),
        received(F4),
        { type: 'HeldFeeLinesReleased', data: { lines: [F3] } },
      ])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
  });

  it('a request the settlement service refused holds nothing back', () => {
    spec()
      .given(requestedThenCharged)
      .when({ type: 'DropSettlementRequest', request_id: 'R1' })
      .then([{ type: 'SettlementRequestDropped', data: { request_id: 'R1' } }]);
    spec()
      .given([...requestedThenCharged, { type: 'SettlementRequestDropped', data: { request_id: 'R1' } }])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
    spec().given(requestedThenCharged).when({ type: 'DropSettlementRequest', request_id: '' }).then([]);
  });

  it('asked about a later request, the earlier ones are done: lines up to the later one go up', () => {
    spec()
      .given([...requestedThenCharged, noted('R2', 3, '0'), received(F4), asked('R2', '35.50')])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
  });

  it('a question overtaking its request is cut once the request is noted', () => {
    spec()
      .given([
        ...uploadedVisit,
        noted('R1', 2),
        asked('R2', '35.50'),
        received(F3),
        noted('R2', 3, '0'),
        received(F4),
      ])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
  });

  it('a question naming no request (an older saga) counts every line and holds none back', () => {
    spec()
      .given([...requestedThenCharged, reconciliationRequested('35.50')])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
  });
});

describe('FeeDetailLedger: lines held for their item mapping', () => {
  const HELD_REASON = '院内项目[YP-NEW]尚无已确认的医保目录对照：明细暂挂，在目录对照中确认后自动上传';
  /** F3 as the HIS charged it: its own item code only, no national code. */
  const { med_list_codg: _none, ...F3_CHARGED } = feeLine('F3', '15.00', { medins_list_codg: 'YP-NEW' });
  const F3 = feeLine('F3', '15.00', { medins_list_codg: 'YP-NEW', med_list_codg: 'XNEW000000001' });
  const held = (...lines: { line: typeof F3_CHARGED; reason: string }[]): FeeLedgerEvent => ({
    type: 'FeeLinesHeld',
    data: { lines },
  });
  const heldF3 = held({ line: F3_CHARGED, reason: HELD_REASON });
  const released = (...lines: (typeof F3)[]): FeeLedgerEvent => ({
    type: 'HeldFeeLinesReleased',
    data: { lines },
  });

  it('a line whose item has no mapping is held with its reason, not refused, and does not go up', () => {
    spec()
      .given(uploadedVisit)
      .when({ type: 'ChargeFeeLines', lines: [], held: [{ line: F3_CHARGED, reason: HELD_REASON }] })
      .then([heldF3]);
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([]);
  });

  it('held again with the same content is a redelivery; other content under its feedetl_sn is refused', () => {
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'ChargeFeeLines', lines: [], held: [{ line: { ...F3_CHARGED }, reason: HELD_REASON }] })
      .then([]);
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'ChargeFeeLines', lines: [feeLine('F3', '99.00')] })
      .then([
        {
          type: 'FeeLinesRefused',
          data: {
            lines: [
              { feedetl_sn: 'F3', reason: '费用明细流水号[F3]已用于另一条费用明细，不能以不同内容重复使用' },
            ],
          },
        },
      ]);
    // The refusal is the other charge's: the held line stays held, and is released when mapped.
    const reused: FeeLedgerEvent = {
      type: 'FeeLinesRefused',
      data: { lines: [{ feedetl_sn: 'F3', reason: '费用明细流水号[F3]已用于另一条费用明细' }] },
    };
    spec()
      .given([...uploadedVisit, heldF3, reused])
      .when({ type: 'ReleaseHeldLines', lines: [F3], refusals: [] })
      .then([released(F3)]);
  });

  it('a refund of a held line is held with it, and released only with it', () => {
    const refund = feeLine('F4', '-15.00', {
      medins_list_codg: 'YP-NEW',
      med_list_codg: 'XNEW000000001',
      init_feedetl_sn: 'F3',
      cnt: '-1',
    });
    const heldRefund = held({ line: refund, reason: heldWithOriginal('F4', 'F3') });
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'ChargeFeeLines', lines: [refund] })
      .then([heldRefund]);
    spec()
      .given([...uploadedVisit, heldF3, heldRefund])
      .when({ type: 'ReleaseHeldLines', lines: [refund], refusals: [] })
      .then([]);
    spec()
      .given([...uploadedVisit, heldF3, heldRefund])
      .when({ type: 'ReleaseHeldLines', lines: [F3, refund], refusals: [] })
      .then([released(F3, refund)]);
  });

  it('the mapping releases the held line with its national code; it then goes up with the next batch', () => {
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'ReleaseHeldLines', lines: [F3], refusals: [] })
      .then([released(F3)]);
    spec()
      .given([...uploadedVisit, heldF3, released(F3)])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
    // Released once: another process's (or a redelivered) release of the same line changes nothing.
    spec()
      .given([...uploadedVisit, heldF3, released(F3)])
      .when({ type: 'ReleaseHeldLines', lines: [F3], refusals: [] })
      .then([]);
  });

  it("a held line the mapping's terms refuse (price limit) is refused with the reason when released", () => {
    const reason = '单价15.00超过医保限价10.00（医保目录编码[XNEW000000001]）';
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'ReleaseHeldLines', lines: [], refusals: [{ feedetl_sn: 'F3', reason }] })
      .then([{ type: 'HeldFeeLinesRefused', data: { lines: [{ feedetl_sn: 'F3', reason }] } }]);
    spec()
      .given([
        ...uploadedVisit,
        heldF3,
        { type: 'HeldFeeLinesRefused', data: { lines: [{ feedetl_sn: 'F3', reason }] } },
      ])
      .when({ type: 'ReleaseHeldLines', lines: [F3], refusals: [] })
      .then([]);
  });

  it('a held line voided is withdrawn (also by "0000"); a cancelled visit refuses its held lines', () => {
    const withdrawn: FeeLedgerEvent = { type: 'FeeLinesWithdrawn', data: { feedetl_sns: ['F3'] } };
    spec()
      .given([...uploadedVisit, heldF3])
      .when({ type: 'VoidFeeLines', feedetl_sns: ['F3'] })
      .then([withdrawn]);
    spec()
      .given([...uploadedVisit, heldF3, withdrawn])
      .when({ type: 'ReleaseHeldLines', lines: [F3], refusals: [] })
      .then([]);
    spec()
      .given([admitted, registered, received(F1), heldF3])
      .when({ type: 'VoidFeeLines', feedetl_sns: ['0000'] })
      .then([{ type: 'FeeLinesWithdrawn', data: { feedetl_sns: ['F1', 'F3'] } }]);
    spec()
      .given([admitted, registered, heldF3])
      .when({ type: 'CancelVisit' })
      .then([
        cancelled,
        {
          type: 'HeldFeeLinesRefused',
          data: { lines: [{ feedetl_sn: 'F3', reason: REFUSED_AFTER_CANCELLATION }] },
        },
      ]);
  });

  it('while a line is held the totals are "not in agreement", naming the held line, and nothing is revoked', () => {
    const asked = [...uploadedVisit, heldF3, reconciliationRequested('45.00')];
    expect(
      nextPlatformStep(asked.reduce(CheckedFeeDetailLedger.evolve, FeeDetailLedger.initialState())),
    ).toEqual({
      kind: 'answer-reconciliation',
    });
    spec()
      .given(asked)
      .when({ type: 'AnswerReconciliation' })
      .then([
        reconciled({
          his_sumamt: '45.00',
          platform_sumamt: '30.00',
          line_count: 2,
          agreed: false,
          resynchronised: false,
          reason:
            '1条明细暂挂未上传(院内项目尚无医保目录对照)：F3[YP-NEW]；在目录对照中确认后自动上传，之后再结算；' +
            'HIS费用总额[45.00]与医保平台已上传总额[30.00]不一致',
          ...policySums('30.00'),
        }),
      ]);
  });
});

describe('FeeDetailLedger: a line priced above the limit waits for a person', () => {
  const OVER_LIMIT =
    '单价45.00超过医保限价40.00（医保目录编码[XCEF0000001]）：明细暂挂，待人工决定仍上传或作废';
  const { med_list_codg: _none, ...F3_CHARGED } = feeLine('F3', '45.00', { medins_list_codg: 'YP-CEF' });
  const finding = {
    kind: 'OVER_PRICE_LIMIT' as const,
    med_list_codg: 'XCEF0000001',
    pric: '45.00',
    pric_uplmt_amt: '40.00',
  };
  const overLimitF3: HeldFeeLine = { line: F3_CHARGED, reason: OVER_LIMIT, finding };
  const heldOverLimit: FeeLedgerEvent = { type: 'FeeLinesHeld', data: { lines: [overLimitF3] } };
  const cashier = { username: 'zhangli', role: 'operator' as const };
  const decide = (decision: 'UPLOAD_ANYWAY' | 'VOID', comment: string) => ({
    type: 'DecideHeldLines' as const,
    feedetl_sns: ['F3'],
    decision,
    decided_by: cashier,
    comment,
  });
  const decided = (decision: 'UPLOAD_ANYWAY' | 'VOID', comment: string): FeeLedgerEvent => ({
    type: 'HeldFeeLinesDecided',
    data: { decision, feedetl_sns: ['F3'], decided_by: cashier, comment },
  });

  it('is held with its finding, not refused, and does not go up', () => {
    spec()
      .given(uploadedVisit)
      .when({ type: 'ChargeFeeLines', lines: [], held: [overLimitF3] })
      .then([heldOverLimit]);
    spec()
      .given([...uploadedVisit, heldOverLimit])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([]);
  });

  it('"upload anyway" records who decided and releases it with the finding\'s national code', () => {
    const comment = '患者知情同意，超限价部分自费';
    const F3 = { ...F3_CHARGED, med_list_codg: 'XCEF0000001' };
    spec()
      .given([...uploadedVisit, heldOverLimit])
      .when(decide('UPLOAD_ANYWAY', comment))
      .then([decided('UPLOAD_ANYWAY', comment), { type: 'HeldFeeLinesReleased', data: { lines: [F3] } }]);
    spec()
      .given([
        ...uploadedVisit,
        heldOverLimit,
        decided('UPLOAD_ANYWAY', comment),
        { type: 'HeldFeeLinesReleased', data: { lines: [F3] } },
      ])
      .when({ type: 'StartBatch', batch_size: 50 })
      .then([started(2, 'F3')]);
  });

  it('"void" records who decided and refuses it with the reason; decided once, a second decision is a no-op', () => {
    const refusedF3: FeeLedgerEvent = {
      type: 'HeldFeeLinesRefused',
      data: { lines: [{ feedetl_sn: 'F3', reason: voidedByPerson('zhangli', '重复计费') }] },
    };
    spec()
      .given([...uploadedVisit, heldOverLimit])
      .when(decide('VOID', '重复计费'))
      .then([decided('VOID', '重复计费'), refusedF3]);
    spec()
      .given([...uploadedVisit, heldOverLimit, decided('VOID', '重复计费'), refusedF3])
      .when(decide('UPLOAD_ANYWAY', 'again'))
      .then([]);
  });

  it('a line held for its mapping cannot be uploaded anyway (no national code), only voided', () => {
    const unmapped: FeeLedgerEvent = {
      type: 'FeeLinesHeld',
      data: { lines: [{ line: F3_CHARGED, reason: 'unmapped' }] },
    };
    spec()
      .given([...uploadedVisit, unmapped])
      .when(decide('UPLOAD_ANYWAY', 'no'))
      .thenThrows(FeeLedgerError);
  });

  it('a held line whose mapping arrives above its limit stays held, now with the finding (once)', () => {
    const unmapped: FeeLedgerEvent = {
      type: 'FeeLinesHeld',
      data: { lines: [{ line: F3_CHARGED, reason: 'unmapped' }] },
    };
    const rechecked: FeeLedgerEvent = { type: 'HeldFeeLinesRechecked', data: { lines: [overLimitF3] } };
    spec()
      .given([...uploadedVisit, unmapped])
      .when({ type: 'ReleaseHeldLines', lines: [], refusals: [], held: [overLimitF3] })
      .then([rechecked]);
    spec()
      .given([...uploadedVisit, unmapped, rechecked])
      .when({ type: 'ReleaseHeldLines', lines: [], refusals: [], held: [overLimitF3] })
      .then([]);
    spec()
      .given([...uploadedVisit, unmapped, rechecked])
      .when(decide('UPLOAD_ANYWAY', 'ok'))
      .then([
        decided('UPLOAD_ANYWAY', 'ok'),
        { type: 'HeldFeeLinesReleased', data: { lines: [{ ...F3_CHARGED, med_list_codg: 'XCEF0000001' }] } },
      ]);
  });

  it("keeps 1319's self-pay ratio of a line taken (or released) with it, for the result beside the platform's", () => {
    const F4 = feeLine('F4', '20.00');
    const F5 = feeLine('F5', '20.00');
    spec()
      .given(uploadedVisit)
      .when({ type: 'ChargeFeeLines', lines: [F4, F5], selfpay_props: { F4: '0.1', F9: '0.2' } })
      .then([{ type: 'FeeLinesReceived', data: { lines: [F4, F5], selfpay_props: { F4: '0.1' } } }]);
    const F3 = { ...F3_CHARGED, med_list_codg: 'XCEF0000001' };
    spec()
      .given([...uploadedVisit, heldOverLimit])
      .when({ type: 'ReleaseHeldLines', lines: [F3], refusals: [], selfpay_props: { F3: '0.1' } })
      .then([{ type: 'HeldFeeLinesReleased', data: { lines: [F3], selfpay_props: { F3: '0.1' } } }]);
    const state = [...uploadedVisit, received(F4, F5)].reduce(
      CheckedFeeDetailLedger.evolve,
      FeeDetailLedger.initialState(),
    );
    expect(state.lines.get('F4')?.catalogue_selfpay_prop).toBeUndefined();
    const withRatio = [
      ...uploadedVisit,
      { type: 'FeeLinesReceived', data: { lines: [F4, F5], selfpay_props: { F4: '0.1' } } } as FeeLedgerEvent,
    ].reduce(CheckedFeeDetailLedger.evolve, FeeDetailLedger.initialState());
    expect(['F4', 'F5'].map((sn) => withRatio.lines.get(sn)?.catalogue_selfpay_prop)).toEqual([
      '0.1',
      undefined,
    ]);
  });

  it('names the line waiting for a decision in the totals answer', () => {
    spec()
      .given([...uploadedVisit, heldOverLimit, reconciliationRequested('75.00')])
      .when({ type: 'AnswerReconciliation' })
      .then([
        reconciled({
          his_sumamt: '75.00',
          platform_sumamt: '30.00',
          line_count: 2,
          agreed: false,
          resynchronised: false,
          reason:
            '1条明细单价超过医保限价，暂挂待人工决定(仍上传或作废)：F3[YP-CEF]，之后再结算；' +
            'HIS费用总额[75.00]与医保平台已上传总额[30.00]不一致',
          ...policySums('30.00'),
        }),
      ]);
  });
});

describe('FeeDetailLedger: one shape for every line', () => {
  it('a line has the same fields in the same order whatever happened to it (cached lines share a hidden class)', () => {
    const F3 = feeLine('F3', '5.00');
    const F4 = feeLine('F4', '7.00');
    const F5 = feeLine('F5', '9.00');
    const stay: FeeLedgerEvent[] = [
      ...uploadedVisit,
      settledS1(),
      received(F3, F4, F5),
      started(2, 'F3'),
      {
        type: 'FeeBatchRejected',
        data: { batch_no: 2, feedetl_sns: ['F3'], msgid: MSGID, infcode: -1, err_msg: '项目不存在' },
      },
      started(3, 'F4'),
      uploaded(3, F4),
      { type: 'FeeLinesVoidRequested', data: { feedetl_sns: ['F4'] } },
      { type: 'FeeLinesRevoked', data: { msgid: MSGID, feedetl_sns: ['F4'] } },
    ];
    const state = stay.reduce(FeeDetailLedger.evolve, FeeDetailLedger.initialState());
    const shapes = new Set([...state.lines.values()].map((l) => Object.keys(l).join(',')));
    expect([...state.lines.values()].map((l) => l.status)).toEqual([
      'uploaded',
      'uploaded',
      'rejected',
      'revoked',
      'waiting',
    ]);
    expect(state.lines.get('F1')?.setl_id).toBe('S1');
    expect([...shapes]).toEqual([
      'line,status,voidRequested,charge_no,answer,rejection,batch_no,setl_id,catalogue_selfpay_prop',
    ]);
  });
});
