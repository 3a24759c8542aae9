import { INSUTYPE, YES_NO } from './dictionaries';
import {
  anything,
  date,
  num,
  requiredNode,
  str,
  Y,
  type FieldRule,
  type InterfaceRules,
} from './rule-engine';

/**
 * 3201 对总账 / 3202 对明细账 (spec part 2 §2.1, §2.2), 3203 / 3204 清算申请·撤销 (§3.1, §3.2), 5203 结算信息查询
 * (§2.4), 9101 / 9102 文件上传·下载 (§4):
 * the HN/JX tables. clr_type is checked against the national list (11 门诊, 21 住院, 41 药店购药, 99 其他) plus
 * HN's 51 暂缓结算.
 */
const CLR_TYPE = ['11', '21', '41', '51', '99'];

const PERIOD_TOTALS: Readonly<Record<string, FieldRule>> = {
  setl_optins: Y(str(6)),
  stmt_begndate: Y(date()),
  stmt_enddate: Y(date()),
  medfee_sumamt: Y(num(16, 2)),
  fund_pay_sumamt: Y(num(16, 2)),
  fixmedins_setl_cnt: Y(num(10)),
  clr_type: Y(str(6, CLR_TYPE)),
  refd_setl_flag: str(3, YES_NO),
};

export const RECONCILIATION_RULES: Readonly<Record<string, InterfaceRules>> = {
  '3201': {
    data: requiredNode({ ...PERIOD_TOTALS, insutype: Y(str(6, INSUTYPE)), acct_pay: Y(num(16, 2)) }),
  },
  '3202': {
    data: requiredNode({ ...PERIOD_TOTALS, file_qury_no: Y(str(30)), cash_payamt: Y(num(16, 2)) }),
  },
  '3203': {
    data: requiredNode({
      clr_type: Y(str(30, CLR_TYPE)),
      clr_way: str(30),
      setlym: Y(str(6)),
      psntime: Y(num(6)),
      medfee_sumamt: Y(num(16, 2)),
      med_sumfee: Y(num(16, 2)),
      fund_appy_sum: Y(num(16, 2)),
      cash_payamt: Y(num(16, 2)),
      acct_pay: Y(num(16, 2)),
      begndate: Y(date()),
      enddate: Y(date()),
    }),
  },
  '3204': { data: requiredNode({ clr_appy_evt_id: Y(str(30)) }) },
  '5203': { data: requiredNode({ psn_no: Y(str(30)), setl_id: Y(str(30)), mdtrt_id: str(30) }) },
  // `in`: Base64 text or a JSON array of byte values (the prints leave it open; the ledger reads both).
  '9101': {
    fsUploadIn: requiredNode({ in: Y(anything()), filename: Y(str(200)), fixmedins_code: Y(str(30)) }),
  },
  // 9102 is in catalogue-rules.ts: one rule for every file the platform issues.
};
