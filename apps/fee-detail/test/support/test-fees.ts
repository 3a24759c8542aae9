export { testFeeLine as line } from '@yb/testing';

// Catalogue codes the simulator knows (drugs and a bed day).
export const AMOXICILLIN = 'XJ01CAA040A001010101445';
export const CEFTRIAXONE = 'XJ01DDA068B002010101445';
export const BED = '001102000010000-110200001';

/** Seeded insured persons of the simulator (fictitious). */
export const PERSONS = {
  A: { psn_no: '42000019800101123456', insutype: '310', insuplc_admdvs: '420100' },
  B: { psn_no: '42000000000000000000023456', insutype: '310', insuplc_admdvs: '420100' },
  /** Insured in Beijing: a cross-area patient. */
  C: { psn_no: '11000000000000000000067890', insutype: '310', insuplc_admdvs: '110000' },
  /** Resident insurance (390) in Xiangyang. */
  D: { psn_no: '42000000000000000000034567', insutype: '390', insuplc_admdvs: '420500' },
};

/** What the simulator's ledger shows of a visit's fee lines (GET /sim/ledger/visits/:mdtrt_id). */
export interface SimFeeLine {
  feedetl_sn: string;
  det_item_fee_sumamt: string;
  chrgitm_lv: string;
  msgid: string;
  status: 'uploaded' | 'revoked';
  revokedByMsgid?: string;
}
export interface SimVisit {
  feeLines: SimFeeLine[];
  uploadedTotal: string;
}
