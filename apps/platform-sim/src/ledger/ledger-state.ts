import type Decimal from 'decimal.js';
import type { JsonObject } from './input-fields';
import type { InsuredPerson } from './insured-persons';

/** One transaction as the ledger receives it: the envelope fields the rules need, and the decrypted input. */
export interface LedgerRequest {
  readonly infno: string;
  readonly msgid: string;
  readonly input: JsonObject;
  readonly mdtrtarea_admvs: string;
  readonly insuplc_admdvs?: string;
  readonly fixmedins_code: string;
  readonly fixmedins_name: string;
  readonly sign_no?: string;
}

export type VisitStatus = 'admitted' | 'discharged' | 'settled' | 'cancelled' | 'reversed';

export interface Registration {
  readonly mdtrt_id: string;
  readonly psn_no: string;
  readonly insutype: string;
  med_type: string;
  ipt_no: string;
  begntime: string;
  adm_dept_codg: string;
  dscg_maindiag_code: string;
  readonly msgid: string;
  status: VisitStatus;
  endtime?: string;
  dscg_way?: string;
  /** The stay's 生育 / 计划生育 fields as 2401, 2403 and 2402 last gave them (matn_type, geso_val …). */
  readonly maternity: Record<string, string>;
  /** msgids of the transactions that changed this visit after 2401 (2402/2403/2404/2405/2601), in order. */
  readonly history: { infno: string; msgid: string; at: string }[];
  readonly specialAttributes: SpecialAttribute[];
  /** The diagnoses as 2401 / 2403 (admission, inout_diag_type 1) and 2402 (discharge, 2) last gave them: 5202. */
  diagnoses: RecordedDiagnosis[];
}

/** A diagnosis of a visit as the platform keeps it (5202's row without the visit's keys). */
export interface RecordedDiagnosis {
  /** 出入院诊断类别: 1 入院, 2 出院. */
  readonly inout_diag_type: '1' | '2';
  /** The diagnosis's fields as sent (diag_type, maindiag_flag, diag_srt_no, diag_code, diag_name …). */
  readonly fields: Readonly<Record<string, string>>;
}

export interface SpecialAttribute {
  readonly ipt_psn_sp_flag_detl_id: string;
  readonly ipt_psn_sp_flag_type: string;
  readonly ipt_psn_sp_flag: string;
  readonly memo?: string;
  readonly msgid: string;
}

export interface FeeLine {
  readonly feedetl_sn: string;
  readonly init_feedetl_sn?: string;
  readonly mdtrt_id: string;
  readonly psn_no: string;
  readonly med_list_codg: string;
  readonly medins_list_codg: string;
  readonly fee_ocur_time: string;
  readonly cnt: Decimal;
  readonly pric: Decimal;
  readonly det_item_fee_sumamt: Decimal;
  readonly fulamt_ownpay_amt: Decimal;
  readonly overlmt_amt: Decimal;
  readonly preselfpay_amt: Decimal;
  readonly inscp_scp_amt: Decimal;
  readonly chrgitm_lv: string;
  readonly msgid: string;
  status: 'uploaded' | 'revoked';
  revokedByMsgid?: string;
  /** The settlement that covered this line (a mid-way or discharge 2304), while that settlement stands. */
  setl_id?: string;
}

export type SettlementStatus = 'settled' | 'cancelled' | 'reversed';

export interface Settlement {
  readonly setl_id: string;
  readonly mdtrt_id: string;
  readonly psn_no: string;
  /** The 2304 request msgid, echoed as medins_setl_id. */
  readonly msgid: string;
  readonly mid_setl_flag: string;
  readonly setl_time: string;
  readonly insutype: string;
  readonly medfee_sumamt: Decimal;
  /** 实际支付起付线: the deductible this settlement took (the person's yearly total adds it up). */
  readonly act_pay_dedc: Decimal;
  /** 统筹基金支出: what the basic pool paid (the year's cap counts it). */
  readonly hifp_pay: Decimal;
  readonly fund_pay_sumamt: Decimal;
  readonly psn_part_amt: Decimal;
  readonly acct_pay: Decimal;
  readonly psn_cash_pay: Decimal;
  readonly hosp_part_amt: Decimal;
  readonly feedetl_sns: readonly string[];
  /** The setlinfo/setldetail answered to 2304, kept so 2305 can answer the same amounts negated. */
  readonly output: JsonObject;
  /** Visit status before a discharge settlement closed it, restored when the settlement is undone. */
  readonly visitStatusBefore: VisitStatus;
  status: SettlementStatus;
  cancelMsgid?: string;
  /** The setl_id the platform gives the 2305 refund record. */
  cancelSetlId?: string;
  /** When the 2305 refund was made: the refund row's day in 3201/3202. */
  cancelSetlTime?: string;
  reversalMsgid?: string;
}

export interface Reversal {
  readonly msgid: string;
  readonly omsgid: string;
  readonly oinfno: string;
  readonly psn_no: string;
  readonly at: string;
}

export interface SignIn {
  readonly sign_no: string;
  readonly opter_no: string;
  readonly sign_time: string;
  signedOutAt?: string;
}

export interface ReportUpload {
  readonly infno: string;
  readonly msgid: string;
  /** mdtrt_sn for 4401/4402/450x, setl_id for 4101A. */
  readonly key: string;
  readonly mdtrt_id?: string;
  /** 1 stands, 0 voided (4401/450x vali_flag 0) or withdrawn (a 4101A by 4102). */
  readonly vali_flag: string;
  readonly setl_list_id?: string;
  /** 4101A: 0 未提交, 1 已提交 (as uploaded, or as 4102 changed it). */
  readonly stas_type?: string;
  /** 4101A: the 4102 that withdrew it. */
  readonly withdrawnByMsgid?: string;
  readonly at: string;
}

/** A transaction that changed state and can be named by a later 2601 (omsgid). */
export interface AppliedTransaction {
  readonly msgid: string;
  readonly infno: string;
  readonly psn_no?: string;
  readonly mdtrt_id?: string;
  readonly setl_id?: string;
}

export interface MessageLogEntry {
  readonly msgid: string;
  readonly infno: string;
  readonly at: string;
  /** The envelope's 参保地医保区划, when given. */
  readonly insuplc_admdvs?: string;
  infcode: 0 | -1;
  err_msg?: string;
}

export interface LedgerState {
  readonly persons: Map<string, InsuredPerson>;
  readonly balances: Map<string, Decimal>;
  readonly signIns: Map<string, SignIn>;
  readonly registrations: Map<string, Registration>;
  readonly feeLines: FeeLineBook;
  readonly settlements: Map<string, Settlement>;
  readonly reversals: Reversal[];
  readonly reports: ReportUpload[];
  readonly applied: Map<string, AppliedTransaction>;
  /** The hospital's items mapped to national codes (3301), by fixmedins_code + item id + list_type. */
  readonly itemMappings: Map<string, ItemMapping>;
  readonly messages: Map<string, MessageLogEntry>;
  /** Files uploaded with 9101 and result files made by 3202, by file_qury_no (downloaded with 9102). */
  readonly files: Map<string, StoredFile>;
  /** 3203 / 3202A / 1608 clearing applications by clr_appy_evt_id. */
  readonly clearings: Map<string, ClearingApplication>;
  /**
   * The hospital's reconciliation of each day: the last 3201 per fixmedins_code|clr_type|setl_optins|day|insutype
   * and the last 3202 (…|day|details), for Hubei's clearing applications.
   */
  readonly statementChecks: Map<string, { readonly balanced: boolean; readonly at: string }>;
}

export interface ClearingApplication {
  readonly clr_appy_evt_id: string;
  readonly fixmedins_code: string;
  readonly clr_type: string;
  readonly setlym: string;
  /** The agency of a 3202A / 1608 application (none for 3203, which covers every agency). */
  readonly clr_optins: string | undefined;
  readonly msgid: string;
  /** `yyyy-MM-dd HH:mm:ss`: the agency takes it up (受理) from the next day on, when it can no longer be withdrawn. */
  readonly applied_at: string;
  /** The period and what the hospital declared (its count and sums), as the agency holds them (3205A). */
  readonly begndate: string;
  readonly enddate: string;
  readonly declared: Readonly<
    Record<'psntime' | 'medfee_sumamt' | 'med_sumfee' | 'fund_appy_sum' | 'cash_payamt' | 'acct_pay', string>
  >;
  status: 'applied' | 'withdrawn';
}

export interface StoredFile {
  readonly file_qury_no: string;
  readonly filename: string;
  /** The owner's fixmedins_code: only it may download the file. */
  readonly fixmedins_code: string;
  readonly bytes: Uint8Array;
  readonly dld_endtime: string;
}

/**
 * Every fee line in upload order, indexed by visit: the rules look a visit's lines up per uploaded line, and a
 * scan of all lines each time made the books' replay at start (and a long-running sandbox) quadratic.
 */
export class FeeLineBook {
  private readonly lines: FeeLine[] = [];
  private readonly byVisit = new Map<string, FeeLine[]>();

  push(...lines: FeeLine[]): void {
    for (const line of lines) {
      this.lines.push(line);
      const ofVisit = this.byVisit.get(line.mdtrt_id);
      if (ofVisit) ofVisit.push(line);
      else this.byVisit.set(line.mdtrt_id, [line]);
    }
  }

  /** The visit's lines in upload order. */
  ofVisit(mdtrt_id: string): readonly FeeLine[] {
    return this.byVisit.get(mdtrt_id) ?? [];
  }

  filter(keep: (line: FeeLine) => boolean): FeeLine[] {
    return this.lines.filter(keep);
  }

  map<T>(view: (line: FeeLine) => T): T[] {
    return this.lines.map(view);
  }
}

/** A 3301 mapping the platform holds (withdrawn by 3302). */
export interface ItemMapping {
  readonly fixmedins_code: string;
  readonly fixmedins_hilist_id: string;
  readonly fixmedins_hilist_name: string;
  readonly list_type: string;
  readonly med_list_codg: string;
  readonly begndate: string;
  readonly enddate: string;
  readonly msgid: string;
}
