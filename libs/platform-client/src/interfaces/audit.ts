import { z } from 'zod';
import {
  amount,
  date,
  dateOrDatetime,
  datetime,
  decimal,
  dict,
  int,
  outDecimal,
  outStr,
  price,
  str,
  text,
} from './fields';
import { dictionaryAccepts, dictionaryLabel, type DictionaryName } from './dictionaries';

// 3101 明细审核事前分析 / 3102 事中分析 (spec §4). Same input for both; the trigger scenarios
// differ: 事前 1–5, 事中 6–10. The spec gives lengths for some fields and no required flags: the
// identifiers of patient, visit and order and the amounts under audit are required, the rest optional.
// HSA's camelCase middle-platform variant (patientDtos, infno 3660) is vendor-specific: refused.

const diagnosis = z
  .object({
    dise_id: str(50).optional(),
    inout_dise_type: str(3).optional(),
    maindise_flag: dict('flag').optional(),
    dias_srt_no: str(2).optional(),
    dise_codg: str(30),
    dise_name: str(200),
    dise_date: dateOrDatetime().optional(),
    // HSA also sends the diagnosis category.
    dise_cgy: text().optional(),
  })
  .strict();

const order = z
  .object({
    rx_id: str(50),
    rxno: text().optional(),
    grpno: text().optional(),
    long_drord_flag: dict('flag').optional(),
    hilist_type: text().optional(),
    chrg_type: text().optional(),
    drord_bhvr: text().optional(),
    // The reference lists str 20, but it holds the same national list code 2301 sends as med_list_codg (str 50),
    // and those run to 23 characters: a shorter limit would force codes the rules cannot match.
    hilist_code: str(50),
    hilist_name: text().optional(),
    hilist_dosform: text().optional(),
    hilist_lv: text().optional(),
    hilist_pric: price().optional(),
    lv1_hosp_item_pric: price().optional(),
    lv2_hosp_item_pric: price().optional(),
    lv3_hosp_item_pric: price().optional(),
    hilist_memo: text().optional(),
    hosplist_code: text().optional(),
    hosplist_name: text().optional(),
    hosplist_dosform: text().optional(),
    cnt: decimal(6, 2),
    pric: price(),
    sumamt: amount(),
    ownpay_amt: amount().optional(),
    selfpay_amt: amount().optional(),
    spec: text().optional(),
    spec_unt: text().optional(),
    drord_begn_date: dateOrDatetime().optional(),
    drord_stop_date: dateOrDatetime().optional(),
    drord_dept_codg: text().optional(),
    drord_dept_name: text().optional(),
    drord_dr_codg: text().optional(),
    drord_dr_name: text().optional(),
    drord_dr_profttl: text().optional(),
    curr_drord_flag: dict('flag').optional(),
  })
  .strict();

const operation = z
  .object({
    setl_list_oprn_id: text().optional(),
    oprn_code: text(),
    oprn_name: text(),
    main_oprn_flag: dict('flag').optional(),
    oprn_date: dateOrDatetime().optional(),
    anst_way: text().optional(),
    oper_dr_name: text().optional(),
    oper_dr_code: text().optional(),
    anst_dr_name: text().optional(),
    anst_dr_code: text().optional(),
  })
  .strict();

const encounter = z
  .object({
    mdtrt_id: str(30),
    medins_id: str(50).optional(),
    medins_name: str(200).optional(),
    medins_admdvs: str(6).optional(),
    medins_type: str(3).optional(),
    medins_lv: str(3).optional(),
    wardarea_codg: text().optional(),
    wardno: text().optional(),
    bedno: text().optional(),
    adm_date: datetime().optional(),
    dscg_date: datetime().optional(),
    dscg_main_dise_codg: str(20).optional(),
    dscg_main_dise_name: str(50).optional(),
    fsi_diagnose_dtos: z.array(diagnosis).optional(),
    dr_codg: text().optional(),
    adm_dept_codg: text().optional(),
    adm_dept_name: text().optional(),
    dscg_dept_codg: text().optional(),
    dscg_dept_name: text().optional(),
    med_mdtrt_type: str(3).optional(),
    med_type: dict('med_type'),
    fsi_order_dtos: z.array(order).optional(),
    matn_stas: text().optional(),
    medfee_sumamt: amount(),
    ownpay_amt: amount().optional(),
    selfpay_amt: amount().optional(),
    acct_payamt: amount().optional(),
    ma_amt: amount().optional(),
    hifp_payamt: amount().optional(),
    setl_totlnum: int(4).optional(),
    insutype: dict('insutype'),
    reim_flag: dict('flag').optional(),
    out_setl_flag: dict('flag').optional(),
    fsi_operation_dtos: z.array(operation).optional(),
  })
  .strict();

const patient = z
  .object({
    // = psn_no
    patn_id: str(50),
    patn_name: str(50).optional(),
    gend: dict('gend').optional(),
    brdy: date().optional(),
    poolarea: str(10).optional(),
    curr_mdtrt_id: str(50),
    fsi_encounter_dtos: z.array(encounter).min(1, { message: 'must list at least one encounter' }),
    // The HIS-side data block: its structure is not in the spec.
    fsi_his_data_dto: z.record(z.unknown()).optional(),
  })
  .strict();

/** `trig_scen`: one scenario or several separated by commas, each a code of the given dictionary. */
function triggerScenarios(dictionary: DictionaryName) {
  return str(30).superRefine((value, ctx) => {
    const bad = value.split(',').filter((code) => !dictionaryAccepts(dictionary, code.trim()));
    if (bad.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `has ${bad.join(', ')}: not a code of dictionary ${dictionaryLabel(dictionary)}`,
      });
    }
  });
}

function auditInput(dictionary: DictionaryName) {
  return z
    .object({
      data: z
        .object({
          patient_dtos: z.array(patient).min(1, { message: 'must list at least one patient' }),
          // "与rule_ids指定其一即可，请优先指定此值": trig_scen or rule_ids, trig_scen preferred.
          trig_scen: triggerScenarios(dictionary).optional(),
          rule_ids: text().optional(),
          task_id: text().optional(),
        })
        .strict()
        .refine((data) => data.trig_scen !== undefined || data.rule_ids !== undefined, {
          message: 'is required (or rule_ids): the audit needs a trigger scenario or rule ids',
          path: ['trig_scen'],
        }),
    })
    .strict();
}

export const input3101 = auditInput('trig_scen_before');
export const input3102 = auditInput('trig_scen_during');

const finding = z
  .object({
    jr_id: outStr().optional(),
    rule_id: outStr().optional(),
    rule_name: outStr().optional(),
    vola_cont: outStr().optional(),
    patn_id: outStr().optional(),
    mdtrt_id: outStr().optional(),
    judge_result_detail_dtos: z
      .array(
        z
          .object({
            jrd_id: outStr().optional(),
            patn_id: outStr().optional(),
            mdtrt_id: outStr().optional(),
            rx_id: outStr().optional(),
            // 1 违规项, 2 涉及项
            vola_item_type: outStr().optional(),
            vola_amt: outDecimal().optional(),
          })
          .passthrough(),
      )
      .optional(),
    vola_amt: outDecimal().optional(),
    // Code lists of vola_amt_stas / sev_deg / vola_bhvr_type are not in the spec: kept as given.
    vola_amt_stas: outStr().optional(),
    sev_deg: outStr().optional(),
    vola_evid: outStr().optional(),
    vola_bhvr_type: outStr().optional(),
    task_id: outStr().optional(),
  })
  .passthrough();

/** No findings may come back as an empty list or a null `result`. */
const auditOutput = z.object({ result: z.array(finding).optional() }).passthrough();

export const output3101 = auditOutput;
export const output3102 = auditOutput;
