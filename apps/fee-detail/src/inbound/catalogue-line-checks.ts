import Decimal from 'decimal.js';
import { type ItemMappingLookup } from '../catalogue/item-mappings';
import {
  type ChargedFeeLine,
  type HeldFeeLine,
  type HisFeeLine,
  type LineRefusal,
} from '../fee-ledger/fee-ledger.events';

export interface CheckedLines {
  /** The lines that may go up, each with its national code. */
  readonly lines: HisFeeLine[];
  /**
   * The lines that wait, with the reason: for their item's mapping, or (with the finding) for a person's
   * decision on a price above the limit.
   */
  readonly held: HeldFeeLine[];
  /** The lines the platform would refuse, with the reason: they do not go up. */
  readonly refusals: LineRefusal[];
  /** 1319's self-pay ratio (above 0) of accepted lines' codes, by feedetl_sn: informational, never holds. */
  readonly selfpay_props: Record<string, string>;
}

/**
 * Every charged line checked against the catalogue before it enters the ledger, from memory (no call): a line
 * with only the HIS's code gets its item's national code; a line whose item is not mapped (or whose mapping was
 * withdrawn) is held until a person maps it; a line priced above the platform's limit (1318) is held with the
 * finding until a person decides (upload anyway, or void) or a new limit admits it; a line whose fee date is
 * outside the code's validity is refused with the reason, before any 2301. A line taken whose code has a
 * self-pay ratio (1319) carries it as information: the platform applies the ratio, the result shows it. A line the HIS sent
 * with a national code of an item not mapped here is taken as given (fee-detail knows the terms of mapped
 * items only). The same check releases held lines when their mapping arrives.
 */
export function checkFeeLines(lines: readonly ChargedFeeLine[], lookup: ItemMappingLookup): CheckedLines {
  const accepted: HisFeeLine[] = [];
  const held: HeldFeeLine[] = [];
  const refusals: LineRefusal[] = [];
  const selfpay_props: Record<string, string> = {};
  for (const line of lines) {
    const mapping = lookup.mappingOf(line.medins_list_codg);
    const refuse = (reason: string) => refusals.push({ feedetl_sn: line.feedetl_sn, reason });
    if (!mapping) {
      if (line.med_list_codg !== undefined) accepted.push({ ...line, med_list_codg: line.med_list_codg });
      else held.push({ line, reason: unmappedReason(line.medins_list_codg) });
      continue;
    }
    const med_list_codg = line.med_list_codg ?? mapping.med_list_codg;
    const feeDate = line.fee_ocur_time.slice(0, 10);
    // A refund line (negative count) reverses an accepted line: never refused for its price or date.
    const refund = new Decimal(line.cnt).isNegative();
    if (med_list_codg !== mapping.med_list_codg)
      refuse(
        `医保目录编码[${med_list_codg}]与院内项目[${line.medins_list_codg}]的对照[${mapping.med_list_codg}]不一致`,
      );
    else if (!refund && mapping.begndate !== undefined && feeDate < mapping.begndate)
      refuse(`医保目录编码[${med_list_codg}]自${mapping.begndate}起有效，费用发生日期${feeDate}不在有效期内`);
    else if (!refund && mapping.enddate !== undefined && feeDate > mapping.enddate)
      refuse(`医保目录编码[${med_list_codg}]有效期至${mapping.enddate}，费用发生日期${feeDate}不在有效期内`);
    else if (
      !refund &&
      mapping.pric_uplmt_amt !== undefined &&
      new Decimal(line.pric).gt(mapping.pric_uplmt_amt)
    )
      held.push({
        line,
        reason: overLimitReason(line.pric, mapping.pric_uplmt_amt, med_list_codg),
        finding: {
          kind: 'OVER_PRICE_LIMIT',
          med_list_codg,
          pric: line.pric,
          pric_uplmt_amt: mapping.pric_uplmt_amt,
        },
      });
    else {
      accepted.push({ ...line, med_list_codg });
      if (mapping.selfpay_prop !== undefined && new Decimal(mapping.selfpay_prop).gt(0))
        selfpay_props[line.feedetl_sn] = mapping.selfpay_prop;
    }
  }
  return { lines: accepted, held, refusals, selfpay_props };
}

export const unmappedReason = (medins_list_codg: string) =>
  `院内项目[${medins_list_codg}]尚无已确认的医保目录对照：明细暂挂，在目录对照中确认后自动上传`;

export const overLimitReason = (pric: string, pric_uplmt_amt: string, med_list_codg: string) =>
  `单价${pric}超过医保限价${pric_uplmt_amt}（医保目录编码[${med_list_codg}]）：明细暂挂，待人工决定仍上传或作废`;
