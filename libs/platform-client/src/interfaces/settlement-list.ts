import { z } from 'zod';
import { date, dateOrDatetime, datetime, decimal, dict, int, noBody, outStr, str, text } from './fields';

// 4101A 医疗保障基金结算清单信息上传 (spec §5.1), Hubei's replacement of 4101 ("代替4101接口"), and 4102
// 结算清单状态修改 (spec part 2 §8.1), which withdraws a submitted list ("撤回提交的结算清单").
// 4101A's setlinfo is its own 57 fields, not 4101's 82: OH Input_4101A.cs, the Dongguan DLL header
// (prot_fund_setlinfo_struct) and a Zhejiang HIS's 4101A builder list the same set: the person's identifiers
// (psn_no), the stay, the bill and the filling details, without the demographics, insurance type, area and
// money totals the platform holds from 2401/2304 (no hi_type, insuplc, ipt_med_type, adm_caty, act_ipt_days,
// psn_ownpay, acct_pay, psn_cash_pay, hsorg). The object is strict: a 4101-only field is our bug.
// The sources disagree on five names: three write nwb_admtype, nwbbirwt, nwbadmwt, otptcmdise, tcmdisecode
// (as the spec's print appears to), OH nwb_adm_type, nwb_bir_wt, nwb_adm_wt, otp_tcm_dise, tcm_dise_code:
// both spellings are accepted here, and the caller chooses (reporting's REPORTING_NWB_FIELD_NAMES).
// Required: the identifiers, bill and filling details, the dates and the payment method.

/** "天 时 分" durations, e.g. `1 13 24` (ventilator, coma, ICU). */
const duration = () =>
  str(20).regex(/^\d+ ([01]?\d|2[0-3]) [0-5]?\d$/, {
    message: 'is not a duration "days hours minutes" (e.g. "1 13 24")',
  });

/** 新生儿体重, grams to 10 g (num 6,2). */
const weight = () => decimal(6, 2);

const settlementList = z
  .object({
    psn_no: str(30),
    mdtrt_id: str(30),
    setl_id: str(30),
    hi_no: text().optional(),
    medcasno: text(),
    dcla_time: dateOrDatetime().optional(),
    ntly: text().optional(),
    prfs: text().optional(),
    curr_addr: text().optional(),
    emp_name: text().optional(),
    emp_addr: text().optional(),
    emp_tel: text().optional(),
    poscode: text().optional(),
    coner_name: text().optional(),
    patn_rlts: text().optional(),
    coner_addr: text().optional(),
    coner_tel: text().optional(),
    nwb_admtype: text().optional(),
    nwb_adm_type: text().optional(),
    nwbbirwt: weight().optional(),
    nwb_bir_wt: weight().optional(),
    nwbadmwt: weight().optional(),
    nwb_adm_wt: weight().optional(),
    mul_nwb_bir_wt: text().optional(),
    mul_nwb_adm_wt: text().optional(),
    opsp_diag_caty: text().optional(),
    opsp_mdtrt_date: dateOrDatetime().optional(),
    adm_way: text().optional(),
    trt_type: text().optional(),
    adm_time: dateOrDatetime(),
    // Transfers between departments, joined with "→".
    refldept_dept: text().optional(),
    dscg_time: dateOrDatetime(),
    dscg_caty: text(),
    otp_wm_dise: text().optional(),
    wm_dise_code: text().optional(),
    otptcmdise: text().optional(),
    otp_tcm_dise: text().optional(),
    tcmdisecode: text().optional(),
    tcm_dise_code: text().optional(),
    vent_used_dura: duration().optional(),
    pwcry_bfadm_coma_dura: duration().optional(),
    pwcry_afadm_coma_dura: duration().optional(),
    spga_nurscare_days: int(5).optional(),
    lv1_nurscare_days: int(5).optional(),
    scd_nurscare_days: int(5).optional(),
    lv3_nurscare_days: int(5).optional(),
    dscg_way: dict('dscg_way').optional(),
    // Required when dscg_way is 2 or 3 (transfer).
    acp_medins_name: text().optional(),
    acp_optins_code: text().optional(),
    bill_code: text(),
    bill_no: text(),
    biz_sn: text(),
    days_rinp_flag_31: dict('flag').optional(),
    days_rinp_pup_31: text().optional(),
    chfpdr_code: text().optional(),
    setl_begn_date: date(),
    setl_end_date: date(),
    medins_fill_dept: text(),
    medins_fill_psn: text(),
    resp_nurs_code: text().optional(),
    stas_type: dict('stas_type'),
    hi_paymtd: dict('hi_paymtd'),
  })
  .strict();

const chronicDiseaseDiagnosis = z
  .object({
    diag_name: text(),
    diag_code: text(),
    oprn_oprt_name: text().optional(),
    oprn_oprt_code: text().optional(),
  })
  .strict();

const diagnosis = z
  .object({
    diag_type: dict('diag_type'),
    diag_code: text(),
    diag_name: text(),
    adm_cond_type: dict('adm_cond_type').optional(),
    maindiag_flag: dict('flag').optional(),
  })
  .strict();

// 4101A's operations: begin and end times instead of 4101's date, the operator by code only (same sources).
const operation = z
  .object({
    oprn_oprt_type: text(),
    oprn_oprt_name: text(),
    oprn_oprt_code: text(),
    anst_way: text().optional(),
    oper_dr_code: text(),
    anst_dr_code: text().optional(),
    oprn_oprt_begntime: datetime(),
    oprn_oprt_endtime: datetime(),
    anst_begntime: datetime().optional(),
    anst_endtime: datetime().optional(),
  })
  .strict();

const intensiveCare = z
  .object({
    scs_cutd_ward_type: text(),
    scs_cutd_inpool_time: dateOrDatetime(),
    scs_cutd_exit_time: dateOrDatetime(),
    scs_cutd_sum_dura: duration(),
  })
  .strict();

// 输血 (blood transfusion, dictionary table 194 for bld_cat).
const transfusion = z
  .object({ bld_cat: text().optional(), bld_amt: text().optional(), bld_unt: text().optional() })
  .strict();

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

/**
 * 4102: `data.stastinfo[]`, one row per settlement (the list is keyed by setl_id, not setl_list_id). stas_type
 * 0 withdraws a submitted list (HSA's toggle; Hubei: "撤回提交的医疗保障基金结算清单"), 1 submits one again.
 */
export const input4102 = z
  .object({
    data: z
      .object({
        stastinfo: z
          .array(z.object({ psn_no: str(30), setl_id: str(30), stas_type: dict('stas_type') }).strict())
          .min(1, { message: 'must list at least one settlement' }),
      })
      .strict(),
  })
  .strict();

// No output body (OH Output_4102.cs is empty).
export const output4102 = noBody();
