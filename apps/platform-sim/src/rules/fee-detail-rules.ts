import { HOSP_APPR_FLAG, MED_TYPE } from './dictionaries';
import { anything, datetime, num, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/** 2301 住院费用明细上传 (spec §3.6) and 2302 住院费用明细撤销 (§3.7: data as a list or a single object). */
export const FEE_DETAIL_RULES: Readonly<Record<string, InterfaceRules>> = {
  '2301': {
    feedetail: requiredNode({
      feedetl_sn: Y(str(30)),
      init_feedetl_sn: str(30),
      mdtrt_id: Y(str(30)),
      drord_no: str(30),
      psn_no: Y(str(30)),
      med_type: Y(str(6, MED_TYPE)),
      fee_ocur_time: Y(datetime()),
      med_list_codg: Y(str(50)),
      medins_list_codg: Y(str(150)),
      det_item_fee_sumamt: Y(num(16, 2)),
      cnt: Y(num(16, 4)),
      pric: Y(num(16, 6)),
      bilg_dept_codg: Y(str(30)),
      bilg_dept_name: Y(str(100)),
      bilg_dr_codg: Y(str(30)),
      bilg_dr_name: Y(str(50)),
      acord_dept_codg: str(30),
      acord_dept_name: str(100),
      orders_dr_code: str(30),
      orders_dr_name: str(50),
      hosp_appr_flag: str(3, HOSP_APPR_FLAG),
      tcmdrug_used_way: str(6),
      etip_flag: str(3),
      etip_hosp_code: str(30),
      dscg_tkdrug_flag: str(3),
      matn_fee_flag: str(6),
      memo: str(500),
      exp_content: anything(),
    }),
  },
  '2302': {
    data: requiredNode({
      feedetl_sn: Y(str(30)),
      mdtrt_id: Y(str(30)),
      psn_no: Y(str(30)),
      exp_content: anything(),
    }),
  },
};
