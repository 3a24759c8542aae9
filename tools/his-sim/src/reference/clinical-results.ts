/**
 * What the laboratory and imaging departments report for the catalogue's tests: analytes with units and
 * reference ranges, examination findings, culture organisms and the antibiotics tested against them.
 */
export interface Analyte {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly low: number;
  readonly high: number;
  readonly decimals: number;
}

/** Lab panels by the HIS code of the charge that orders them. */
export const LAB_PANELS: Readonly<Record<string, readonly Analyte[]>> = {
  JY0001: [
    { code: 'WBC', name: '白细胞计数', unit: '10^9/L', low: 3.5, high: 9.5, decimals: 2 },
    { code: 'NEUT%', name: '中性粒细胞百分比', unit: '%', low: 40, high: 75, decimals: 1 },
    { code: 'RBC', name: '红细胞计数', unit: '10^12/L', low: 3.8, high: 5.8, decimals: 2 },
    { code: 'HGB', name: '血红蛋白', unit: 'g/L', low: 115, high: 175, decimals: 0 },
    { code: 'PLT', name: '血小板计数', unit: '10^9/L', low: 125, high: 350, decimals: 0 },
  ],
  JY0002: [
    { code: 'SG', name: '尿比重', unit: '', low: 1.003, high: 1.03, decimals: 3 },
    { code: 'PH', name: '尿酸碱度', unit: '', low: 4.5, high: 8, decimals: 1 },
  ],
  JY0003: [
    { code: 'ALT', name: '丙氨酸氨基转移酶', unit: 'U/L', low: 9, high: 50, decimals: 0 },
    { code: 'AST', name: '天门冬氨酸氨基转移酶', unit: 'U/L', low: 15, high: 40, decimals: 0 },
    { code: 'TBIL', name: '总胆红素', unit: 'μmol/L', low: 0, high: 23, decimals: 1 },
    { code: 'ALB', name: '白蛋白', unit: 'g/L', low: 40, high: 55, decimals: 1 },
  ],
  JY0004: [
    { code: 'CREA', name: '肌酐', unit: 'μmol/L', low: 57, high: 111, decimals: 0 },
    { code: 'UREA', name: '尿素', unit: 'mmol/L', low: 3.1, high: 8, decimals: 2 },
    { code: 'UA', name: '尿酸', unit: 'μmol/L', low: 208, high: 428, decimals: 0 },
  ],
  JY0005: [{ code: 'GLU', name: '葡萄糖', unit: 'mmol/L', low: 3.9, high: 6.1, decimals: 2 }],
  JY0006: [
    { code: 'K', name: '钾', unit: 'mmol/L', low: 3.5, high: 5.3, decimals: 2 },
    { code: 'NA', name: '钠', unit: 'mmol/L', low: 137, high: 147, decimals: 1 },
    { code: 'CL', name: '氯', unit: 'mmol/L', low: 99, high: 110, decimals: 1 },
  ],
  JY0007: [{ code: 'CRP', name: 'C反应蛋白', unit: 'mg/L', low: 0, high: 10, decimals: 1 }],
  JY0008: [
    { code: 'PT', name: '凝血酶原时间', unit: 's', low: 9.4, high: 12.5, decimals: 1 },
    { code: 'APTT', name: '活化部分凝血活酶时间', unit: 's', low: 25.1, high: 36.5, decimals: 1 },
    { code: 'INR', name: '国际标准化比值', unit: '', low: 0.8, high: 1.2, decimals: 2 },
  ],
  JY0009: [{ code: 'cTnI', name: '肌钙蛋白I', unit: 'ng/mL', low: 0, high: 0.04, decimals: 3 }],
};

export interface ExamFindings {
  readonly part: string;
  /** Whether images are produced (a DICOM study). */
  readonly imaging: boolean;
  readonly normal: string;
  readonly abnormal: readonly string[];
}

/** Examinations by the HIS code of their charge. */
export const EXAM_FINDINGS: Readonly<Record<string, ExamFindings>> = {
  JC0001: {
    part: '胸部',
    imaging: true,
    normal: '胸部CT平扫未见明显异常',
    abnormal: ['右下肺斑片状渗出影，考虑炎症', '双肺散在炎症，双侧少量胸腔积液', '两肺慢支、肺气肿改变'],
  },
  JC0002: {
    part: '胸部正位',
    imaging: true,
    normal: '心肺膈未见明显异常',
    abnormal: ['双肺纹理增多、紊乱', '左侧股骨颈骨折，断端稍移位'],
  },
  JC0003: {
    part: '腹部',
    imaging: true,
    normal: '肝胆胰脾未见明显异常',
    abnormal: ['胆囊结石', '脂肪肝', '子宫肌瘤（多发）'],
  },
  JC0004: {
    part: '腰椎',
    imaging: true,
    normal: '腰椎MRI平扫未见明显异常',
    abnormal: ['L4/5椎间盘突出（中央型）', '腰椎退行性变'],
  },
  ZL0004: {
    part: '心脏',
    imaging: false,
    normal: '窦性心律，正常心电图',
    abnormal: ['窦性心动过速', '心房颤动', 'ST-T改变'],
  },
};

/** The HIS code of the culture charge; a culture report (and, when something grows, a sensitivity report) follows it. */
export const CULTURE_ITEM = 'JY0010';
export const SENSITIVITY_ITEM = 'JY0011';
export const PATHOLOGY_ITEM = 'BL0001';

export const CULTURE_SPECIMENS = ['痰', '中段尿', '血'] as const;

export const ORGANISMS: readonly { code: string; name: string }[] = [
  { code: 'SPN', name: '肺炎链球菌' },
  { code: 'KPN', name: '肺炎克雷伯菌' },
  { code: 'ECO', name: '大肠埃希菌' },
  { code: 'SAU', name: '金黄色葡萄球菌' },
  { code: 'PAE', name: '铜绿假单胞菌' },
];

export const TESTED_ANTIBIOTICS = [
  '青霉素',
  '头孢曲松',
  '头孢呋辛',
  '左氧氟沙星',
  '阿奇霉素',
  '亚胺培南',
  '万古霉素',
];
