/** What GET /sim/ledger shows (the parts the end-to-end test reads). */
export interface SimRegistration {
  mdtrt_id: string;
  psn_no: string;
  ipt_no: string;
  msgid: string;
  status: 'admitted' | 'discharged' | 'settled' | 'cancelled' | 'reversed';
  adm_dept_codg: string;
  dscg_maindiag_code: string;
  history: { infno: string; msgid: string }[];
  /** The 生育 fields 2401, 2403 and 2402 gave (matn_type, geso_val …), as the platform keeps them. */
  maternity: Record<string, string>;
}

export interface SimFeeLine {
  feedetl_sn: string;
  init_feedetl_sn?: string;
  mdtrt_id: string;
  cnt: string;
  pric: string;
  det_item_fee_sumamt: string;
  msgid: string;
  status: 'uploaded' | 'revoked';
}

export interface SimLedgerView {
  registrations: SimRegistration[];
  feeLines: SimFeeLine[];
  reversals: { msgid: string; omsgid: string; oinfno: string }[];
  /** insuplc_admdvs: the area the call's envelope named (the platform routes by it). */
  messages: { msgid: string; infno: string; infcode: number; insuplc_admdvs?: string }[];
}

/** The visit's registrations that stand (not reversed by 2601 nor cancelled by 2404). */
export const activeRegistrations = (ledger: SimLedgerView, ipt_no: string): SimRegistration[] =>
  ledger.registrations.filter(
    (r) => r.ipt_no === ipt_no && r.status !== 'reversed' && r.status !== 'cancelled',
  );

export const uploadedLines = (ledger: SimLedgerView, mdtrt_id: string): SimFeeLine[] =>
  ledger.feeLines.filter((l) => l.mdtrt_id === mdtrt_id && l.status === 'uploaded');
