import { z } from 'zod';
import { datetime, dict, outStr, str } from './fields';

// 2001 人员待遇享受检查 (spec part 2 §7.1): whether the person may draw on each fund for this kind of care
// (med_type) from this date, asked before 2401. The answer lists one row per fund; the business reads only
// which fund (fund_pay_type) and whether it is enjoyed (trt_enjymnt_flag), with the platform's reason
// (trt_chk_rslt) when it is not. A platform that finds nothing to report may leave trtinfo out.

export const input2001 = z
  .object({
    data: z
      .object({
        psn_no: str(30),
        insutype: dict('insutype'),
        fixmedins_code: str(12),
        med_type: dict('med_type'),
        begntime: datetime(),
        endtime: datetime().optional(),
        dise_codg: str(30).optional(),
        dise_name: str(500).optional(),
        oprn_oprt_code: str(30).optional(),
        oprn_oprt_name: str(500).optional(),
        matn_type: dict('matn_type').optional(),
        birctrl_type: str(6).optional(),
      })
      .strict(),
  })
  .strict();

const entitlement = z
  .object({
    psn_no: outStr().nullish(),
    trt_chk_type: outStr().nullish(),
    fund_pay_type: outStr(),
    trt_enjymnt_flag: outStr(),
    begndate: outStr().nullish(),
    enddate: outStr().nullish(),
    trt_chk_rslt: outStr().nullish(),
  })
  .passthrough();

export const output2001 = z
  .object({
    trtinfo: z
      .union([z.array(entitlement), entitlement.transform((row) => [row])])
      .nullish()
      .transform((rows) => rows ?? []),
  })
  .passthrough();
