import { z } from 'zod';
import {
  amount,
  datetime,
  dict,
  expContent,
  noBody,
  outDecimal,
  outStr,
  price,
  quantity,
  str,
} from './fields';

// 2301 住院费用明细上传 / 2302 住院费用明细撤销 (spec §3.6, §3.7).

/** One fee line as uploaded. `feedetl_sn` must be unique within the visit (mdtrt_id). */
const feeDetailLine = z
  .object({
    feedetl_sn: str(30),
    // Set on refund lines (退单): the line being refunded.
    init_feedetl_sn: str(30).optional(),
    mdtrt_id: str(30),
    drord_no: str(30).optional(),
    psn_no: str(30),
    med_type: dict('med_type'),
    fee_ocur_time: datetime(),
    med_list_codg: str(50),
    medins_list_codg: str(150),
    det_item_fee_sumamt: amount(),
    cnt: quantity(),
    pric: price(),
    bilg_dept_codg: str(30),
    bilg_dept_name: str(100),
    bilg_dr_codg: str(30),
    bilg_dr_name: str(50),
    acord_dept_codg: str(30).optional(),
    acord_dept_name: str(100).optional(),
    orders_dr_code: str(30).optional(),
    orders_dr_name: str(50).optional(),
    hosp_appr_flag: dict('hosp_appr_flag').optional(),
    // 中药使用方式 / 外检标志 / 出院带药标志 / 生育费用标志: dictionaries whose code lists the spec lacks.
    tcmdrug_used_way: str(6).optional(),
    etip_flag: str(3).optional(),
    etip_hosp_code: str(30).optional(),
    dscg_tkdrug_flag: str(3).optional(),
    matn_fee_flag: str(6).optional(),
    memo: str(500).optional(),
    exp_content: expContent().optional(),
  })
  .strict();

// No official row limit per call exists; callers batch (50–100 rows is what integrators use).
export const input2301 = z
  .object({ feedetail: z.array(feeDetailLine).min(1, { message: 'must list at least one fee line' }) })
  .strict();

// The business needs, per line, what fee-detail records and publishes: the line, its amount, quantity and
// price as the platform took them, and its class (收费项目等级, 医疗收费项目类别) that decides the patient's
// share. Everything else (the price ceiling, policy amounts, flags) is read when given.
export const output2301 = z
  .object({
    result: z.array(
      z
        .object({
          feedetl_sn: outStr(),
          det_item_fee_sumamt: outDecimal(),
          cnt: outDecimal(),
          pric: outDecimal(),
          pric_uplmt_amt: outDecimal().optional(),
          selfpay_prop: outDecimal().optional(),
          fulamt_ownpay_amt: outDecimal().optional(),
          overlmt_amt: outDecimal().optional(),
          preselfpay_amt: outDecimal().optional(),
          inscp_scp_amt: outDecimal().optional(),
          chrgitm_lv: outStr(),
          med_chrgitm_type: outStr(),
          bas_medn_flag: outStr().optional(),
          hi_nego_drug_flag: outStr().optional(),
          chld_medc_flag: outStr().optional(),
          list_sp_item_flag: outStr().optional(),
          lmt_used_flag: outStr().optional(),
          drt_reim_flag: outStr().optional(),
          // 明细分割错误信息
          memo: outStr().optional(),
        })
        .passthrough(),
    ),
  })
  .passthrough();

const feeDetailRevocation = z
  .object({ feedetl_sn: str(30), mdtrt_id: str(30), psn_no: str(30), exp_content: expContent().optional() })
  .strict();

// OH sends `data` as a list, HSA as a single object: a single one is sent as a one-element list (OH's form,
// the closest to the spec's text; validateInput).
export const input2302 = z
  .object({ data: z.array(feeDetailRevocation).min(1, { message: 'must list at least one fee line' }) })
  .strict();
export const output2302 = noBody();
