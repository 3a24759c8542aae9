import { z } from 'zod';
import { defineContract, withJsonSchema } from './contract';
import {
  code,
  flag,
  money,
  platformDate,
  platformDateTime,
  quantity,
  unitPrice,
  weightGrams,
} from './field-formats';
import { Topics } from './topics';

// Events the HIS publishes on `his.inpatient`, in the platform's own field names (2401, 2402, 2403,
// 2404, 2406, 2301, 2302, 2303/2304, 2305) so that a HIS vendor maps its columns once.

/** A diagnosis as 2401/2402 `diseinfo[]` carries it. */
export const diagnosisSchema = z
  .object({
    diag_type: code(3).describe('诊断类别 (dict diag_type)'),
    maindiag_flag: flag().describe('主诊断标志: 1 main diagnosis'),
    diag_srt_no: z.number().int().min(1).max(99).describe('诊断排序号'),
    diag_code: code(20).describe('诊断代码 (ICD-10 national edition)'),
    diag_name: code(100).describe('诊断名称'),
    adm_cond: z.string().max(500).optional().describe('入院病情'),
    diag_dept: code(50).describe('诊断科室'),
    dise_dor_no: code(30).describe('诊断医生编码'),
    dise_dor_name: code(50).describe('诊断医生姓名'),
    diag_time: platformDateTime().describe('诊断时间'),
  })
  .strict();

const admissionFields = {
  ipt_no: code(30).describe('住院号: the HIS visit id, also the message key'),
  medrcdno: z.string().max(30).optional().describe('病历号'),
  psn_no: code(30)
    .optional()
    .describe('人员编号; when absent the service looks the person up by certificate (1101)'),
  // 2401 and 2403 require the certificate whether or not the HIS knows psn_no.
  mdtrt_cert_type: z.enum(['01', '02', '03']).describe('就诊凭证类型: 01 e-voucher, 02 ID card, 03 SSC'),
  mdtrt_cert_no: code(50).describe('就诊凭证编号 (a patient identifier: never logged in clear)'),
  card_sn: z
    .string()
    .max(32)
    .optional()
    .describe(
      '卡识别码 of a social security card (03): 1101 requires it with that card (a patient identifier)',
    ),
  psn_name: z
    .string()
    .max(50)
    .optional()
    .describe('人员姓名: sent with 1101, which checks it against the person (a patient identifier)'),
  insuplc_admdvs: z.string().length(6).optional().describe('参保地医保区划 of the patient'),
  insutype: code(6).describe('险种类型 (dict insutype, e.g. 310)'),
  med_type: code(6).describe('医疗类别 (dict med_type, e.g. 21 普通住院)'),
  begntime: platformDateTime().describe('入院时间'),
  coner_name: z.string().max(50).optional().describe('联系人姓名'),
  tel: z.string().max(50).optional().describe('联系电话'),
  adm_dept_codg: code(30).describe('入院科室编码'),
  adm_dept_name: code(100).describe('入院科室名称'),
  adm_bed: code(30).describe('入院床位'),
  atddr_no: code(30).describe('主治医生编码'),
  chfpdr_name: code(50).describe('主诊医师姓名'),
  adm_diag_dscr: code(200).describe('入院诊断描述'),
  dscg_maindiag_code: code(20).describe('住院主诊断代码'),
  dscg_maindiag_name: code(300).describe('住院主诊断名称'),
  main_cond_dscr: z.string().max(1000).optional().describe('主要病情描述'),
  dise_codg: z.string().max(30).optional().describe('病种编码 (按病种/日间手术)'),
  dise_name: z.string().max(500).optional().describe('病种名称'),
  oprn_oprt_code: z.string().max(30).optional().describe('手术操作代码 (required for 日间手术)'),
  oprn_oprt_name: z.string().max(500).optional().describe('手术操作名称'),
  diagnoses: z.array(diagnosisSchema).min(1).describe('入院诊断 (2401 diseinfo)'),
};

const admissionSchema = z.object(admissionFields).strict();

/**
 * 生育 (maternity) and 计划生育 (family planning) fields, in the names 2401, 2403 and 2402 share (spec §3.1–§3.3).
 * A 生育住院 (med_type 52) names what is known at admission; once the delivery happened the HIS sends the
 * admission again (AdmissionChanged → 2403) with matn_type and birctrl_matn_date, and 2402 repeats them.
 */
const maternityFields = {
  fpsc_no: z.string().max(50).optional().describe('计划生育服务证号'),
  matn_type: code(6)
    .optional()
    .describe(
      '生育类别 (dict matn_type): 1 正常产, 2 助娩产, 3 剖宫产, 4 难产, 5 流产, 6 引产, 7 产前检查, 9 其他, 10 宫外孕',
    ),
  birctrl_type: code(6).optional().describe('计划生育手术类别 (dict birctrl_type)'),
  latechb_flag: flag().optional().describe('晚育标志'),
  geso_val: z.number().int().min(1).max(99).optional().describe('孕周数'),
  fetts: z.number().int().min(1).max(999).optional().describe('胎次'),
  fetus_cnt: z.number().int().min(1).max(999).optional().describe('胎儿数'),
  pret_flag: flag().optional().describe('早产标志'),
  birctrl_matn_date: platformDate()
    .optional()
    .describe('计划生育手术或生育日期 (a newborn admitted with the mother: the birth date)'),
};

/** A newborn's admission (新生儿): what the settlement list (4101A) reports of it. */
const newbornFields = {
  nwb_adm_type: code(3)
    .optional()
    .describe(
      '新生儿入院类型 (dict nwb_adm_type): 1 正常新生儿, 2 早产儿, 3 有疾病新生儿, 4 非无菌分娩, 9 其他',
    ),
  nwb_bir_wt: weightGrams().optional().describe('新生儿出生体重, grams (to 10 g)'),
  nwb_adm_wt: weightGrams().optional().describe('新生儿入院体重, grams (to 10 g)'),
  mul_nwb_bir_wt: z
    .string()
    .max(100)
    .optional()
    .describe(
      '多新生儿出生体重: the weights of the other newborns of a multiple birth, as the platform takes it',
    ),
  mul_nwb_adm_wt: z.string().max(100).optional().describe('多新生儿入院体重'),
};

/** The maternity fields of an admission, as 2401, 2403 and 2402 take them. */
export const MATERNITY_FIELDS = Object.keys(maternityFields) as (keyof typeof maternityFields)[];
/** The newborn fields of an admission: the settlement list's (4101A), not the admission interfaces'. */
export const NEWBORN_FIELDS = Object.keys(newbornFields) as (keyof typeof newbornFields)[];

const admissionV2Fields = {
  ...admissionFields,
  gend: z
    .enum(['0', '1', '2', '9'])
    .optional()
    .describe('性别 (dict gend): 3101/3102 check the items restricted by sex with it'),
  brdy: platformDate()
    .optional()
    .describe('出生日期: 3101/3102 check the items restricted by age with it (a patient identifier)'),
  ...maternityFields,
  ...newbornFields,
};

const admissionV2Schema = z.object(admissionV2Fields).strict();

/** v1 carried none of v2's additions: lifted as it is (sex, birth date, maternity and newborn not given). */
const admissionFromV1 = (previous: unknown) => previous as z.input<typeof admissionV2Schema>;

const diagnosisExample = {
  diag_type: '1',
  maindiag_flag: '1' as const,
  diag_srt_no: 1,
  diag_code: 'J18.900',
  diag_name: '肺炎',
  diag_dept: '呼吸内科',
  dise_dor_no: 'D0012',
  dise_dor_name: '王医生',
  diag_time: '2024-05-01 09:10:00',
};

const admissionExample = {
  ipt_no: 'ZY20240501001',
  psn_no: '42000000000000000001234',
  mdtrt_cert_type: '02' as const,
  mdtrt_cert_no: '420102198001011234',
  insutype: '310',
  med_type: '21',
  begntime: '2024-05-01 09:00:00',
  adm_dept_codg: 'A03.01',
  adm_dept_name: '呼吸内科',
  adm_bed: '12床',
  atddr_no: 'D0012',
  chfpdr_name: '王医生',
  adm_diag_dscr: '社区获得性肺炎',
  dscg_maindiag_code: 'J18.900',
  dscg_maindiag_name: '肺炎',
  diagnoses: [diagnosisExample],
};

export const PatientAdmittedV1 = defineContract({
  type: 'PatientAdmitted',
  version: 1,
  topic: Topics.hisInpatient,
  summary:
    'The HIS admitted an insured inpatient (superseded by v2): read as v2 without sex, birth date, maternity or newborn fields.',
  data: admissionSchema,
  example: admissionExample,
});

export const AdmissionChangedV1 = defineContract({
  type: 'AdmissionChanged',
  version: 1,
  topic: Topics.hisInpatient,
  summary:
    'The admission as it stands after a change at the HIS (superseded by v2): read as v2 without the fields v2 adds.',
  data: admissionSchema,
  example: { ...admissionExample, adm_bed: '15床' },
});

/** A 生育住院 (med_type 52) as admitted: a second pregnancy in its 39th week, one fetus. */
const maternityAdmissionExample = {
  ...admissionExample,
  ipt_no: 'ZY20240501002',
  psn_no: '42000000000000000005678',
  mdtrt_cert_no: '420102199203154526',
  gend: '2' as const,
  brdy: '1992-03-15',
  med_type: '52',
  adm_dept_codg: 'A05.01',
  adm_dept_name: '产科',
  adm_diag_dscr: '孕39周，孕2产1，头位待产',
  dscg_maindiag_code: 'O80.000',
  dscg_maindiag_name: '单胎顺产',
  geso_val: 39,
  fetts: 2,
  fetus_cnt: 1,
  diagnoses: [{ ...diagnosisExample, diag_code: 'O80.000', diag_name: '单胎顺产', diag_dept: '产科' }],
};

export const PatientAdmittedV2 = defineContract({
  type: 'PatientAdmitted',
  version: 2,
  topic: Topics.hisInpatient,
  summary:
    "The HIS admitted an insured inpatient (becomes 2401 入院办理): v1's fields, plus the patient's sex and birth date (3101/3102 age and sex rules), a 生育住院's maternity fields (2401) and a newborn's (4101A).",
  data: admissionV2Schema,
  upcast: admissionFromV1,
  example: maternityAdmissionExample,
});

export const AdmissionChangedV2 = defineContract({
  type: 'AdmissionChanged',
  version: 2,
  topic: Topics.hisInpatient,
  summary:
    'The admission as it stands after a change at the HIS (becomes 2403 入院信息变更), e.g. a 生育住院 after the delivery: matn_type and birctrl_matn_date, which 2402 repeats at discharge.',
  data: admissionV2Schema,
  upcast: admissionFromV1,
  example: {
    ...maternityAdmissionExample,
    matn_type: '1',
    birctrl_matn_date: '2024-05-02',
    latechb_flag: '0',
    pret_flag: '0',
  },
});

export const AdmissionCancelledV1 = defineContract({
  type: 'AdmissionCancelled',
  version: 1,
  topic: Topics.hisInpatient,
  summary: 'The HIS cancelled the admission (becomes 2404 入院撤销).',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      reason: code(500).describe('Why the admission was cancelled'),
    })
    .strict(),
  example: { ipt_no: 'ZY20240501001', reason: '误登记' },
});

export const SpecialAttributeRecordedV1 = defineContract({
  type: 'SpecialAttributeRecorded',
  version: 1,
  topic: Topics.hisInpatient,
  summary: 'The HIS marked a special attribute of the stay (becomes 2406 就医特殊属性上传).',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      ipt_psn_sp_flag_type: code(6).describe('就医人员特殊标识类型'),
      ipt_psn_sp_flag: code(6).describe('就医人员特殊标识'),
      memo: z.string().max(500).optional().describe('备注'),
    })
    .strict(),
  example: { ipt_no: 'ZY20240501001', ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' },
});

/** A fee line in the vocabulary of 2301 `feedetail[]`; refund lines have a negative cnt and init_feedetl_sn. */
export const feeLineSchema = withJsonSchema(
  z
    .object({
      feedetl_sn: code(30).describe('费用明细流水号, unique within the visit'),
      init_feedetl_sn: code(30).optional().describe('原费用流水号: the line a refund line reverses'),
      drord_no: z.string().max(30).optional().describe('医嘱号'),
      fee_ocur_time: platformDateTime().describe('费用发生时间'),
      med_list_codg: code(50)
        .optional()
        .describe(
          '医疗目录编码 (national code); absent when the HIS holds only its own code: fee-detail takes it from the ' +
            "item's mapping (catalogue, insurance.catalogue.mappings) before 2301",
        ),
      medins_list_codg: code(150).describe('医药机构目录编码 (HIS code)'),
      det_item_fee_sumamt: money().describe('明细项目费用总额'),
      cnt: quantity().describe('数量; negative on a refund line'),
      pric: unitPrice().describe('单价'),
      bilg_dept_codg: code(30).describe('开单科室编码'),
      bilg_dept_name: code(100).describe('开单科室名称'),
      bilg_dr_codg: code(30).describe('开单医生编码'),
      bilg_dr_name: code(50).describe('开单医生姓名'),
      acord_dept_codg: z.string().max(30).optional().describe('受单科室编码'),
      acord_dept_name: z.string().max(100).optional().describe('受单科室名称'),
      orders_dr_code: z.string().max(30).optional().describe('受单医生编码'),
      orders_dr_name: z.string().max(50).optional().describe('受单医生姓名'),
      hosp_appr_flag: z
        .enum(['0', '1', '2'])
        .optional()
        .describe('医院审批标志: 0 无须审批, 1 通过, 2 不通过'),
      tcmdrug_used_way: z.string().max(6).optional().describe('中药使用方式'),
      etip_flag: flag().optional().describe('外检标志'),
      etip_hosp_code: z.string().max(30).optional().describe('外检医院编码'),
      dscg_tkdrug_flag: flag().optional().describe('出院带药标志'),
      matn_fee_flag: z.string().max(6).optional().describe('生育费用标志'),
      memo: z.string().max(500).optional().describe('备注'),
    })
    .strict()
    .refine((line) => !line.cnt.startsWith('-') || line.init_feedetl_sn !== undefined, {
      message: 'a refund line (negative cnt) must name the line it reverses in init_feedetl_sn',
      path: ['init_feedetl_sn'],
    }),
  { if: { properties: { cnt: { pattern: '^-' } } }, then: { required: ['init_feedetl_sn'] } },
);

export const FeeLinesChargedV1 = defineContract({
  type: 'FeeLinesCharged',
  version: 1,
  topic: Topics.hisInpatient,
  summary: 'The HIS charged (or refunded) fee lines to the stay (uploaded with 2301 住院费用明细上传).',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      lines: z.array(feeLineSchema).min(1).describe('The charged lines; feedetl_sn unique within the visit'),
    })
    .strict()
    .refine((d) => new Set(d.lines.map((l) => l.feedetl_sn)).size === d.lines.length, {
      message: 'feedetl_sn must be unique within the message',
      path: ['lines'],
    }),
  example: {
    ipt_no: 'ZY20240501001',
    lines: [
      {
        feedetl_sn: 'FY0001',
        fee_ocur_time: '2024-05-01 10:00:00',
        med_list_codg: 'XJ01DCA087A001010100543',
        medins_list_codg: 'YP0087',
        det_item_fee_sumamt: '36.60',
        cnt: '2',
        pric: '18.30',
        bilg_dept_codg: 'A03.01',
        bilg_dept_name: '呼吸内科',
        bilg_dr_codg: 'D0012',
        bilg_dr_name: '王医生',
      },
      {
        feedetl_sn: 'FY0002',
        init_feedetl_sn: 'FY0001',
        fee_ocur_time: '2024-05-02 08:00:00',
        med_list_codg: 'XJ01DCA087A001010100543',
        medins_list_codg: 'YP0087',
        det_item_fee_sumamt: '-18.30',
        cnt: '-1',
        pric: '18.30',
        bilg_dept_codg: 'A03.01',
        bilg_dept_name: '呼吸内科',
        bilg_dr_codg: 'D0012',
        bilg_dr_name: '王医生',
      },
    ],
  },
});

export const FeeLinesVoidedV1 = defineContract({
  type: 'FeeLinesVoided',
  version: 1,
  topic: Topics.hisInpatient,
  summary: 'The HIS voided fee lines it had charged (revoked with 2302 住院费用明细撤销).',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      feedetl_sns: z.array(code(30)).min(1).describe('费用明细流水号 of the voided lines'),
      reason: z.string().max(500).optional().describe('Why the lines were voided'),
    })
    .strict(),
  example: { ipt_no: 'ZY20240501001', feedetl_sns: ['FY0001'] },
});

export const DischargeRequestedV1 = defineContract({
  type: 'DischargeRequested',
  version: 1,
  topic: Topics.hisInpatient,
  summary: 'The HIS discharged the patient and asks for discharge settlement (becomes 2402 出院办理).',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      endtime: platformDateTime().describe('出院时间'),
      dscg_way: z.enum(['1', '2', '3', '4', '5', '9']).describe('离院方式 (dict dscg_way)'),
      dscg_dept_codg: code(30).describe('出院科室编码'),
      dscg_dept_name: code(100).describe('出院科室名称'),
      dscg_bed: z.string().max(30).optional().describe('出院床位'),
      die_date: platformDateTime().optional().describe('死亡日期 (dscg_way 5)'),
      dise_codg: z.string().max(30).optional().describe('病种编码'),
      dise_name: z.string().max(500).optional().describe('病种名称'),
      oprn_oprt_code: z.string().max(30).optional().describe('手术操作代码'),
      oprn_oprt_name: z.string().max(500).optional().describe('手术操作名称'),
      cop_flag: flag().optional().describe('伴有并发症标志'),
      diagnoses: z.array(diagnosisSchema).min(1).describe('出院诊断 (2402 diseinfo)'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    endtime: '2024-05-08 10:00:00',
    dscg_way: '1',
    dscg_dept_codg: 'A03.01',
    dscg_dept_name: '呼吸内科',
    diagnoses: [diagnosisExample],
  },
});

const settlementRequestFields = {
  ipt_no: code(30).describe('住院号'),
  mid_setl_flag: flag().describe('中途结算标志: 0 discharge settlement, 1 mid-way settlement'),
  psn_setlway: code(6).describe('个人结算方式: 01 按项目, 02 按定额'),
  acct_used_flag: flag().describe('个人账户使用标志'),
  medfee_sumamt: money().describe("医疗费总额 by the HIS's books; must agree with the uploaded lines"),
  invono: z.string().max(20).optional().describe('发票号'),
};

const settlementRequestExample = {
  ipt_no: 'ZY20240501001',
  mid_setl_flag: '0' as const,
  psn_setlway: '01',
  acct_used_flag: '1' as const,
  medfee_sumamt: '18.30',
};

export const SettlementRequestedV1 = defineContract({
  type: 'SettlementRequested',
  version: 1,
  topic: Topics.hisInpatient,
  summary:
    "The cashier asks to settle the stay (superseded by v2): read as v2 with cert_as_admitted true (the admission's certificate).",
  data: z.object(settlementRequestFields).strict(),
  example: settlementRequestExample,
});

const settlementRequestedV2Data = z
  .object({
    ...settlementRequestFields,
    mdtrt_cert_type: z
      .enum(['01', '02', '03'])
      .optional()
      .describe(
        "就诊凭证类型 presented at discharge: 01 e-voucher (its token is fresh now: the admission day's has expired), 02 ID card, 03 SSC",
      ),
    mdtrt_cert_no: code(50)
      .optional()
      .describe('就诊凭证编号 presented at discharge (a patient identifier: never logged in clear)'),
    card_sn: z
      .string()
      .max(32)
      .optional()
      .describe('卡识别码 of the social security card presented (03), kept with the request'),
    cert_as_admitted: z
      .boolean()
      .optional()
      .describe(
        "true: no certificate was presented at discharge and the admission day's still holds (an ID card or the same SSC; never an e-voucher token)",
      ),
  })
  .strict();

export const SettlementRequestedV2 = defineContract({
  type: 'SettlementRequested',
  version: 2,
  topic: Topics.hisInpatient,
  summary:
    'The cashier asks to settle the stay, at discharge or mid-way (runs the settlement saga). It names the certificate presented now (2303/2304 are sent with it) or cert_as_admitted true; with neither, the saga refuses the request (SettlementRequestRefused).',
  data: settlementRequestedV2Data,
  // A v1 request named no certificate: it settled with the admission's, which is what it still means.
  upcast: (previous) => ({
    ...(previous as z.input<typeof settlementRequestedV2Data>),
    cert_as_admitted: true,
  }),
  example: { ...settlementRequestExample, mdtrt_cert_type: '01', mdtrt_cert_no: 'E4201XQ0D8A2B7C9' },
});

export const SettlementCancelRequestedV1 = defineContract({
  type: 'SettlementCancelRequested',
  version: 1,
  topic: Topics.hisInpatient,
  summary: 'The cashier asks to cancel the settlement (2305 结算撤销, then 2405 出院撤销).',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      setl_id: code(30)
        .optional()
        .describe('结算ID to cancel; the latest settlement of the visit when absent'),
      reason: code(500).describe('Why the settlement is cancelled'),
    })
    .strict(),
  example: { ipt_no: 'ZY20240501001', reason: '患者要求重新结算' },
});

export const PreSettlementConfirmedV1 = defineContract({
  type: 'PreSettlementConfirmed',
  version: 1,
  topic: Topics.hisInpatient,
  summary:
    'The cashier at the HIS confirmed (or cancelled) the pre-settlement split (PreSettled) of a saga waiting for ' +
    'confirmation: CONFIRM settles it (2402 and 2304 follow), with the personal account used or not ' +
    '(acct_used_flag; another choice than the request’s runs 2303 again and waits again); CANCEL stops it, nothing ' +
    'applied on the platform.',
  data: z
    .object({
      ipt_no: code(30).describe('住院号'),
      saga_id: code(64)
        .optional()
        .describe(
          'The saga whose split the cashier saw (SettlementSagaProgressed); the waiting one when absent',
        ),
      decision: z
        .enum(['CONFIRM', 'CANCEL'])
        .describe('CONFIRM: settle; CANCEL: stop before anything is applied'),
      acct_used_flag: z.enum(['0', '1']).optional().describe('个人账户使用标志; the request’s when absent'),
      cashier: code(50).optional().describe('收费员 (HIS user id), recorded on the timeline'),
      reason: code(500).optional().describe('Why, for a cancel'),
    })
    .strict(),
  example: { ipt_no: 'ZY20240501001', decision: 'CONFIRM', acct_used_flag: '1', cashier: 'SF001' },
});

export const HIS_INPATIENT_CONTRACTS = [
  PatientAdmittedV2,
  AdmissionChangedV2,
  AdmissionCancelledV1,
  SpecialAttributeRecordedV1,
  FeeLinesChargedV1,
  FeeLinesVoidedV1,
  DischargeRequestedV1,
  SettlementRequestedV2,
  SettlementCancelRequestedV1,
  PreSettlementConfirmedV1,
] as const;
