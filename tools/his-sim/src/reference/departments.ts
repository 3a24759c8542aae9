import { DIAGNOSES, type Diagnosis } from './diagnoses';
import { OPERATIONS, type Operation } from './operations';

/**
 * Inpatient departments with codes from the national list of clinical specialties (诊疗科目, A03.01
 * 呼吸内科 …), their share of the hospital's beds, doctors, case mix and what a day on the ward costs.
 * Lengths of stay and charges follow typical Hubei tertiary-hospital figures.
 */
export interface Doctor {
  readonly code: string;
  readonly name: string;
}

/** A kind of patient the department admits: main diagnosis, length of stay, and surgery if any. */
export interface CaseType {
  readonly diagnosis: Diagnosis;
  readonly weight: number;
  /** Length of stay in days: shortest, most common, longest (triangular distribution). */
  readonly stayDays: readonly [number, number, number];
  readonly operation?: Operation;
  /** Day of the stay on which the operation is done (0 = admission day). */
  readonly operationDay?: number;
  /** 医疗类别 when not 21 普通住院 (e.g. 52 生育住院: a delivery, whose 生育类别 matn_type follows). */
  readonly med_type?: string;
  /** 生育类别 of a delivery (1 正常产, 3 剖宫产), sent once the child is born. */
  readonly matn_type?: string;
  /** A newborn's stay (新生儿): its 新生儿入院类型 and birth weight range in grams. */
  readonly newborn?: {
    readonly nwb_adm_type: '1' | '2' | '3';
    readonly birthWeight: readonly [number, number];
  };
}

/** A charge that may recur every day of the stay. */
export interface DailyCharge {
  readonly medins_list_codg: string;
  readonly cnt: string;
  /** Chance that a given day has it. */
  readonly chance: number;
}

export interface Department {
  readonly code: string;
  readonly name: string;
  /** Relative share of the hospital's beds. */
  readonly bedWeight: number;
  readonly doctors: readonly Doctor[];
  readonly cases: readonly CaseType[];
  readonly bedItem: string;
  readonly nursing: { readonly medins_list_codg: string; readonly cntPerDay: string };
  readonly dailyCharges: readonly DailyCharge[];
  /** Tests on the admission day (HIS codes of labs and exams). */
  readonly admissionTests: readonly string[];
  /** Tests repeated every `followUpEveryDays` days. */
  readonly followUpTests: readonly string[];
  readonly followUpEveryDays: number;
  readonly ageRange: readonly [number, number];
  /** Only women are admitted (妇产科). */
  readonly femaleOnly?: boolean;
  /** An intensive-care unit: every stay is recorded as an ICU stay on the homepage. */
  readonly intensiveCare?: boolean;
  /** Share of stays ending in death (离院方式 5). */
  readonly mortality: number;
}

const infusion = [
  { medins_list_codg: 'ZL0001', cnt: '3', chance: 0.9 },
  { medins_list_codg: 'CL0002', cnt: '2', chance: 0.9 },
  { medins_list_codg: 'CL0001', cnt: '2', chance: 0.9 },
  { medins_list_codg: 'YP0004', cnt: '2', chance: 0.9 },
];
const basicBloodTests = ['JY0001', 'JY0003', 'JY0004', 'JY0006', 'JY0005'];

export const DEPARTMENTS: readonly Department[] = [
  {
    code: 'A03',
    name: '内科',
    bedWeight: 14,
    doctors: [
      { code: 'D030001', name: '周明华' },
      { code: 'D030002', name: '吴晓燕' },
      { code: 'D030003', name: '郑国强' },
    ],
    cases: [
      { diagnosis: DIAGNOSES.diabetes, weight: 4, stayDays: [5, 8, 14] },
      { diagnosis: DIAGNOSES.cerebralInfarction, weight: 3, stayDays: [7, 11, 21] },
      { diagnosis: DIAGNOSES.urinaryInfection, weight: 2, stayDays: [4, 6, 10] },
      { diagnosis: DIAGNOSES.gastroenteritis, weight: 2, stayDays: [3, 5, 8] },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0004', cntPerDay: '1' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'YP0006', cnt: '1', chance: 0.5 },
      { medins_list_codg: 'YP0015', cnt: '1', chance: 0.25 },
      { medins_list_codg: 'ZY0003', cnt: '4', chance: 0.5 },
      { medins_list_codg: 'YP0003', cnt: '1', chance: 0.1 },
      { medins_list_codg: 'YP0021', cnt: '2', chance: 0.3 },
    ],
    admissionTests: [...basicBloodTests, 'JY0002', 'ZL0004', 'JC0003'],
    followUpTests: ['JY0001', 'JY0005', 'JY0006'],
    followUpEveryDays: 3,
    ageRange: [35, 92],
    mortality: 0.005,
  },
  {
    code: 'A03.01',
    name: '呼吸内科',
    bedWeight: 12,
    doctors: [
      { code: 'D030101', name: '王志刚' },
      { code: 'D030102', name: '刘丽萍' },
      { code: 'D030103', name: '陈建军' },
    ],
    cases: [
      { diagnosis: DIAGNOSES.pneumonia, weight: 5, stayDays: [5, 8, 15] },
      { diagnosis: DIAGNOSES.copdExacerbation, weight: 4, stayDays: [6, 10, 18] },
      { diagnosis: DIAGNOSES.asthma, weight: 1, stayDays: [3, 6, 10] },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0004', cntPerDay: '1' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'YP0001', cnt: '2', chance: 0.6 },
      { medins_list_codg: 'YP0013', cnt: '1', chance: 0.3 },
      { medins_list_codg: 'YP0012', cnt: '2', chance: 0.7 },
      { medins_list_codg: 'ZY0002', cnt: '4', chance: 0.5 },
      { medins_list_codg: 'ZL0003', cnt: '8', chance: 0.5 },
      { medins_list_codg: 'YP0023', cnt: '1', chance: 0.1 },
    ],
    admissionTests: [...basicBloodTests, 'JY0007', 'JC0001', 'ZL0004'],
    followUpTests: ['JY0001', 'JY0007'],
    followUpEveryDays: 3,
    ageRange: [40, 95],
    mortality: 0.008,
  },
  {
    code: 'A03.04',
    name: '心内科',
    bedWeight: 12,
    doctors: [
      { code: 'D030401', name: '李德明' },
      { code: 'D030402', name: '黄俊' },
      { code: 'D030403', name: '孙慧敏' },
    ],
    cases: [
      {
        diagnosis: DIAGNOSES.unstableAngina,
        weight: 4,
        stayDays: [3, 6, 10],
        operation: OPERATIONS.coronaryStent,
        operationDay: 1,
      },
      {
        diagnosis: DIAGNOSES.myocardialInfarction,
        weight: 2,
        stayDays: [6, 9, 16],
        operation: OPERATIONS.coronaryStent,
        operationDay: 0,
      },
      { diagnosis: DIAGNOSES.heartFailure, weight: 3, stayDays: [6, 10, 20] },
      { diagnosis: DIAGNOSES.atrialFibrillation, weight: 2, stayDays: [3, 5, 9] },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0003', cntPerDay: '1' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'YP0008', cnt: '1', chance: 0.3 },
      { medins_list_codg: 'YP0025', cnt: '1', chance: 0.3 },
      { medins_list_codg: 'YP0007', cnt: '1', chance: 0.3 },
      { medins_list_codg: 'YP0017', cnt: '1', chance: 0.2 },
      { medins_list_codg: 'YP0016', cnt: '2', chance: 0.3 },
      { medins_list_codg: 'YP0010', cnt: '2', chance: 0.3 },
      { medins_list_codg: 'ZY0004', cnt: '1', chance: 0.1 },
      { medins_list_codg: 'ZY0003', cnt: '4', chance: 0.4 },
    ],
    admissionTests: [...basicBloodTests, 'JY0009', 'JY0008', 'ZL0004', 'JC0003'],
    followUpTests: ['JY0009', 'JY0006', 'ZL0004'],
    followUpEveryDays: 2,
    ageRange: [45, 92],
    mortality: 0.01,
  },
  {
    code: 'A04.01',
    name: '外科',
    bedWeight: 12,
    doctors: [
      { code: 'D040101', name: '张卫东' },
      { code: 'D040102', name: '杨帆' },
      { code: 'D040103', name: '赵立新' },
    ],
    cases: [
      {
        diagnosis: DIAGNOSES.appendicitis,
        weight: 3,
        stayDays: [3, 5, 8],
        operation: OPERATIONS.appendectomy,
        operationDay: 0,
      },
      {
        diagnosis: DIAGNOSES.cholecystitis,
        weight: 4,
        stayDays: [4, 6, 10],
        operation: OPERATIONS.laparoscopicCholecystectomy,
        operationDay: 1,
      },
      { diagnosis: DIAGNOSES.inguinalHernia, weight: 2, stayDays: [2, 4, 7] },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0004', cntPerDay: '1' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'YP0021', cnt: '2', chance: 0.6 },
      { medins_list_codg: 'YP0014', cnt: '1', chance: 0.4 },
      { medins_list_codg: 'YP0006', cnt: '1', chance: 0.5 },
      { medins_list_codg: 'YP0011', cnt: '2', chance: 0.2 },
    ],
    admissionTests: [...basicBloodTests, 'JY0008', 'JY0002', 'ZL0004', 'JC0003', 'JC0002'],
    followUpTests: ['JY0001', 'JY0007'],
    followUpEveryDays: 3,
    ageRange: [16, 85],
    mortality: 0.001,
  },
  {
    code: 'A04.03',
    name: '骨科',
    bedWeight: 12,
    doctors: [
      { code: 'D040301', name: '钱振宇' },
      { code: 'D040302', name: '冯春梅' },
      { code: 'D040303', name: '何永康' },
    ],
    cases: [
      {
        diagnosis: DIAGNOSES.femoralNeckFracture,
        weight: 3,
        stayDays: [8, 12, 20],
        operation: OPERATIONS.femoralNeckFixation,
        operationDay: 2,
      },
      {
        diagnosis: DIAGNOSES.hipArthrosis,
        weight: 2,
        stayDays: [8, 11, 18],
        operation: OPERATIONS.totalHipReplacement,
        operationDay: 2,
      },
      { diagnosis: DIAGNOSES.lumbarDiscHerniation, weight: 3, stayDays: [6, 10, 15] },
      { diagnosis: DIAGNOSES.radiusFracture, weight: 2, stayDays: [3, 5, 9] },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0003', cntPerDay: '1' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'YP0009', cnt: '1', chance: 0.5 },
      { medins_list_codg: 'YP0021', cnt: '2', chance: 0.3 },
      { medins_list_codg: 'YP0011', cnt: '3', chance: 0.4 },
      { medins_list_codg: 'YP0020', cnt: '1', chance: 0.2 },
    ],
    admissionTests: [...basicBloodTests, 'JY0008', 'ZL0004', 'JC0002', 'JC0004'],
    followUpTests: ['JY0001', 'JY0008'],
    followUpEveryDays: 4,
    ageRange: [18, 90],
    mortality: 0.002,
  },
  {
    code: 'A05',
    name: '妇产科',
    bedWeight: 12,
    doctors: [
      { code: 'D050001', name: '林雅琴' },
      { code: 'D050002', name: '徐静' },
      { code: 'D050003', name: '马红霞' },
    ],
    cases: [
      {
        diagnosis: DIAGNOSES.spontaneousDelivery,
        weight: 5,
        stayDays: [2, 3, 5],
        med_type: '52',
        matn_type: '1',
      },
      {
        diagnosis: DIAGNOSES.caesareanDelivery,
        weight: 4,
        stayDays: [4, 5, 8],
        operation: OPERATIONS.caesareanSection,
        operationDay: 0,
        med_type: '52',
        matn_type: '3',
      },
      {
        diagnosis: DIAGNOSES.uterineLeiomyoma,
        weight: 2,
        stayDays: [4, 6, 9],
        operation: OPERATIONS.laparoscopicMyomectomy,
        operationDay: 1,
      },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0004', cntPerDay: '1' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'YP0022', cnt: '1', chance: 0.3 },
      { medins_list_codg: 'YP0021', cnt: '2', chance: 0.4 },
      { medins_list_codg: 'ZY0005', cnt: '1', chance: 0.3 },
    ],
    admissionTests: [...basicBloodTests, 'JY0008', 'JY0002', 'JC0003'],
    followUpTests: ['JY0001'],
    followUpEveryDays: 2,
    ageRange: [20, 45],
    femaleOnly: true,
    mortality: 0,
  },
  {
    code: 'A07',
    name: '儿科',
    bedWeight: 10,
    doctors: [
      { code: 'D070001', name: '朱晓丽' },
      { code: 'D070002', name: '胡斌' },
      { code: 'D070003', name: '郭雪梅' },
    ],
    cases: [
      { diagnosis: DIAGNOSES.childPneumonia, weight: 5, stayDays: [4, 7, 12] },
      { diagnosis: DIAGNOSES.bronchiolitis, weight: 3, stayDays: [3, 5, 8] },
      { diagnosis: DIAGNOSES.gastroenteritis, weight: 3, stayDays: [2, 4, 7] },
      // Newborns (新生儿): about a fifth of a general hospital's paediatric stays.
      {
        diagnosis: DIAGNOSES.neonatalJaundice,
        weight: 2,
        stayDays: [3, 5, 8],
        newborn: { nwb_adm_type: '3', birthWeight: [2600, 4000] },
      },
      {
        diagnosis: DIAGNOSES.pretermInfant,
        weight: 1,
        stayDays: [7, 12, 25],
        newborn: { nwb_adm_type: '2', birthWeight: [1600, 2490] },
      },
    ],
    bedItem: 'CW0001',
    nursing: { medins_list_codg: 'HL0004', cntPerDay: '1' },
    dailyCharges: [
      { medins_list_codg: 'ZL0001', cnt: '1', chance: 0.8 },
      { medins_list_codg: 'CL0002', cnt: '1', chance: 0.8 },
      { medins_list_codg: 'CL0001', cnt: '1', chance: 0.8 },
      { medins_list_codg: 'YP0005', cnt: '1', chance: 0.8 },
      { medins_list_codg: 'YP0013', cnt: '1', chance: 0.4 },
      { medins_list_codg: 'YP0024', cnt: '1', chance: 0.2 },
      { medins_list_codg: 'YP0012', cnt: '1', chance: 0.5 },
      { medins_list_codg: 'ZY0001', cnt: '1', chance: 0.2 },
    ],
    admissionTests: ['JY0001', 'JY0007', 'JY0006', 'JC0002'],
    followUpTests: ['JY0001', 'JY0007'],
    followUpEveryDays: 3,
    ageRange: [0, 14],
    mortality: 0,
  },
  {
    code: 'A28',
    name: '重症医学科',
    bedWeight: 4,
    doctors: [
      { code: 'D280001', name: '高建华' },
      { code: 'D280002', name: '罗文' },
    ],
    cases: [
      { diagnosis: DIAGNOSES.septicShock, weight: 3, stayDays: [4, 8, 20] },
      { diagnosis: DIAGNOSES.respiratoryFailure, weight: 3, stayDays: [3, 7, 18] },
      { diagnosis: DIAGNOSES.myocardialInfarction, weight: 1, stayDays: [3, 5, 12] },
    ],
    bedItem: 'CW0002',
    nursing: { medins_list_codg: 'HL0001', cntPerDay: '24' },
    dailyCharges: [
      ...infusion,
      { medins_list_codg: 'HL0002', cnt: '1', chance: 1 },
      { medins_list_codg: 'YP0003', cnt: '2', chance: 0.6 },
      { medins_list_codg: 'YP0001', cnt: '2', chance: 0.6 },
      { medins_list_codg: 'YP0006', cnt: '2', chance: 0.8 },
      { medins_list_codg: 'YP0010', cnt: '2', chance: 0.4 },
      { medins_list_codg: 'ZL0003', cnt: '24', chance: 0.9 },
      { medins_list_codg: 'CL0010', cnt: '6', chance: 0.8 },
    ],
    admissionTests: [
      ...basicBloodTests,
      'JY0008',
      'JY0007',
      'JY0009',
      'JY0010',
      'ZL0004',
      'JC0001',
      'JC0002',
    ],
    followUpTests: ['JY0001', 'JY0006', 'JY0007', 'JY0004'],
    followUpEveryDays: 1,
    ageRange: [18, 92],
    intensiveCare: true,
    mortality: 0.08,
  },
];

/** The special-needs ward (特需病房): some patients pay for it themselves instead of the ordinary bed. */
export const PRIVATE_WARD_BED_ITEM = 'CW0003';

/** Oral medicines patients take home (出院带药). */
export const DISCHARGE_MEDICINES = [
  'YP0002',
  'YP0007',
  'YP0008',
  'YP0017',
  'YP0025',
  'ZY0001',
  'ZY0004',
  'ZY0005',
];
