/**
 * The 1901 dictionary codes the sandbox checks (spec §6, part 2 §10). Only dictionaries the sources agree on
 * are checked; where they disagree (diag_type, chrgitm_lv, clr_way …) or the list is incomplete (matn_type,
 * ipt_psn_sp_flag_type) the platform's region decides, so the sandbox lets any code through.
 */

/** 0 否 / 1 是 (also vali_flag 0 无效 / 1 有效, maindiag_flag, mid_setl_flag, acct_used_flag …). */
export const YES_NO = ['0', '1'] as const;

export const INSUTYPE: readonly string[] = '310 320 330 340 350 360 370 380 390 391 392 399 410 510'.split(
  ' ',
);

/**
 * National codes plus the local 99xx ones the sources list, and the sandbox region's own: 22 外伤住院, which its
 * 1901 med_type lists (catalogue/catalogue-desk.ts) and the platform client's built-in list lacks, so a client
 * that does not extend its lists from the region's 1901 refuses it before sending.
 */
export const MED_TYPE: readonly string[] =
  '11 12 13 14 19 21 22 23 24 26 41 51 52 53 9901 9902 9903 9904 9906 9907 9921 9922 9925'.split(' ');

/** 01 医保电子凭证, 02 居民身份证, 03 社会保障卡. */
export const MDTRT_CERT_TYPE = ['01', '02', '03'] as const;

/** 01 按项目, 02 按定额 (local 0201 按单病种, 0202 按日间手术). */
export const PSN_SETLWAY = ['01', '02', '0201', '0202'] as const;

/** 1 医嘱离院, 2 医嘱转院, 3 转社区/乡镇卫生院, 4 非医嘱离院, 5 死亡, 9 其他. */
export const DSCG_WAY = ['1', '2', '3', '4', '5', '9'] as const;

/** 0 无须审批, 1 审批通过, 2 审批不通过. */
export const HOSP_APPR_FLAG = ['0', '1', '2'] as const;

/** 4101A diseinfo: 1 有, 2 临床未确定, 3 情况不明, 4 无. */
export const ADM_COND_TYPE = ['1', '2', '3', '4'] as const;

/**
 * 4101A hi_paymtd 医保支付方式: the fund's payment method (医疗保障基金结算清单填写规范) — 1 按项目, 2 单病种,
 * 3 按病种分值 (DIP), 4 疾病诊断相关分组 (DRG), 5 按床日, 6 按人头, 9 其他. Not the patient's psn_setlway.
 */
export const HI_PAYMTD = ['1', '2', '3', '4', '5', '6', '9'] as const;

/** 4101A / 4102 stas_type 状态分类: 0 未提交, 1 已提交 (spec part 2 §8.1). */
export const STAS_TYPE = ['0', '1'] as const;
