import { z } from 'zod';
import { defineContract } from './contract';
import { code, flag, money, platformDate, platformDateTime } from './field-formats';
import { Topics } from './topics';

// Clinical records the HIS publishes on `his.clinical`; the reporting service uploads them
// (4401 病案首页, 4402 医嘱, 4501–4506 reports). Field names follow those interfaces where the
// reference has them; bacterial culture and drug sensitivity use descriptive names (no reference found).

const ipt_no = code(30).describe('住院号');

const homepageOperation = z
  .object({
    oprn_oprt_code: code(30).describe('手术操作代码'),
    oprn_oprt_name: code(500).describe('手术操作名称'),
    oprn_oprt_date: platformDateTime().describe('手术操作日期'),
    oprn_lv_code: z.string().max(3).optional().describe('手术级别'),
    oper_name: code(50).describe('术者'),
    oper_dr_code: z
      .string()
      .max(30)
      .optional()
      .describe('术者医师代码 (国家医保医师代码; 4101A oprninfo requires it)'),
    anst_mtd_code: z.string().max(6).optional().describe('麻醉方式'),
    main_oprn_flag: flag().describe('主手术标志'),
    anst_begntime: platformDateTime().optional().describe('麻醉开始时间'),
    anst_endtime: platformDateTime().optional().describe('麻醉结束时间'),
  })
  .strict();

const homepageFields = {
  ipt_no,
  medcasno: code(40).describe('病案号'),
  psn_name: z
    .string()
    .max(50)
    .optional()
    .describe('姓名 (4401 baseinfo requires it; a patient identifier: never logged in clear)'),
  patn_ipt_cnt: z.number().int().min(1).describe('住院次数'),
  adm_date: platformDateTime().describe('入院时间'),
  dscg_date: platformDateTime().describe('出院时间'),
  adm_caty: code(30).describe('入院科别'),
  dscg_caty: code(30).describe('出院科别'),
  ipt_days: z.number().int().min(0).describe('实际住院天数'),
  dscg_way: z.enum(['1', '2', '3', '4', '5', '9']).describe('离院方式'),
  medfee_sumamt: money().describe('住院总费用'),
  diagnoses: z
    .array(
      z
        .object({
          ipt_patn_disediag_type_code: code(3).describe('诊断类别'),
          maindiag_flag: flag().describe('主诊断标志'),
          diag_code: code(20).describe('诊断代码'),
          diag_name: code(300).describe('诊断名称'),
          adm_cond_code: z.string().max(3).optional().describe('入院病情'),
        })
        .strict(),
    )
    .min(1)
    .describe('出院诊断'),
  icu_stays: z
    .array(
      z
        .object({
          icu_codeid: code(30).describe('重症监护病房类型'),
          inpool_icu_time: platformDateTime().describe('进入时间'),
          out_icu_time: platformDateTime().describe('退出时间'),
          nurscare_lv_code: z.string().max(3).optional().describe('护理等级'),
          back_icu: flag().optional().describe('是否重返重症监护室'),
        })
        .strict(),
    )
    .describe('重症监护 (4401 icuinfo)'),
};

const homepageExample = {
  ipt_no: 'ZY20240501001',
  medcasno: 'BA0001',
  patn_ipt_cnt: 1,
  adm_date: '2024-05-01 09:00:00',
  dscg_date: '2024-05-08 10:00:00',
  adm_caty: 'A03.01',
  dscg_caty: 'A03.01',
  ipt_days: 7,
  dscg_way: '1' as const,
  medfee_sumamt: '5230.40',
  diagnoses: [
    {
      ipt_patn_disediag_type_code: '1',
      maindiag_flag: '1' as const,
      diag_code: 'J18.900',
      diag_name: '肺炎',
    },
  ],
  operations: [],
  icu_stays: [],
};

export const MedicalRecordHomepageRecordedV1 = defineContract({
  type: 'MedicalRecordHomepageRecorded',
  version: 1,
  topic: Topics.hisClinical,
  summary:
    "The medical record homepage (病案首页) of the stay was completed (superseded by v2): read as v2 without the settlement list's own fields.",
  data: z
    .object({
      ...homepageFields,
      operations: z.array(homepageOperation).describe('手术操作 (4401 oprninfo)'),
    })
    .strict(),
  example: homepageExample,
});

const nursingDays = (label: string) =>
  z.number().int().min(0).max(9999).optional().describe(`${label} (4101A)`);

const homepageV2Data = z
  .object({
    ...homepageFields,
    adm_way_code: code(3)
      .optional()
      .describe('入院途径 (4401 adm_way_code, 4101A adm_way): 1 急诊, 2 门诊, 3 其他医疗机构转入, 9 其他'),
    trt_type: code(3).optional().describe('治疗类别 (4401, 4101A): 1 西医, 2.1 中医, 2.2 民族医, 3 中西医'),
    spga_nurscare_days: nursingDays('特级护理天数'),
    lv1_nurscare_days: nursingDays('一级护理天数'),
    scd_nurscare_days: nursingDays('二级护理天数'),
    lv3_nurscare_days: nursingDays('三级护理天数'),
    resp_nurs_code: z.string().max(30).optional().describe('责任护士代码 (国家医保护士代码; 4101A)'),
    operations: z
      .array(
        homepageOperation.extend({
          oprn_oprt_begntime: platformDateTime()
            .optional()
            .describe('手术操作开始时间 (4101A oprninfo requires it)'),
          oprn_oprt_endtime: platformDateTime()
            .optional()
            .describe('手术操作结束时间 (4101A oprninfo requires it)'),
          anst_dr_code: z.string().max(30).optional().describe('麻醉医师代码 (国家医保医师代码; 4101A)'),
        }),
      )
      .describe('手术操作 (4401 oprninfo; 4101A oprninfo with their begin and end times)'),
  })
  .strict();

export const MedicalRecordHomepageRecordedV2 = defineContract({
  type: 'MedicalRecordHomepageRecorded',
  version: 2,
  topic: Topics.hisClinical,
  summary:
    "The medical record homepage (病案首页) of the stay was completed (uploaded with 4401); with what the settlement list (4101A) adds to it: admission route, treatment type, nursing days by level, the responsible nurse and each operation's begin and end times.",
  data: homepageV2Data,
  // v1 gave none of the settlement list's own fields: they stay not given (a 4101A with operations waits for their times).
  upcast: (previous) => previous as z.input<typeof homepageV2Data>,
  example: {
    ...homepageExample,
    adm_way_code: '2',
    trt_type: '1',
    lv1_nurscare_days: 2,
    scd_nurscare_days: 5,
    resp_nurs_code: 'N4201000031',
  },
});

export const MedicalOrdersRecordedV1 = defineContract({
  type: 'MedicalOrdersRecorded',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'Doctors issued or stopped medical orders (医嘱, uploaded with 4402).',
  data: z
    .object({
      ipt_no,
      orders: z
        .array(
          z
            .object({
              medcas_drord_detl_id: code(50).describe('医嘱明细ID, unique'),
              drord_no: code(30).describe('医嘱号'),
              drord_type: code(3).describe('医嘱类别 (long-term/temporary)'),
              drord_detl_code: code(50).describe('医嘱明细代码'),
              drord_detl_name: code(200).describe('医嘱明细名称'),
              drord_isu_no: platformDateTime().describe('医嘱下达时间'),
              isu_dept_code: code(30).describe('下达科室'),
              drug_used_way_code: z.string().max(6).optional().describe('用药途径'),
              medn_use_frqu: z.string().max(30).optional().describe('使用频次'),
              medc_begntime: platformDateTime().optional().describe('用药开始时间'),
              medc_endtime: platformDateTime().optional().describe('用药结束时间'),
              drord_endtime: platformDateTime().optional().describe('医嘱结束时间'),
              vali_flag: flag().describe('有效标志'),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    orders: [
      {
        medcas_drord_detl_id: 'YZ000101',
        drord_no: 'YZ0001',
        drord_type: '1',
        drord_detl_code: 'YP0087',
        drord_detl_name: '头孢呋辛钠注射液',
        drord_isu_no: '2024-05-01 10:00:00',
        isu_dept_code: 'A03.01',
        vali_flag: '1',
      },
    ],
  },
});

export const ExamReportIssuedV1 = defineContract({
  type: 'ExamReportIssued',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'An examination report (检查报告, e.g. imaging) was issued (uploaded with 4501).',
  data: z
    .object({
      ipt_no,
      rpotc_no: code(50).describe('报告单号'),
      appy_no: z.string().max(50).optional().describe('申请单号'),
      exam_item_code: code(50).describe('检查项目代码'),
      exam_item_name: code(200).describe('检查项目名称'),
      exam_part: z.string().max(200).optional().describe('检查部位'),
      exam_date: platformDateTime().describe('检查日期'),
      rpt_date: platformDateTime().describe('报告日期'),
      exam_rslt_abn: flag().describe('检查结果异常标志'),
      exam_ccls: code(2000).describe('检查结论'),
      study_uids: z.array(code(64)).describe('DICOM StudyInstanceUIDs of the images'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    rpotc_no: 'JC0001',
    exam_item_code: 'CT001',
    exam_item_name: '胸部CT平扫',
    exam_date: '2024-05-01 11:00:00',
    rpt_date: '2024-05-01 15:00:00',
    exam_rslt_abn: '1',
    exam_ccls: '右下肺炎症',
    study_uids: ['1.2.840.113619.2.55.3.604688119.969.1268071029.320'],
  },
});

export const LabReportIssuedV1 = defineContract({
  type: 'LabReportIssued',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'A laboratory report (检验报告) was issued (uploaded with 4502).',
  data: z
    .object({
      ipt_no,
      rpotc_no: code(50).describe('报告单号'),
      appy_no: z.string().max(50).optional().describe('申请单号'),
      exam_item_code: code(50).describe('检验项目代码'),
      exam_item_name: code(200).describe('检验项目名称'),
      rpt_date: platformDateTime().describe('报告日期'),
      rpot_doc: code(50).describe('报告医师'),
      items: z
        .array(
          z
            .object({
              exam_item_detl_code: code(50).describe('检验明细代码'),
              exam_item_detl_name: code(200).describe('检验明细名称'),
              exam_rslt_val: code(100).describe('检验结果'),
              exam_unt: z.string().max(30).optional().describe('单位'),
              ref_val: z.string().max(100).optional().describe('参考值'),
              exam_rslt_abn: flag().optional().describe('异常标志'),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    rpotc_no: 'JY0001',
    exam_item_code: 'XCG',
    exam_item_name: '血常规',
    rpt_date: '2024-05-01 12:00:00',
    rpot_doc: '李医生',
    items: [
      {
        exam_item_detl_code: 'WBC',
        exam_item_detl_name: '白细胞',
        exam_rslt_val: '12.3',
        exam_unt: '10^9/L',
      },
    ],
  },
});

export const BacterialCultureReportedV1 = defineContract({
  type: 'BacterialCultureReported',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'A bacterial culture report (细菌培养报告) was issued (uploaded with 4503).',
  data: z
    .object({
      ipt_no,
      rpotc_no: code(50).describe('报告单号'),
      rpt_date: platformDateTime().describe('报告日期'),
      specimen_name: code(100).describe('标本名称'),
      organism_code: z.string().max(50).optional().describe('菌种代码'),
      organism_name: code(200).describe('培养出的菌种, or 无菌生长'),
      culture_result: code(2000).describe('培养结果'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    rpotc_no: 'PY0001',
    rpt_date: '2024-05-03 09:00:00',
    specimen_name: '痰',
    organism_name: '肺炎链球菌',
    culture_result: '培养出肺炎链球菌',
  },
});

export const DrugSensitivityReportedV1 = defineContract({
  type: 'DrugSensitivityReported',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'A drug sensitivity report (药敏报告) was issued (uploaded with 4504).',
  data: z
    .object({
      ipt_no,
      rpotc_no: code(50).describe('报告单号'),
      rpt_date: platformDateTime().describe('报告日期'),
      organism_name: code(200).describe('菌种'),
      results: z
        .array(
          z
            .object({
              drug_name: code(200).describe('抗菌药物'),
              result_value: z.string().max(50).optional().describe('MIC or zone diameter'),
              interpretation: z.enum(['S', 'I', 'R']).describe('敏感 S / 中介 I / 耐药 R'),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    rpotc_no: 'YM0001',
    rpt_date: '2024-05-04 09:00:00',
    organism_name: '肺炎链球菌',
    results: [{ drug_name: '青霉素', result_value: '0.06', interpretation: 'S' }],
  },
});

export const PathologyReportIssuedV1 = defineContract({
  type: 'PathologyReportIssued',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'A pathology report (病理检查报告) was issued (uploaded with 4505).',
  data: z
    .object({
      ipt_no,
      palg_no: code(18).describe('病理号'),
      frozen_no: z.string().max(18).optional().describe('冰冻号'),
      cma_date: platformDate().describe('送检日期'),
      rpot_date: platformDate().describe('报告日期'),
      cma_matl: code(200).describe('送检材料'),
      clnc_dise: code(200).describe('临床诊断'),
      exam_fnd: code(4000).describe('检查所见'),
      sabc: z.string().max(4000).optional().describe('免疫组化'),
      palg_diag: code(4000).describe('病理诊断'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    palg_no: 'BL0001',
    cma_date: '2024-05-02',
    rpot_date: '2024-05-05',
    cma_matl: '肺组织',
    clnc_dise: '肺部占位',
    exam_fnd: '镜下见炎细胞浸润',
    palg_diag: '慢性炎症',
  },
});

export const UnstructuredReportIssuedV1 = defineContract({
  type: 'UnstructuredReportIssued',
  version: 1,
  topic: Topics.hisClinical,
  summary: 'A report the HIS holds only as a document (非结构化报告, uploaded with 4506).',
  data: z
    .object({
      ipt_no,
      appy_no: z.string().max(50).optional().describe('申请单号'),
      exam_test_flag: z.enum(['1', '2']).describe('1 检查 / 2 检验'),
      file_name: code(200).describe('文件名'),
      file_formate: z.enum(['pdf', 'jpg', 'png']).describe('文件格式 (the platform spells it file_formate)'),
      exam_test_rpot: z
        .string()
        .min(1)
        .max(700_000)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'must be base64' })
        .describe('The document, base64 (under 512 KiB so the message fits Kafka limits)'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    exam_test_flag: '1',
    file_name: 'JC0001.pdf',
    file_formate: 'pdf',
    exam_test_rpot: 'JVBERi0xLjQK',
  },
});

export const HIS_CLINICAL_CONTRACTS = [
  MedicalRecordHomepageRecordedV2,
  MedicalOrdersRecordedV1,
  ExamReportIssuedV1,
  LabReportIssuedV1,
  BacterialCultureReportedV1,
  DrugSensitivityReportedV1,
  PathologyReportIssuedV1,
  UnstructuredReportIssuedV1,
] as const;
