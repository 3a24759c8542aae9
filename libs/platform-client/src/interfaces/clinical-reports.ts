import { z } from 'zod';
import { amount, dateOrDatetime, dict, int, noBody, str, text } from './fields';

// 4501–4506 临床报告 (spec §5.4). Key fields typed, other fields kept (passthrough): the spec has
// key fields only, and none at all for 4503/4504. Answers carry no documented body.

const reportKeys = {
  mdtrt_sn: text(),
  mdtrt_id: str(30).optional(),
  psn_no: str(30).optional(),
  vali_flag: dict('vali_flag'),
};

/** Rows whose fields the spec does not list. */
const untypedRows = z.array(z.object({}).passthrough());

export const input4501 = z
  .object({
    examinfo: z
      .object({
        ...reportKeys,
        appy_no: text().optional(),
        rpotc_no: text().optional(),
        rpotc_type_code: text().optional(),
        exam_date: dateOrDatetime().optional(),
        rpt_date: dateOrDatetime().optional(),
        exam_item_code: text().optional(),
        exam_item_name: text().optional(),
        exam_part: text().optional(),
        exam_rslt_poit_flag: text().optional(),
        exam_rslt_abn: text().optional(),
        exam_ccls: text().optional(),
      })
      .passthrough(),
    iteminfo: untypedRows.optional(),
    sampleinfo: untypedRows.optional(),
    imageinfo: z
      .array(
        z
          .object({
            rpotc_no: text(),
            // DICOM StudyInstanceUID
            study_uid: text(),
            patient_id: text().optional(),
            acession_no: text().optional(),
            modality: text().optional(),
            store_path: text().optional(),
            series_count: int(9).optional(),
            image_count: int(9).optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .strict();

export const input4502 = z
  .object({
    labinfo: z
      .object({
        ...reportKeys,
        appy_no: text().optional(),
        appy_org_code: text().optional(),
        exam_org_code: text().optional(),
        exam_mtd: text().optional(),
        rpotc_no: text().optional(),
        exam_item_code: text().optional(),
        exam_item_name: text().optional(),
        rpt_date: dateOrDatetime().optional(),
        rpot_doc: text().optional(),
        exam_charge: amount().optional(),
      })
      .passthrough(),
    iteminfo: z
      .array(
        z
          .object({
            exam_item_detl_code: text().optional(),
            exam_item_detl_name: text().optional(),
            exam_rslt_val: text().optional(),
            exam_unt: text().optional(),
            ref_val: text().optional(),
            exam_rslt_dicm: text().optional(),
            exam_rslt_abn: text().optional(),
          })
          .passthrough(),
      )
      .optional(),
    sampleinfo: untypedRows.optional(),
  })
  .strict();

/** 4503 细菌培养 / 4504 药敏: field lists not extracted by any source; the record keys are typed. */
const keyedRecords = z
  .array(z.object({ ...reportKeys }).passthrough())
  .min(1, { message: 'must list at least one record' });

export const input4503 = z.object({ data: keyedRecords }).strict();
export const input4504 = z.object({ data: keyedRecords }).strict();

export const input4505 = z
  .object({
    data: z
      .object({
        ...reportKeys,
        palg_no: str(18),
        frozen_no: text(),
        cma_date: dateOrDatetime(),
        rpot_date: dateOrDatetime(),
        cma_matl: text(),
        clnc_dise: text(),
        exam_fnd: text(),
        sabc: text(),
        palg_diag: str(4000),
      })
      .passthrough(),
  })
  .strict();

// 4506: HSA uses it for unstructured reports; name and semantics are unsure, so the keys are typed
// and nothing more is required.
export const input4506 = z
  .object({
    data: z
      .object({
        ...reportKeys,
        otp_ipt_flag: text().optional(),
        exam_test_flag: text().optional(),
        appy_no: text().optional(),
        file_name: text().optional(),
        file_formate: text().optional(),
        exam_test_rpot: text().optional(),
      })
      .passthrough(),
  })
  .strict();

export const output4501 = noBody();
export const output4502 = noBody();
export const output4503 = noBody();
export const output4504 = noBody();
export const output4505 = noBody();
export const output4506 = noBody();
