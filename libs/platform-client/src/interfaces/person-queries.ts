import { z } from 'zod';
import { datetime, outDecimal, outStr, str } from './fields';
import type { InterfaceSchema } from './interface-schemas';
import { optDecimal, optStr, rows } from './visit-queries';

// What the platform holds about a person beyond one visit (spec part 2 §7.2; HN-SPEC 表191–212, FS/OH/DG
// models): 5205 人员慢特病用药记录查询 (chronic-disease drugs dispensed, to avoid a second dispensing), 5206
// 人员累计信息查询 (the year's totals: deductible already met), 5301 人员慢特病备案查询 (chronic-disease
// registrations), 5302 人员定点信息查询 (designated hospitals), 5304 转院信息查询 (referrals). Answers read
// leniently as in visit-queries.ts.

export const input5205 = z
  .object({
    data: z.object({ psn_no: str(30), begntime: datetime(), endtime: datetime().optional() }).strict(),
  })
  .strict();

const chronicDrugRecord = z
  .object({
    feedetl_sn: outStr(),
    med_list_codg: outStr(),
    fee_ocur_time: optStr(),
    fixmedins_code: optStr(),
    fixmedins_name: optStr(),
    med_type: optStr(),
    cnt: optDecimal(),
    pric: optDecimal(),
    hilist_code: optStr(),
    hilist_name: optStr(),
    spec: optStr(),
  })
  .passthrough();

export const output5205 = z.object({ feedetail: rows(chronicDrugRecord) }).passthrough();

export const input5206 = z
  .object({
    data: z
      .object({
        psn_no: str(30),
        // 累计年月 yyyyMM: the year's totals through that month (the platform's current month when not sent).
        cum_ym: z
          .string()
          .regex(/^\d{4}(0[1-9]|1[0-2])$/, { message: 'is not a month in yyyyMM' })
          .optional(),
      })
      .strict(),
  })
  .strict();

// cum_type_code is regional and opaque (Q0000 起付线累计, S0000 医疗费合计, C0000 次数 are seen): kept as given.
const yearlyTotal = z
  .object({
    insutype: outStr(),
    year: outStr(),
    cum_type_code: outStr(),
    cum: outDecimal(),
    cum_ym: optStr(),
  })
  .passthrough();

export const output5206 = z.object({ cuminfo: rows(yearlyTotal) }).passthrough();

export const input5301 = z.object({ data: z.object({ psn_no: str(30) }).strict() }).strict();

// The node is `feedetail` in every print (sic: the rows are registrations, not fee lines).
const chronicRegistration = z
  .object({ opsp_dise_code: outStr(), opsp_dise_name: optStr(), begndate: optStr(), enddate: optStr() })
  .passthrough();

export const output5301 = z.object({ feedetail: rows(chronicRegistration) }).passthrough();

export const input5302 = z
  .object({
    // 业务申请类型, e.g. 03 就医定点医疗机构登记: the province's code list, sent as configured.
    data: z.object({ psn_no: str(30), biz_appy_type: str(3) }).strict(),
  })
  .strict();

const designatedHospital = z
  .object({
    fixmedins_code: outStr(),
    fixmedins_name: optStr(),
    fix_srt_no: optStr(),
    insutype: optStr(),
    begndate: optStr(),
    enddate: optStr(),
  })
  .passthrough();

export const output5302 = z.object({ psnfixmedin: rows(designatedHospital) }).passthrough();

export const input5304 = z
  .object({
    data: z.object({ psn_no: str(30), begntime: datetime(), endtime: datetime().optional() }).strict(),
  })
  .strict();

const referral = z
  .object({
    psn_no: outStr(),
    refl_date: outStr(),
    reflin_medins_name: optStr(),
    reflin_medins_no: optStr(),
    insutype: optStr(),
    refl_rea: optStr(),
    begndate: optStr(),
    enddate: optStr(),
    // 医院同意转院标志: 0 否, 1 是.
    hosp_agre_refl_flag: optStr(),
  })
  .passthrough();

export const output5304 = z.object({ refmedin: rows(referral) }).passthrough();

export const PERSON_QUERY_SCHEMAS = {
  '5205': {
    name: '人员慢特病用药记录查询',
    input: input5205,
    output: output5205,
    inputNodes: ['data'],
    outputNodes: ['feedetail[]'],
  },
  '5206': {
    name: '人员累计信息查询',
    input: input5206,
    output: output5206,
    inputNodes: ['data'],
    outputNodes: ['cuminfo[]'],
  },
  '5301': {
    name: '人员慢特病备案查询',
    input: input5301,
    output: output5301,
    inputNodes: ['data'],
    outputNodes: ['feedetail[]'],
  },
  '5302': {
    name: '人员定点信息查询',
    input: input5302,
    output: output5302,
    inputNodes: ['data'],
    outputNodes: ['psnfixmedin[]'],
  },
  '5304': {
    name: '转院信息查询',
    input: input5304,
    output: output5304,
    inputNodes: ['data'],
    outputNodes: ['refmedin[]'],
  },
} as const satisfies Record<string, InterfaceSchema>;

export type Input5205 = z.output<typeof input5205>;
export type Output5205 = z.output<typeof output5205>;
export type Input5206 = z.output<typeof input5206>;
export type Output5206 = z.output<typeof output5206>;
export type Input5301 = z.output<typeof input5301>;
export type Output5301 = z.output<typeof output5301>;
export type Input5302 = z.output<typeof input5302>;
export type Output5302 = z.output<typeof output5302>;
export type Input5304 = z.output<typeof input5304>;
export type Output5304 = z.output<typeof output5304>;
