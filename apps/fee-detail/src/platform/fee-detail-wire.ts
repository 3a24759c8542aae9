import { type TypedInterfaces } from '@yb/platform-client';
import { type HisFeeLine, type PlatformLineAnswer } from '../fee-ledger/fee-ledger.events';
import { asMoney } from '../fee-ledger/money';

type FeeDetailRow = TypedInterfaces['2301']['input']['feedetail'][number];
type FeeDetailResult = TypedInterfaces['2301']['output']['result'][number];

/** The visit fields every 2301 row repeats. */
export interface UploadVisit {
  mdtrt_id: string;
  psn_no: string;
  med_type: string;
}

/** A HIS line as a 2301 `feedetail` row of the registered visit. */
export function feeDetailRow(line: HisFeeLine, visit: UploadVisit): FeeDetailRow {
  return { ...line, mdtrt_id: visit.mdtrt_id, psn_no: visit.psn_no, med_type: visit.med_type };
}

/**
 * The platform's answer for one line, money as 16,2 strings. An amount the platform leaves null is 0: the
 * line has no such part (e.g. no 先行自付 for a 甲类 item).
 */
export function lineAnswer(result: FeeDetailResult): PlatformLineAnswer {
  const money = (value: string | null | undefined) => asMoney(value ?? '0');
  return {
    feedetl_sn: result.feedetl_sn,
    det_item_fee_sumamt: money(result.det_item_fee_sumamt),
    cnt: result.cnt,
    pric: result.pric,
    pric_uplmt_amt: result.pric_uplmt_amt,
    selfpay_prop: result.selfpay_prop ?? '0',
    fulamt_ownpay_amt: money(result.fulamt_ownpay_amt),
    overlmt_amt: money(result.overlmt_amt),
    preselfpay_amt: money(result.preselfpay_amt),
    inscp_scp_amt: money(result.inscp_scp_amt),
    chrgitm_lv: result.chrgitm_lv,
    med_chrgitm_type: result.med_chrgitm_type,
    ...(result.memo ? { memo: result.memo } : {}),
  };
}
