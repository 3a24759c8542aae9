import { z } from 'zod';
import { amount, date, int, noBody, outDecimal, outStr, str } from './fields';

// 3203 清算申请 / 3204 清算撤销 (spec part 2 §3.1, §3.2; code only, three sources agree). clr_way is the
// province's code list (§10), sent as configured. The answer's clr_appy_evt_id is the only key 3204 takes.

export const input3203 = z
  .object({
    data: z
      .object({
        clr_type: str(30),
        clr_way: str(30).optional(),
        setlym: z.string().regex(/^\d{6}$/, { message: 'is not a month in yyyyMM' }),
        psntime: int(6),
        medfee_sumamt: amount(),
        med_sumfee: amount(),
        fund_appy_sum: amount(),
        cash_payamt: amount(),
        acct_pay: amount(),
        begndate: date(),
        enddate: date(),
      })
      .strict(),
  })
  .strict();

export const output3203 = z
  .object({ result: z.object({ clr_appy_evt_id: outStr() }).passthrough() })
  .passthrough();

export const input3204 = z.object({ data: z.object({ clr_appy_evt_id: str(30) }).strict() }).strict();

export const output3204 = noBody();

// Hubei's own clearing interfaces (its list: 3202A 医药机构费用结算申请(汇总), 3204A its withdrawal, 1608 / 1618
// the same for 异地 insured). No public field list exists (spec part 2 §3.4). As built: 3203's fields, which
// three sources agree on, plus clr_optins, which Jilin's 3203A / 3204A add (an application is made to one
// clearing agency); Hubei's own document must confirm them. The by-detail 3203A / 3204B are not built.

export const input3202A = z
  .object({ data: input3203.shape.data.extend({ clr_optins: str(6) }).strict() })
  .strict();

export const output3202A = output3203;

export const input3204A = z
  .object({ data: z.object({ clr_appy_evt_id: str(30), clr_optins: str(6) }).strict() })
  .strict();

export const output3204A = noBody();

// 3205A. Hubei's list names it 医药机构费用结算申请单打印 (打印服务, "打印清算申请单"); Jilin's 3205A with the same
// number is 清算申请状态查询 (spec part 2 §3.3, §3.4). Both give the application as the agency holds it — the
// printout prints exactly that — so it is read as Jilin's answer: node `clr_appys`, one record per application
// (an object or a list is accepted), looked up by agency and month (and clr_type, the event id when known).
// Unverified for Hubei: confirm the fields against its 接口文档 at go-live.

export const input3205A = z
  .object({
    data: z
      .object({
        clr_optins: str(6),
        clr_ym: z.string().regex(/^\d{6}$/, { message: 'is not a month in yyyyMM' }),
        clr_type: str(30).optional(),
        clr_appy_evt_id: str(30).optional(),
      })
      .strict(),
  })
  .strict();

// Jilin's client reads the medical fee total as `medfee_Sumamt`: either spelling is taken.
const clearingRecord = z.preprocess(
  (record) =>
    record !== null && typeof record === 'object' && 'medfee_Sumamt' in record && !('medfee_sumamt' in record)
      ? { ...record, medfee_sumamt: (record as { medfee_Sumamt: unknown }).medfee_Sumamt }
      : record,
  z
    .object({
      clr_appy_evt_id: outStr(),
      clr_stas: outStr().optional(),
      clr_ym: outStr().optional(),
      clr_type: outStr().optional(),
      clr_optins: outStr().optional(),
      fixmedins_code: outStr().optional(),
      fixmedins_name: outStr().optional(),
      medfee_sumamt: outDecimal().optional(),
      hi_agre_sumfee: outDecimal().optional(),
      fund_appy_sum: outDecimal().optional(),
      cash_payamt: outDecimal().optional(),
      acct_pay: outDecimal().optional(),
      psntime: outDecimal().optional(),
      begndate: outStr().optional(),
      enddate: outStr().optional(),
      opter_id: outStr().optional(),
      opter_name: outStr().optional(),
      opt_time: outStr().optional(),
    })
    .passthrough(),
);

export const output3205A = z
  .object({
    clr_appys: z.union([z.array(clearingRecord), clearingRecord.transform((record) => [record])]).default([]),
  })
  .passthrough();
