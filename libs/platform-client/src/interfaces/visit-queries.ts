import { z } from 'zod';
import { datetime, dict, outDecimal, outStr, str } from './fields';
import type { InterfaceSchema } from './interface-schemas';

// The platform's records of a visit, asked back (spec part 2 §7.2, §2.5, §8.2): 5201 就诊信息查询 (the visits of a
// person in a window: recovers an mdtrt_id after a lost 2401 answer), 5202 诊断信息查询 (a visit's diagnoses),
// 5204 费用明细查询 (a settlement's fee lines), 5303 在院信息查询 (who the platform holds as in hospital here,
// by admission time: the daily census check) and 4103 医疗保障基金结算清单信息查询 (the settlement list the
// platform stored). Field lists: HN-SPEC 表191–212 (5201–5204, 5303), OH/DG models (4103). Answers are read
// leniently: only each row's keys are required, every other field the spec marks Y may be missing, numbers are
// decimal strings, one row may come as an object and no rows as null or absent.

/** A list node read leniently: a list, one row as an object, or nothing (null, absent) as no rows. */
export function rows<Row extends z.ZodTypeAny>(row: Row) {
  return z
    .union([z.array(row), row.transform((one: z.output<Row>) => [one])])
    .nullish()
    .transform((given): z.output<Row>[] => given ?? []);
}

export const optStr = () => outStr().optional();
export const optDecimal = () => outDecimal().optional();

export const input5201 = z
  .object({
    data: z
      .object({
        psn_no: str(30),
        begntime: datetime(),
        // HN requires it, OH's client leaves it out: sent when the caller bounds the window.
        endtime: datetime().optional(),
        med_type: dict('med_type'),
        mdtrt_id: str(30).optional(),
      })
      .strict(),
  })
  .strict();

const visitRecord = z
  .object({
    mdtrt_id: outStr(),
    psn_no: outStr(),
    insutype: optStr(),
    med_type: optStr(),
    begntime: optStr(),
    endtime: optStr(),
    ipt_otp_no: optStr(),
    adm_dept_codg: optStr(),
    dscg_maindiag_code: optStr(),
    dscg_way: optStr(),
    // 在院状态: 0 出院, 1 在院.
    inhosp_stas: optStr(),
    ipt_days: optStr(),
  })
  .passthrough();

export const output5201 = z.object({ mdtrtinfo: rows(visitRecord) }).passthrough();

export const input5202 = z
  .object({ data: z.object({ mdtrt_id: str(30), psn_no: str(30) }).strict() })
  .strict();

const diagnosisRecord = z
  .object({
    mdtrt_id: outStr(),
    diag_code: outStr(),
    diag_info_id: optStr(),
    psn_no: optStr(),
    // 出入院诊断类别: 1 入院, 2 出院.
    inout_diag_type: optStr(),
    diag_type: optStr(),
    maindiag_flag: optStr(),
    diag_srt_no: optStr(),
    diag_name: optStr(),
    diag_time: optStr(),
  })
  .passthrough();

export const output5202 = z.object({ diseinfo: rows(diagnosisRecord) }).passthrough();

export const input5204 = z
  .object({ data: z.object({ psn_no: str(30), setl_id: str(30), mdtrt_id: str(30) }).strict() })
  .strict();

// A fee line as the platform priced it: the amounts 2301 answered, read again after the settlement.
const settledFeeLine = z
  .object({
    feedetl_sn: outStr(),
    det_item_fee_sumamt: outDecimal(),
    mdtrt_id: optStr(),
    setl_id: optStr(),
    fee_ocur_time: optStr(),
    med_list_codg: optStr(),
    medins_list_codg: optStr(),
    cnt: optDecimal(),
    pric: optDecimal(),
    pric_uplmt_amt: optDecimal(),
    selfpay_prop: optDecimal(),
    fulamt_ownpay_amt: optDecimal(),
    overlmt_amt: optDecimal(),
    preselfpay_amt: optDecimal(),
    inscp_scp_amt: optDecimal(),
    chrgitm_lv: optStr(),
    med_chrgitm_type: optStr(),
  })
  .passthrough();

// No node name: the rows are `output` itself (HN-SPEC 表200). The 9102 text says 5204 may answer a file
// instead; never seen, so such an answer is unreadable (no feedetl_sn) rather than guessed at.
export const output5204 = rows(settledFeeLine);

export const input5303 = z
  .object({
    data: z.object({ psn_no: str(30).optional(), begntime: datetime(), endtime: datetime() }).strict(),
  })
  .strict();

const inpatientRecord = z
  .object({
    mdtrt_id: outStr(),
    psn_no: outStr(),
    insutype: optStr(),
    begndate: optStr(),
    med_type: optStr(),
    ipt_otp_no: optStr(),
    // 异地标志: 0 本地, 1 异地.
    out_flag: optStr(),
  })
  .passthrough();

export const output5303 = z.object({ data: rows(inpatientRecord) }).passthrough();

export const input4103 = z
  .object({ data: z.object({ psn_no: str(30), setl_id: str(30) }).strict() })
  .strict();

const anyRows = rows(z.object({}).passthrough());

// The list as the platform keeps it; its answer names differ from 4101A's input (adm_way_code, psn_selfpay_amt).
export const output4103 = z
  .object({
    setlinfo: z
      .object({
        setl_id: outStr(),
        setl_list_id: optStr(),
        mdtrt_id: optStr(),
        psn_no: optStr(),
        // 0 未提交, 1 已提交 (as 4102 sets it).
        stas_type: optStr(),
        // 审核内容: what the agency found.
        chk_cont: optStr(),
        psn_selfpay_amt: optDecimal(),
        psn_ownpay_fee: optDecimal(),
        acct_payamt: optDecimal(),
        psn_cashpay: optDecimal(),
      })
      .passthrough(),
    payinfo: rows(z.object({ fund_pay_type: optStr(), fund_payamt: optDecimal() }).passthrough()),
    opspdiseinfo: anyRows,
    diseinfo: anyRows,
    iteminfo: rows(z.object({ med_chrgitm_type: optStr(), item_sumamt: optDecimal() }).passthrough()),
    oprninfo: anyRows,
    icuinfo: anyRows,
    bldinfo: anyRows,
  })
  .passthrough();

export const VISIT_QUERY_SCHEMAS = {
  '5201': {
    name: '就诊信息查询',
    input: input5201,
    output: output5201,
    inputNodes: ['data'],
    outputNodes: ['mdtrtinfo[]'],
  },
  '5202': {
    name: '诊断信息查询',
    input: input5202,
    output: output5202,
    inputNodes: ['data'],
    outputNodes: ['diseinfo[]'],
  },
  '5204': {
    name: '费用明细查询',
    input: input5204,
    output: output5204,
    inputNodes: ['data'],
    outputNodes: [],
  },
  '5303': {
    name: '在院信息查询',
    input: input5303,
    output: output5303,
    inputNodes: ['data'],
    outputNodes: ['data[]'],
  },
  '4103': {
    name: '医疗保障基金结算清单信息查询',
    input: input4103,
    output: output4103,
    inputNodes: ['data'],
    outputNodes: [
      'setlinfo',
      'payinfo[]',
      'opspdiseinfo[]',
      'diseinfo[]',
      'iteminfo[]',
      'oprninfo[]',
      'icuinfo[]',
      'bldinfo[]',
    ],
  },
} as const satisfies Record<string, InterfaceSchema>;

export type Input5201 = z.output<typeof input5201>;
export type Output5201 = z.output<typeof output5201>;
export type Input5202 = z.output<typeof input5202>;
export type Output5202 = z.output<typeof output5202>;
export type Input5204 = z.output<typeof input5204>;
export type Output5204 = z.output<typeof output5204>;
export type Input5303 = z.output<typeof input5303>;
export type Output5303 = z.output<typeof output5303>;
export type Input4103 = z.output<typeof input4103>;
export type Output4103 = z.output<typeof output4103>;
