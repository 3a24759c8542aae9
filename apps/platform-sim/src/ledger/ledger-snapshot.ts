import { activeFeeLines, sumOf } from './visit-queries';
import type {
  FeeLine,
  ItemMapping,
  LedgerState,
  Registration,
  Reversal,
  ReportUpload,
  Settlement,
} from './ledger-state';

/**
 * What the admin API shows of the ledger: what was actually applied, with msgids, amounts as decimal strings.
 * Persons are not listed (their identifiers stay out of anything a test or log prints).
 */
export interface LedgerSnapshot {
  readonly registrations: RegistrationView[];
  readonly feeLines: FeeLineView[];
  readonly settlements: SettlementView[];
  readonly reversals: Reversal[];
  readonly reports: ReportUpload[];
  readonly signIns: { sign_no: string; opter_no: string; sign_time: string; signed_out: boolean }[];
  readonly messages: {
    msgid: string;
    infno: string;
    at: string;
    insuplc_admdvs?: string;
    infcode: number;
    err_msg?: string;
  }[];
  /** The hospital's item mappings the platform holds (3301, less those withdrawn by 3302). */
  readonly itemMappings: ItemMapping[];
}

export interface VisitSnapshot {
  readonly registration: RegistrationView;
  readonly feeLines: FeeLineView[];
  readonly settlements: SettlementView[];
  /** Sum of the visit's active (uploaded, not revoked) fee lines. */
  readonly uploadedTotal: string;
}

export type RegistrationView = Registration;

export interface FeeLineView {
  feedetl_sn: string;
  init_feedetl_sn?: string;
  mdtrt_id: string;
  med_list_codg: string;
  cnt: string;
  pric: string;
  det_item_fee_sumamt: string;
  chrgitm_lv: string;
  msgid: string;
  status: FeeLine['status'];
  revokedByMsgid?: string;
  setl_id?: string;
}

export interface SettlementView {
  setl_id: string;
  mdtrt_id: string;
  msgid: string;
  mid_setl_flag: string;
  setl_time: string;
  insutype: string;
  medfee_sumamt: string;
  act_pay_dedc: string;
  hifp_pay: string;
  fund_pay_sumamt: string;
  psn_part_amt: string;
  acct_pay: string;
  psn_cash_pay: string;
  hosp_part_amt: string;
  status: Settlement['status'];
  cancelMsgid?: string;
  cancelSetlId?: string;
  reversalMsgid?: string;
}

const feeLineView = (l: FeeLine): FeeLineView => ({
  feedetl_sn: l.feedetl_sn,
  init_feedetl_sn: l.init_feedetl_sn,
  mdtrt_id: l.mdtrt_id,
  med_list_codg: l.med_list_codg,
  cnt: l.cnt.toString(),
  pric: l.pric.toString(),
  det_item_fee_sumamt: l.det_item_fee_sumamt.toFixed(2),
  chrgitm_lv: l.chrgitm_lv,
  msgid: l.msgid,
  status: l.status,
  revokedByMsgid: l.revokedByMsgid,
  setl_id: l.setl_id,
});

const settlementView = (s: Settlement): SettlementView => ({
  setl_id: s.setl_id,
  mdtrt_id: s.mdtrt_id,
  msgid: s.msgid,
  mid_setl_flag: s.mid_setl_flag,
  setl_time: s.setl_time,
  insutype: s.insutype,
  medfee_sumamt: s.medfee_sumamt.toFixed(2),
  act_pay_dedc: s.act_pay_dedc.toFixed(2),
  hifp_pay: s.hifp_pay.toFixed(2),
  fund_pay_sumamt: s.fund_pay_sumamt.toFixed(2),
  psn_part_amt: s.psn_part_amt.toFixed(2),
  acct_pay: s.acct_pay.toFixed(2),
  psn_cash_pay: s.psn_cash_pay.toFixed(2),
  hosp_part_amt: s.hosp_part_amt.toFixed(2),
  status: s.status,
  cancelMsgid: s.cancelMsgid,
  cancelSetlId: s.cancelSetlId,
  reversalMsgid: s.reversalMsgid,
});

const registrationView = (r: Registration): RegistrationView => ({
  ...r,
  history: r.history.map((h) => ({ ...h })),
  specialAttributes: [...r.specialAttributes],
  maternity: { ...r.maternity },
  diagnoses: [...r.diagnoses],
});

export function ledgerSnapshot(state: LedgerState): LedgerSnapshot {
  return {
    registrations: [...state.registrations.values()].map(registrationView),
    feeLines: state.feeLines.map(feeLineView),
    settlements: [...state.settlements.values()].map(settlementView),
    reversals: [...state.reversals],
    reports: [...state.reports],
    signIns: [...state.signIns.values()].map((s) => ({
      sign_no: s.sign_no,
      opter_no: s.opter_no,
      sign_time: s.sign_time,
      signed_out: s.signedOutAt !== undefined,
    })),
    messages: [...state.messages.values()].map((m) => ({ ...m })),
    itemMappings: [...state.itemMappings.values()],
  };
}

export function visitSnapshot(state: LedgerState, mdtrt_id: string): VisitSnapshot | undefined {
  const registration = state.registrations.get(mdtrt_id);
  if (!registration) return undefined;
  const lines = state.feeLines.filter((l) => l.mdtrt_id === mdtrt_id);
  const uploaded = sumOf(activeFeeLines(state, mdtrt_id), (l) => l.det_item_fee_sumamt);
  return {
    registration: registrationView(registration),
    feeLines: lines.map(feeLineView),
    settlements: [...state.settlements.values()].filter((s) => s.mdtrt_id === mdtrt_id).map(settlementView),
    uploadedTotal: uploaded.toFixed(2),
  };
}
