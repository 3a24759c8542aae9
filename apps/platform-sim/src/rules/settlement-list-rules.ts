import { ADM_COND_TYPE, YES_NO } from './dictionaries';
import { datetime, node, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/**
 * 4101A 医疗保障基金结算清单信息上传 (spec §5.1). The sources give 4101A's field names but not which of 4101's
 * required fields it keeps ("lengths of 4101A fields" is an open point), so setlinfo requires only what
 * names the settlement (mdtrt_id, setl_id and the person); the child rows keep their printed requirements.
 */
export const SETTLEMENT_LIST_RULES: Readonly<Record<string, InterfaceRules>> = {
  '4101A': {
    setlinfo: requiredNode({ mdtrt_id: Y(str(30)), setl_id: Y(str(30)), psn_no: Y(str(30)) }),
    diseinfo: requiredNode({
      diag_type: Y(str(3)),
      diag_code: Y(str()),
      diag_name: Y(str()),
      adm_cond_type: str(3, ADM_COND_TYPE),
      maindiag_flag: str(3, YES_NO),
    }),
    oprninfo: node({
      oprn_oprt_type: Y(str()),
      oprn_oprt_name: Y(str()),
      oprn_oprt_code: Y(str()),
      oprn_oprt_date: Y(str()),
      oper_dr_name: Y(str()),
      oper_dr_code: Y(str()),
      oprn_oprt_begntime: datetime(),
      oprn_oprt_endtime: datetime(),
      anst_begntime: datetime(),
      anst_endtime: datetime(),
    }),
    icuinfo: node({
      scs_cutd_ward_type: Y(str()),
      scs_cutd_inpool_time: Y(str()),
      scs_cutd_exit_time: Y(str()),
      scs_cutd_sum_dura: Y(str()),
    }),
    opspdiseinfo: node({}),
    bldinfo: node({}),
  },
};
