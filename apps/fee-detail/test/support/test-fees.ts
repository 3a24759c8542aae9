import Decimal from 'decimal.js';

// Catalogue codes the simulator knows (drugs and a bed day).
export const AMOXICILLIN = 'XJ01CAA040A001010101445';
export const CEFTRIAXONE = 'XJ01DDA068B002010101445';
export const BED = '001102000010000-110200001';

/** Seeded insured persons of the simulator (fictitious). */
export const PERSONS = {
  A: { psn_no: '42000019800101123456', insutype: '310', insuplc_admdvs: '420100' },
  B: { psn_no: '42000000000000000000023456', insutype: '310', insuplc_admdvs: '420100' },
};

/** A HIS fee line of day `day` (a refund: negative cnt and the refunded line's init_feedetl_sn). */
export function line(
  feedetl_sn: string,
  day: number,
  med_list_codg: string,
  cnt: string,
  pric: string,
  init_feedetl_sn?: string,
) {
  return {
    feedetl_sn,
    ...(init_feedetl_sn && { init_feedetl_sn }),
    fee_ocur_time: `2024-05-0${day} 10:00:00`,
    med_list_codg,
    medins_list_codg: `HIS-${med_list_codg.slice(0, 8)}`,
    det_item_fee_sumamt: new Decimal(cnt).times(pric).toFixed(2),
    cnt,
    pric,
    bilg_dept_codg: 'A03.01',
    bilg_dept_name: '呼吸内科',
    bilg_dr_codg: 'D0012',
    bilg_dr_name: '王医生',
  };
}

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
