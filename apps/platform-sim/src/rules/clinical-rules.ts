import { YES_NO } from './dictionaries';
import { node, requiredNode, str, Y, type InterfaceRules } from './rule-engine';

/**
 * 4501–4506 clinical reports (spec §5.4). 4503/4504 fields were not extracted and 4506's meaning is unsure:
 * for them the platform's node is required and the rows' own checks are the ledger's (mdtrt_sn, vali_flag).
 */

const REPORT = {
  mdtrt_sn: Y(str()),
  mdtrt_id: str(30),
  psn_no: str(30),
  vali_flag: Y(str(3, YES_NO)),
} as const;

export const CLINICAL_RULES: Readonly<Record<string, InterfaceRules>> = {
  '4501': {
    examinfo: requiredNode(REPORT),
    iteminfo: node({}),
    sampleinfo: node({}),
    imageinfo: node({ rpotc_no: Y(str()), study_uid: Y(str()) }),
  },
  '4502': {
    labinfo: requiredNode(REPORT),
    iteminfo: node({}),
    sampleinfo: node({}),
  },
  '4503': { data: requiredNode({}) },
  '4504': { data: requiredNode({}) },
  '4505': {
    data: requiredNode({
      ...REPORT,
      palg_no: Y(str(18)),
      frozen_no: Y(str()),
      cma_date: Y(str()),
      rpot_date: Y(str()),
      cma_matl: Y(str()),
      clnc_dise: Y(str()),
      exam_fnd: Y(str()),
      sabc: Y(str()),
      palg_diag: Y(str(4000)),
    }),
  },
  '4506': { data: requiredNode({}) },
};
