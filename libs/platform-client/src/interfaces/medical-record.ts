import { z } from 'zod';
import { amount, dateOrDatetime, dict, noBody, str, text } from './fields';

// 4401 住院病案首页 / 4402 住院医嘱记录 (spec §5.2, §5.3). The spec names the key fields of 136
// (baseinfo) and ~40 (orders); the nodes type those and keep any other field the caller sends
// (passthrough) rather than refusing or dropping it. Answers carry no documented body.

/** mdtrt_sn 就医流水号 = fixmedins_code + the HIS's unique visit serial. */
const recordKeys = {
  mdtrt_sn: text(),
  mdtrt_id: str(30).optional(),
  psn_no: str(30).optional(),
  vali_flag: dict('vali_flag'),
};

/** The homepage's rows point back at it by ipt_medcas_hmpg_sn. */
const homepageRowKeys = { ...recordKeys, ipt_medcas_hmpg_sn: text() };

// The homepage spells hcv-ab / hiv-ab with hyphens on the wire (OH rewrites them before sending).
const homepage = z
  .object({
    ...recordKeys,
    patn_ipt_cnt: text().optional(),
    ipt_no: text().optional(),
    medcasno: text(),
    psn_name: text(),
    gend: dict('gend').optional(),
    certno: text().optional(),
    adm_date: dateOrDatetime().optional(),
    dscg_date: dateOrDatetime().optional(),
    dscg_way: dict('dscg_way').optional(),
    medfee_sumamt: amount(),
    fixmedins_code: str(30),
  })
  .passthrough();

export const input4401 = z
  .object({
    baseinfo: homepage,
    diseinfo: z.array(
      z
        .object({
          ...homepageRowKeys,
          ipt_patn_disediag_type_code: text().optional(),
          maindiag_flag: dict('flag').optional(),
          diag_code: text().optional(),
          diag_name: text().optional(),
          adm_cond_code: text().optional(),
        })
        .passthrough(),
    ),
    oprninfo: z
      .array(
        z
          .object({
            ...homepageRowKeys,
            oprn_oprt_date: dateOrDatetime().optional(),
            oprn_oprt_name: text().optional(),
            oprn_oprt_code: text().optional(),
            main_oprn_flag: dict('flag').optional(),
            anst_begntime: dateOrDatetime().optional(),
            anst_endtime: dateOrDatetime().optional(),
          })
          .passthrough(),
      )
      .optional(),
    icuinfo: z
      .array(
        z
          .object({
            ...homepageRowKeys,
            vali_flag: dict('vali_flag').optional(),
            ipt_medcas_hmpg_sn: text().optional(),
            inpool_icu_time: dateOrDatetime().optional(),
            out_icu_time: dateOrDatetime().optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .strict();

export const output4401 = noBody();

export const input4402 = z
  .object({
    data: z
      .array(
        z
          .object({
            ...recordKeys,
            // The order detail's primary key.
            medcas_drord_detl_id: text(),
            ipt_bedno: text().optional(),
            drord_no: text().optional(),
            drord_type: text().optional(),
            drord_isu_no: dateOrDatetime().optional(),
            medc_begntime: dateOrDatetime().optional(),
            medc_endtime: dateOrDatetime().optional(),
            drord_endtime: dateOrDatetime().optional(),
          })
          .passthrough(),
      )
      .min(1, { message: 'must list at least one order' }),
  })
  .strict();

export const output4402 = noBody();
