import { DSCG_WAY, INSUTYPE, MDTRT_CERT_TYPE, MED_TYPE, YES_NO } from './dictionaries';
import { anything, date, datetime, node, num, requiredNode, str, Y, type NodeRule } from './rule-engine';

/** 2401 入院办理 … 2407 就医特殊属性查询 (spec §3.1–3.5). */

/** The stay's maternity and procedure fields that 2401, 2402 and 2403 share. */
const STAY_DETAILS = {
  dise_codg: str(30),
  dise_name: str(500),
  oprn_oprt_code: str(30),
  oprn_oprt_name: str(500),
  fpsc_no: str(50),
  matn_type: str(6),
  birctrl_type: str(6),
  latechb_flag: str(3, YES_NO),
  pret_flag: str(3, YES_NO),
  geso_val: num(2),
  fetts: num(3),
  fetus_cnt: num(3),
  birctrl_matn_date: date(),
  exp_content: anything(),
} as const;

/** The admission's own fields, required as 2401 and 2403 both require them. */
const ADMISSION = {
  psn_no: Y(str(30)),
  coner_name: str(50),
  tel: str(50),
  begntime: Y(datetime()),
  mdtrt_cert_type: Y(str(3, MDTRT_CERT_TYPE)),
  med_type: Y(str(6, MED_TYPE)),
  medrcdno: str(30),
  atddr_no: Y(str(30)),
  chfpdr_name: Y(str(50)),
  adm_diag_dscr: Y(str(200)),
  adm_dept_codg: Y(str(30)),
  adm_dept_name: Y(str(100)),
  adm_bed: Y(str(30)),
  dscg_maindiag_code: Y(str(20)),
  dscg_maindiag_name: Y(str(300)),
  main_cond_dscr: str(1000),
  dise_type_code: str(6),
  ...STAY_DETAILS,
} as const;

/**
 * A diagnosis row (2401 diseinfo; 2402/2403 add mdtrt_id). diag_type is not checked against a dictionary:
 * the sources disagree on its codes (spec §6), the region's 1901 decides.
 */
const DIAGNOSIS = {
  psn_no: Y(str(30)),
  diag_type: Y(str(3)),
  maindiag_flag: Y(str(3, YES_NO)),
  diag_srt_no: Y(num(2)),
  diag_code: Y(str(20)),
  diag_name: Y(str(100)),
  adm_cond: str(500),
  diag_dept: Y(str(50)),
  dise_dor_no: Y(str(30)),
  dise_dor_name: Y(str(50)),
  diag_time: Y(datetime()),
} as const;

const VISIT = { mdtrt_id: Y(str(30)), psn_no: Y(str(30)), exp_content: anything() } as const;

/** 2406/2407 name the visit and the person; lengths are not in the sources, so only presence is checked. */
const SPECIAL_ATTRIBUTE_VISIT = { mdtrt_id: Y(str(30)), psn_no: Y(str(30)) } as const;

export const ADMISSION_RULES: Readonly<Record<string, Readonly<Record<string, NodeRule>>>> = {
  '2401': {
    mdtrtinfo: requiredNode({
      ...ADMISSION,
      insutype: Y(str(6, INSUTYPE)),
      mdtrt_cert_no: Y(str(50)),
      ipt_no: Y(str(30)),
    }),
    diseinfo: requiredNode(DIAGNOSIS),
  },
  '2402': {
    dscginfo: requiredNode({
      mdtrt_id: Y(str(30)),
      psn_no: Y(str(30)),
      insutype: Y(str(6, INSUTYPE)),
      endtime: Y(datetime()),
      ...STAY_DETAILS,
      cop_flag: str(3),
      dscg_dept_codg: Y(str(30)),
      dscg_dept_name: Y(str(100)),
      dscg_bed: str(30),
      dscg_way: Y(str(3, DSCG_WAY)),
      die_date: date(),
    }),
    // Discharge diagnoses: the spec gives the node, not that it may not be empty.
    diseinfo: node({ ...DIAGNOSIS, mdtrt_id: str(30) }),
  },
  '2403': {
    adminfo: requiredNode({
      ...ADMISSION,
      mdtrt_id: Y(str(30)),
      endtime: datetime(),
      ipt_otp_no: Y(str(30)),
    }),
    diseinfo: node({ ...DIAGNOSIS, mdtrt_id: Y(str(30)) }),
  },
  '2404': { data: requiredNode(VISIT) },
  '2405': { data: requiredNode(VISIT) },
  '2406': {
    data: requiredNode({
      ...SPECIAL_ATTRIBUTE_VISIT,
      ipt_psn_sp_flag_type: Y(str()),
      ipt_psn_sp_flag: Y(str()),
    }),
  },
  '2407': { data: requiredNode(SPECIAL_ATTRIBUTE_VISIT) },
};
