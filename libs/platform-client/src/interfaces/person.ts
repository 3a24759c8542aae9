import { z } from 'zod';
import { datetime, dict, outDecimal, outStr, str } from './fields';

// 1101 人员信息获取. The field reference (spec) does not tabulate 1101; the fields below are the
// national interface's input `data` and output `baseinfo` / `insuinfo[]` / `idetinfo[]` as HIS
// integrations implement them. Only what the flow relies on is required in the answer: psn_no and,
// per insurance, insutype and insuplc_admdvs (the envelope needs it for every call with psn_no).

export const input1101 = z
  .object({
    data: z
      .object({
        mdtrt_cert_type: dict('mdtrt_cert_type'),
        mdtrt_cert_no: str(50),
        card_sn: str(32).optional(),
        begntime: datetime().optional(),
        psn_cert_type: dict('psn_cert_type').optional(),
        certno: str(50).optional(),
        psn_name: str(50).optional(),
      })
      .strict(),
  })
  .strict();

export const output1101 = z
  .object({
    baseinfo: z
      .object({
        psn_no: outStr(),
        psn_cert_type: outStr().nullish(),
        certno: outStr().nullish(),
        psn_name: outStr().nullish(),
        gend: outStr().nullish(),
        naty: outStr().nullish(),
        brdy: outStr().nullish(),
        age: outDecimal().nullish(),
      })
      .passthrough(),
    insuinfo: z.array(
      z
        .object({
          balc: outDecimal().nullish(),
          insutype: outStr(),
          psn_type: outStr().nullish(),
          psn_insu_stas: outStr().nullish(),
          psn_insu_date: outStr().nullish(),
          paus_insu_date: outStr().nullish(),
          cvlserv_flag: outStr().nullish(),
          insuplc_admdvs: outStr(),
          emp_name: outStr().nullish(),
        })
        .passthrough(),
    ),
    idetinfo: z
      .array(
        z
          .object({
            psn_idet_type: outStr().nullish(),
            psn_type_lv: outStr().nullish(),
            memo: outStr().nullish(),
            begntime: outStr().nullish(),
            endtime: outStr().nullish(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();
