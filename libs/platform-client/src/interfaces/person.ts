import { z } from 'zod';
import { datetime, dict, outDecimal, outStr, str } from './fields';

// 1101 人员信息获取. The field reference (spec) does not tabulate 1101; the fields below are the
// national interface's input `data` and output `baseinfo` / `insuinfo[]` / `idetinfo[]` as HIS
// integrations implement them (e.g. openhis Input_1101.cs: card_sn "类型为03时必填", begntime "获取历史").
// Only what the flow relies on is required in the answer: psn_no and, per insurance, insutype,
// insuplc_admdvs (the envelope needs it for every call with psn_no) and psn_insu_stas (参保状态: a person
// not normally insured is refused before 2401).

/** mdtrt_cert_type 03 社会保障卡: the platform requires the card's identification code (card_sn) with it. */
const SOCIAL_SECURITY_CARD = '03';

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
      .strict()
      .refine((data) => data.mdtrt_cert_type !== SOCIAL_SECURITY_CARD || data.card_sn !== undefined, {
        message: 'is required with a social security card (mdtrt_cert_type 03)',
        path: ['card_sn'],
      }),
  })
  .strict();

const insurance = z
  .object({
    balc: outDecimal().nullish(),
    insutype: outStr(),
    psn_type: outStr().nullish(),
    psn_insu_stas: outStr(),
    psn_insu_date: outStr().nullish(),
    paus_insu_date: outStr().nullish(),
    cvlserv_flag: outStr().nullish(),
    insuplc_admdvs: outStr(),
    emp_name: outStr().nullish(),
  })
  .passthrough();

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
    // A person without any insurance may come back without the node; one insurance may come as an object.
    insuinfo: z
      .union([z.array(insurance), insurance.transform((row) => [row])])
      .nullish()
      .transform((rows) => rows ?? []),
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
