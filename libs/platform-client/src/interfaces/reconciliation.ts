import { z } from 'zod';
import { amount, date, dict, int, outDecimal, outStr, str } from './fields';

// 3201 对总账, 3202 对明细账 and 5203 结算信息查询 (spec part 2 §2.1, §2.2, §2.4). The business reads the
// result of each (3201's stmt_rslt, 3202's result file reference, 5203's settlement and its amounts); the
// rest is kept when given.

/** One group's totals over a whole-day period: the group is insutype × clr_type × setl_optins. */
const periodTotals = {
  setl_optins: str(6),
  stmt_begndate: date(),
  stmt_enddate: date(),
  medfee_sumamt: amount(),
  fund_pay_sumamt: amount(),
  fixmedins_setl_cnt: int(10),
  // 0: totals exclude refund rows, 1 (or absent): include them. We send 1 and count refunds as their own rows.
  refd_setl_flag: str(3).optional(),
};

export const input3201 = z
  .object({
    data: z
      .object({ insutype: dict('insutype'), clr_type: str(6), ...periodTotals, acct_pay: amount() })
      .strict(),
  })
  .strict();

// stmt_rslt: 0 平; anything else (HN's 1 不平, JX's 1 中心多 / 2 医药机构多 / 3 数据不一致) is "not balanced".
export const output3201 = z
  .object({
    stmtinfo: z
      .object({
        setl_optins: outStr().optional(),
        stmt_rslt: outStr(),
        stmt_rslt_dscr: outStr().optional(),
      })
      .passthrough(),
  })
  .passthrough();

// 3202 carries cash_payamt where 3201 carries acct_pay (the spec's tables differ; ZB fills it with Σpsn_part_amt).
export const input3202 = z
  .object({
    data: z
      .object({
        ...periodTotals,
        file_qury_no: str(30),
        cash_payamt: amount(),
        clr_type: str(6),
      })
      .strict(),
  })
  .strict();

export const output3202 = z
  .object({
    fileinfo: z
      .object({ file_qury_no: outStr(), filename: outStr(), dld_endtime: outStr().optional() })
      .passthrough(),
  })
  .passthrough();

export const input5203 = z
  .object({ data: z.object({ psn_no: str(30), setl_id: str(30), mdtrt_id: str(30).optional() }).strict() })
  .strict();

// What a recovered settlement needs to join our ledger: keys, group, time and the amounts 3201/3202 compare.
export const settlementRecord = z
  .object({
    setl_id: outStr(),
    mdtrt_id: outStr(),
    psn_no: outStr(),
    insutype: outStr(),
    setl_time: outStr(),
    clr_type: outStr(),
    clr_optins: outStr().optional(),
    clr_way: outStr().optional(),
    medfee_sumamt: outDecimal(),
    fund_pay_sumamt: outDecimal(),
    acct_pay: outDecimal(),
    cash_payamt: outDecimal().optional(),
    psn_pay: outDecimal().optional(),
    medins_setl_id: outStr().optional(),
    refd_setl_flag: outStr().optional(),
  })
  .passthrough();

export const output5203 = z
  .object({
    setlinfo: settlementRecord,
    setldetail: z.array(z.object({}).passthrough()).nullish(),
  })
  .passthrough();
