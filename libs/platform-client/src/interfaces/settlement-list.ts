import { z } from 'zod';
import { amount, date, dateOrDatetime, dict, int, outStr, str, text } from './fields';

// 4101A 医疗保障基金结算清单信息上传 (spec §5.1), Hubei's replacement of 4101. The spec lists 4101's
// 82 fields and only the differences of 4101A (adds psn_no, mul_nwb_*, resp_nurs_code, stas_type;
// drops demographics and money totals), not its exact field set. So the nodes type the fields we
// know and keep any other field the caller sends (passthrough) instead of refusing or dropping it.
// Required: what 4101 marks Y and 4101A keeps (its identifiers, bill and filling details).

/** "天 时 分" durations, e.g. `1 13 24` (ventilator, coma, ICU). */
const duration = () =>
  str(20).regex(/^\d+ ([01]?\d|2[0-3]) [0-5]?\d$/, {
    message: 'is not a duration "days hours minutes" (e.g. "1 13 24")',
  });

const settlementList = z
  .object({
    mdtrt_id: str(30),
    setl_id: str(30),
    psn_no: str(30),
    fixmedins_name: str(200),
    fixmedins_code: str(30),
    hi_setl_lv: text().optional(),
    hi_no: text().optional(),
    medcasno: text(),
    dcla_time: dateOrDatetime().optional(),
    hi_type: text(),
    insuplc: text(),
    sp_psn_type: text().optional(),
    nwb_adm_type: text().optional(),
    nwb_bir_wt: text().optional(),
    nwb_adm_wt: text().optional(),
    mul_nwb_bir_wt: text().optional(),
    mul_nwb_adm_wt: text().optional(),
    opsp_diag_caty: text().optional(),
    opsp_mdtrt_date: dateOrDatetime().optional(),
    ipt_med_type: text(),
    adm_way: text().optional(),
    trt_type: text().optional(),
    adm_time: dateOrDatetime().optional(),
    adm_caty: text(),
    // Transfers between departments, joined with "→".
    refldept_dept: text().optional(),
    dscg_time: dateOrDatetime().optional(),
    dscg_caty: text(),
    act_ipt_days: int(5).optional(),
    vent_used_dura: duration().optional(),
    pwcry_bfadm_coma_dura: duration().optional(),
    pwcry_afadm_coma_dura: duration().optional(),
    dscg_way: dict('dscg_way').optional(),
    // Required when dscg_way is 2 or 3 (transfer).
    acp_medins_name: text().optional(),
    acp_optins_code: text().optional(),
    bill_code: text(),
    bill_no: text(),
    biz_sn: text(),
    days_rinp_flag_31: dict('flag').optional(),
    days_rinp_pup_31: text().optional(),
    chfpdr_name: text().optional(),
    chfpdr_code: text().optional(),
    setl_begn_date: date(),
    setl_end_date: date(),
    psn_selfpay: amount().optional(),
    psn_ownpay: amount().optional(),
    acct_pay: amount().optional(),
    psn_cash_pay: amount().optional(),
    hi_paymtd: text(),
    hsorg: text(),
    hsorg_opter: text(),
    medins_fill_dept: text(),
    medins_fill_psn: text(),
    resp_nurs_code: text().optional(),
    stas_type: text().optional(),
  })
  .passthrough();

const chronicDiseaseDiagnosis = z
  .object({
    diag_name: text(),
    diag_code: text(),
    oprn_oprt_name: text().optional(),
    oprn_oprt_code: text().optional(),
  })
  .passthrough();

const diagnosis = z
  .object({
    diag_type: dict('diag_type'),
    diag_code: text(),
    diag_name: text(),
    adm_cond_type: dict('adm_cond_type').optional(),
    maindiag_flag: dict('flag').optional(),
  })
  .passthrough();

const operation = z
  .object({
    oprn_oprt_type: text(),
    oprn_oprt_name: text(),
    oprn_oprt_code: text(),
    oprn_oprt_date: dateOrDatetime(),
    anst_way: text().optional(),
    oper_dr_name: text(),
    oper_dr_code: text(),
    anst_dr_name: text().optional(),
    anst_dr_code: text().optional(),
    oprn_oprt_begntime: dateOrDatetime().optional(),
    oprn_oprt_endtime: dateOrDatetime().optional(),
    anst_begntime: dateOrDatetime().optional(),
    anst_endtime: dateOrDatetime().optional(),
  })
  .passthrough();

const intensiveCare = z
  .object({
    scs_cutd_ward_type: text(),
    scs_cutd_inpool_time: dateOrDatetime(),
    scs_cutd_exit_time: dateOrDatetime(),
    scs_cutd_sum_dura: duration(),
  })
  .passthrough();

// 输血 (blood transfusion, dictionary table 194 for bld_cat).
const transfusion = z
  .object({ bld_cat: text().optional(), bld_amt: text().optional(), bld_unt: text().optional() })
  .passthrough();

export const input4101A = z
  .object({
    setlinfo: settlementList,
    opspdiseinfo: z.array(chronicDiseaseDiagnosis).optional(),
    diseinfo: z.array(diagnosis).min(1, { message: 'must list at least one diagnosis' }),
    oprninfo: z.array(operation).optional(),
    icuinfo: z.array(intensiveCare).optional(),
    bldinfo: z.array(transfusion).optional(),
  })
  .strict();

// 清单流水号 (OH Output_4101.cs). Where the platform nests it is not confirmed: read leniently, and not
// required: reporting records an upload without it as accepted and learns the id later (a repeat's refusal
// names it), so an applied upload never waits on it.
export const output4101A = z.object({ setl_list_id: outStr().optional() }).passthrough().nullish();
