import { z } from 'zod';
import { amount, date, int, noBody, outStr, str } from './fields';

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
