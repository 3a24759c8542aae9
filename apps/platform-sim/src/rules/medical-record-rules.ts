import { YES_NO } from './dictionaries';
import { node, num, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/** 4401 住院病案首页 (spec §5.2) and 4402 住院医嘱记录 (§5.3). */

/** Every child row of the homepage names its record and whether it is valid. */
const HOMEPAGE_ROW = {
  vali_flag: Y(str(3, YES_NO)),
  ipt_medcas_hmpg_sn: Y(str()),
  mdtrt_sn: Y(str()),
} as const;

export const MEDICAL_RECORD_RULES: Readonly<Record<string, InterfaceRules>> = {
  '4401': {
    baseinfo: requiredNode({
      mdtrt_sn: Y(str()),
      mdtrt_id: str(30),
      psn_no: str(30),
      medcasno: Y(str()),
      psn_name: Y(str()),
      medfee_sumamt: Y(num(16, 2)),
      vali_flag: Y(str(3, YES_NO)),
      fixmedins_code: Y(str()),
    }),
    diseinfo: node(HOMEPAGE_ROW),
    oprninfo: node(HOMEPAGE_ROW),
    // The ICU rows carry the same keys, printed without Y.
    icuinfo: node({ vali_flag: str(3, YES_NO) }),
  },
  '4402': {
    data: requiredNode({
      mdtrt_sn: Y(str()),
      mdtrt_id: str(30),
      psn_no: str(30),
      vali_flag: Y(str(3, YES_NO)),
      medcas_drord_detl_id: Y(str()),
    }),
  },
};
