import { deepStrictEqual } from 'node:assert/strict';
import { FeeDetailLedger } from './fee-ledger.decider';
import {
  type FeeLedgerEvent,
  type FeeLedgerEventOf,
  type HisFeeLine,
  type PlatformLineAnswer,
} from './fee-ledger.events';
import { type FeeLedgerState, linesInOrder } from './fee-ledger.state';

// Lines, answers and events for the ledger's given/when/then tests.

/**
 * The ledger's decider, checking after every event it folds — given, and decided — that the state's indexes of
 * owed work (`waiting`, `revocationsOwed`) say what a scan of the stay's lines says.
 */
export const CheckedFeeDetailLedger: typeof FeeDetailLedger = {
  initialState: FeeDetailLedger.initialState,
  evolve: (state, event) => indexesChecked(FeeDetailLedger.evolve(state, event), event),
  decide: (command, state) => {
    const events = FeeDetailLedger.decide(command, state);
    events.reduce(CheckedFeeDetailLedger.evolve, state);
    return events;
  },
};

function indexesChecked(state: FeeLedgerState, after: FeeLedgerEvent): FeeLedgerState {
  deepStrictEqual(
    { waiting: state.waiting, revocationsOwed: state.revocationsOwed },
    {
      waiting: linesInOrder(state, 'waiting').map((l) => l.line.feedetl_sn),
      revocationsOwed: linesInOrder(state, 'uploaded').filter((l) => l.voidRequested).length,
    },
    `the ledger's indexes disagree with its lines after ${after.type}`,
  );
  return state;
}

export const MSGID = 'H42010200123202405011000000001';

export function feeLine(
  feedetl_sn: string,
  det_item_fee_sumamt = '10.00',
  extra: Partial<HisFeeLine> = {},
): HisFeeLine {
  return {
    feedetl_sn,
    fee_ocur_time: '2024-05-01 10:00:00',
    med_list_codg: 'XJ01CAA040A001010101445',
    medins_list_codg: 'YP0001',
    det_item_fee_sumamt,
    cnt: '1',
    pric: det_item_fee_sumamt.replace('-', ''),
    bilg_dept_codg: 'A03.01',
    bilg_dept_name: '呼吸内科',
    bilg_dr_codg: 'D0012',
    bilg_dr_name: '王医生',
    ...extra,
  };
}

export function answerFor(line: HisFeeLine): PlatformLineAnswer {
  return {
    feedetl_sn: line.feedetl_sn,
    det_item_fee_sumamt: line.det_item_fee_sumamt,
    cnt: line.cnt,
    pric: line.pric,
    selfpay_prop: '0',
    fulamt_ownpay_amt: '0.00',
    overlmt_amt: '0.00',
    preselfpay_amt: '0.00',
    inscp_scp_amt: line.det_item_fee_sumamt,
    chrgitm_lv: '01',
    med_chrgitm_type: '09',
  };
}

export const admitted: FeeLedgerEvent = {
  type: 'AdmissionNoted',
  data: { med_type: '21', insuplc_admdvs: '420100' },
};
export const registered: FeeLedgerEvent = {
  type: 'VisitRegistered',
  data: { mdtrt_id: 'MD001', psn_no: 'P001' },
};
export const received = (...lines: HisFeeLine[]): FeeLedgerEvent => ({
  type: 'FeeLinesReceived',
  data: { lines },
});
export const started = (batch_no: number, ...feedetl_sns: string[]): FeeLedgerEvent => ({
  type: 'FeeBatchUploadStarted',
  data: { batch_no, feedetl_sns },
});
export const uploaded = (batch_no: number, ...lines: HisFeeLine[]): FeeLedgerEvent => ({
  type: 'FeeBatchUploaded',
  data: { batch_no, msgid: MSGID, answers: lines.map(answerFor) },
});
export const reconciliationRequested = (his_sumamt: string, platform_sumamt?: string): FeeLedgerEvent => ({
  type: 'ReconciliationRequested',
  data: {
    message_id: 'cmd-1',
    correlation_id: 'corr-1',
    his_sumamt,
    ...(platform_sumamt && { platform_sumamt }),
  },
});

/** The answer to reconciliationRequested's question (cmd-1). */
export const reconciled = (
  data: Omit<FeeLedgerEventOf<'FeeTotalsReconciled'>['data'], 'message_id' | 'correlation_id'>,
): FeeLedgerEvent => ({
  type: 'FeeTotalsReconciled',
  data: { message_id: 'cmd-1', correlation_id: 'corr-1', ...data },
});

/** A registered visit with F1 (10.00) and F2 (20.00) uploaded in batch 1. */
export const F1 = feeLine('F1', '10.00');
export const F2 = feeLine('F2', '20.00');
export const uploadedVisit: FeeLedgerEvent[] = [
  admitted,
  registered,
  received(F1, F2),
  started(1, 'F1', 'F2'),
  uploaded(1, F1, F2),
];

/** Settlement S1 (mid-way) covering F1 and F2 of uploadedVisit, as fee-detail records it. */
export const settledS1 = (
  extra: { request_id?: string } = {},
): Extract<FeeLedgerEvent, { type: 'FeeLinesSettled' }> => ({
  type: 'FeeLinesSettled',
  data: {
    setl_id: 'S1',
    mid_setl_flag: '1',
    feedetl_sns: ['F1', 'F2'],
    medfee_sumamt: '30.00',
    lines_sumamt: '30.00',
    ...extra,
  },
});
