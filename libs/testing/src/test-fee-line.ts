import Decimal from 'decimal.js';

/**
 * A HIS fee line (as FeeLinesCharged carries it) charged on day `day` of May 2024, its amount cnt × pric in
 * decimal; a refund has a negative cnt and the refunded line's init_feedetl_sn.
 */
export function testFeeLine(
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
    fee_ocur_time: `2024-05-${String(day).padStart(2, '0')} 10:00:00`,
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
