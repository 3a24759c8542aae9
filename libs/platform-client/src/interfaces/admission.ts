import { z } from 'zod';
import { date, datetime, dict, expContent, int, noBody, outStr, str, text } from './fields';

// 2401 入院办理 … 2407 就医特殊属性查询 (spec §3.1–§3.5).

/** Maternity / family-planning fields shared by 2401, 2402 and 2403. */
const maternityFields = {
  fpsc_no: str(50).optional(),
  matn_type: dict('matn_type').optional(),
  // 计划生育手术类别: its code list is not in the spec.
  birctrl_type: str(6).optional(),
  latechb_flag: dict('flag').optional(),
  geso_val: int(2).optional(),
  fetts: int(3).optional(),
  fetus_cnt: int(3).optional(),
  pret_flag: dict('flag').optional(),
  birctrl_matn_date: date().optional(),
};

/** One diagnosis (`diseinfo[]`) as 2401 sends it. */
const diagnosisFields = {
  psn_no: str(30),
  diag_type: dict('diag_type'),
  maindiag_flag: dict('flag'),
  diag_srt_no: int(2),
  diag_code: str(20),
  diag_name: str(100),
  adm_cond: str(500).optional(),
  diag_dept: str(50),
  dise_dor_no: str(30),
  dise_dor_name: str(50),
  diag_time: datetime(),
};

function diagnoses<T extends z.ZodTypeAny>(diagnosis: T) {
  return z.array(diagnosis).min(1, { message: 'must list at least one diagnosis' });
}

/** Admission details shared by 2401 `mdtrtinfo` and 2403 `adminfo`. */
const admissionFields = {
  psn_no: str(30),
  coner_name: str(50).optional(),
  tel: str(50).optional(),
  begntime: datetime(),
  mdtrt_cert_type: dict('mdtrt_cert_type'),
  med_type: dict('med_type'),
  medrcdno: str(30).optional(),
  atddr_no: str(30),
  chfpdr_name: str(50),
  adm_diag_dscr: str(200),
  adm_dept_codg: str(30),
  adm_dept_name: str(100),
  adm_bed: str(30),
  dscg_maindiag_code: str(20),
  dscg_maindiag_name: str(300),
  main_cond_dscr: str(1000).optional(),
  dise_codg: str(30).optional(),
  dise_name: str(500).optional(),
  // Required for 日间手术 (day surgery).
  oprn_oprt_code: str(30).optional(),
  oprn_oprt_name: str(500).optional(),
  ...maternityFields,
  dise_type_code: str(6).optional(),
  exp_content: expContent().optional(),
};

export const input2401 = z
  .object({
    mdtrtinfo: z
      .object({
        ...admissionFields,
        insutype: dict('insutype'),
        mdtrt_cert_no: str(50),
        ipt_no: str(30),
        // OH sends it inside mdtrtinfo; LN only in the envelope: optional here.
        insuplc_admdvs: str(6).optional(),
      })
      .strict(),
    // OH sends a list, LN a single object: a single one is sent as a one-element list (validateInput).
    diseinfo: diagnoses(z.object(diagnosisFields).strict()),
  })
  .strict();

// The business needs the visit's id only.
export const output2401 = z.object({ result: z.object({ mdtrt_id: outStr() }).passthrough() }).passthrough();

export const input2402 = z
  .object({
    dscginfo: z
      .object({
        mdtrt_id: str(30),
        psn_no: str(30),
        insutype: dict('insutype'),
        endtime: datetime(),
        dise_codg: str(30).optional(),
        dise_name: str(500).optional(),
        oprn_oprt_code: str(30).optional(),
        oprn_oprt_name: str(500).optional(),
        ...maternityFields,
        cop_flag: dict('flag').optional(),
        dscg_dept_codg: str(30),
        dscg_dept_name: str(100),
        dscg_bed: str(30).optional(),
        dscg_way: dict('dscg_way'),
        die_date: date().optional(),
        exp_content: expContent().optional(),
      })
      .strict(),
    // Discharge diagnoses; OH's shared model adds mdtrt_id and vali_flag.
    diseinfo: diagnoses(
      z
        .object({ ...diagnosisFields, mdtrt_id: str(30).optional(), vali_flag: dict('vali_flag').optional() })
        .strict(),
    ),
  })
  .strict();

export const output2402 = noBody();

export const input2403 = z
  .object({
    adminfo: z
      .object({
        ...admissionFields,
        mdtrt_id: str(30),
        endtime: datetime().optional(),
        // 2403 names the visit number ipt_otp_no where 2401 says ipt_no.
        ipt_otp_no: str(30),
      })
      .strict(),
    diseinfo: diagnoses(z.object({ ...diagnosisFields, mdtrt_id: str(30) }).strict()),
  })
  .strict();

export const output2403 = noBody();

const visitReference = z
  .object({ mdtrt_id: str(30), psn_no: str(30), exp_content: expContent().optional() })
  .strict();

export const input2404 = z.object({ data: visitReference }).strict();
export const output2404 = noBody();

export const input2405 = z.object({ data: visitReference }).strict();
export const output2405 = noBody();

// 2406/2407: the spec gives names but no lengths (lengths below are those of the same fields in
// other interfaces) nor required flags; the visit, the person and the flag itself are required.
const specialAttributeFields = {
  mdtrt_id: str(30),
  psn_no: str(30),
  psn_cert_type: dict('psn_cert_type').optional(),
  certno: str(50).optional(),
  psn_name: str(50).optional(),
  ipt_otp_no: str(30).optional(),
  // 就医人员特殊标识类型: code list not found in any source.
  ipt_psn_sp_flag_type: text(),
  ipt_psn_sp_flag: text(),
  admdvs: str(6).optional(),
};

export const input2406 = z
  .object({ data: z.object({ ...specialAttributeFields, memo: str(500).optional() }).strict() })
  .strict();

// The business needs the attribute's id only (a 2407 lists it later).
export const output2406 = z
  .object({ data: z.object({ ipt_psn_sp_flag_detl_id: outStr() }).passthrough() })
  .passthrough();

export const input2407 = z
  .object({
    data: z
      .object({
        mdtrt_id: str(30).optional(),
        psn_no: str(30).optional(),
        psn_cert_type: dict('psn_cert_type').optional(),
        certno: str(50).optional(),
        psn_name: str(50).optional(),
        ipt_otp_no: str(30).optional(),
        ipt_psn_sp_flag_type: text().optional(),
        ipt_psn_sp_flag: text().optional(),
        admdvs: str(6).optional(),
        fixmedins_code: str(30).optional(),
        fixmedins_name: str(200).optional(),
        ipt_psn_sp_flag_detl_id: text().optional(),
        page_num: int(6).optional(),
        page_size: int(4).optional(),
      })
      .strict(),
  })
  .strict();

const specialAttributeRecord = z
  .object({
    mdtrt_id: outStr().optional(),
    psn_no: outStr().optional(),
    psn_cert_type: outStr().optional(),
    certno: outStr().optional(),
    psn_name: outStr().optional(),
    ipt_otp_no: outStr().optional(),
    ipt_psn_sp_flag_type: outStr().optional(),
    ipt_psn_sp_flag: outStr().optional(),
    admdvs: outStr().optional(),
    fixmedins_code: outStr().optional(),
    fixmedins_name: outStr().optional(),
    ipt_psn_sp_flag_detl_id: outStr().optional(),
  })
  .passthrough();

// The list's node is unconfirmed: HSA reads output.IptPsnSpFlagReg.data[]; a plain output.data[]
// is accepted as well.
export const output2407 = z
  .object({
    data: z.array(specialAttributeRecord).optional(),
    IptPsnSpFlagReg: z
      .object({ data: z.array(specialAttributeRecord).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();
