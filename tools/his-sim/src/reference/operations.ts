/**
 * Operations in the national ICD-9-CM-3 edition (医保版手术操作代码), each with the catalogue items
 * a HIS charges for it (procedure, anaesthesia, materials) and whether a specimen goes to pathology.
 */
export interface Operation {
  readonly code: string;
  readonly name: string;
  /** 手术级别 1–4. */
  readonly level: '1' | '2' | '3' | '4';
  /** 麻醉方式 (dict anst_mtd): 1 全身麻醉, 2 椎管内麻醉. */
  readonly anaesthesia: '1' | '2';
  readonly durationMinutes: number;
  /** HIS codes of the procedure's own charges, with their quantities. */
  readonly charges: readonly { readonly medins_list_codg: string; readonly cnt: string }[];
  readonly pathologySpecimen?: string;
}

const generalAnaesthesia = [
  { medins_list_codg: 'MZ0001', cnt: '1' },
  { medins_list_codg: 'YP0018', cnt: '2' },
  { medins_list_codg: 'YP0019', cnt: '2' },
];
const spinalAnaesthesia = [{ medins_list_codg: 'MZ0002', cnt: '1' }];

export const OPERATIONS = {
  appendectomy: {
    code: '47.0900',
    name: '阑尾切除术',
    level: '2',
    anaesthesia: '1',
    durationMinutes: 60,
    charges: [
      { medins_list_codg: 'SS0001', cnt: '1' },
      ...generalAnaesthesia,
      { medins_list_codg: 'CL0004', cnt: '2' },
    ],
    pathologySpecimen: '阑尾',
  },
  laparoscopicCholecystectomy: {
    code: '51.2300',
    name: '腹腔镜下胆囊切除术',
    level: '3',
    anaesthesia: '1',
    durationMinutes: 90,
    charges: [
      { medins_list_codg: 'SS0002', cnt: '1' },
      ...generalAnaesthesia,
      { medins_list_codg: 'CL0008', cnt: '1' },
      { medins_list_codg: 'CL0004', cnt: '1' },
    ],
    pathologySpecimen: '胆囊',
  },
  femoralNeckFixation: {
    code: '79.1501',
    name: '股骨闭合性复位术伴内固定',
    level: '3',
    anaesthesia: '2',
    durationMinutes: 120,
    charges: [
      { medins_list_codg: 'SS0003', cnt: '1' },
      ...spinalAnaesthesia,
      { medins_list_codg: 'CL0007', cnt: '1' },
    ],
  },
  totalHipReplacement: {
    code: '81.5100',
    name: '全髋关节置换',
    level: '4',
    anaesthesia: '1',
    durationMinutes: 150,
    charges: [
      { medins_list_codg: 'SS0004', cnt: '1' },
      ...generalAnaesthesia,
      { medins_list_codg: 'CL0006', cnt: '1' },
      { medins_list_codg: 'CL0004', cnt: '2' },
    ],
  },
  caesareanSection: {
    code: '74.1x00',
    name: '低位子宫下段剖宫产',
    level: '3',
    anaesthesia: '2',
    durationMinutes: 60,
    charges: [
      { medins_list_codg: 'SS0005', cnt: '1' },
      ...spinalAnaesthesia,
      { medins_list_codg: 'YP0022', cnt: '2' },
      { medins_list_codg: 'CL0004', cnt: '2' },
    ],
  },
  laparoscopicMyomectomy: {
    code: '68.2901',
    name: '腹腔镜下子宫肌瘤切除术',
    level: '3',
    anaesthesia: '1',
    durationMinutes: 120,
    charges: [
      { medins_list_codg: 'SS0007', cnt: '1' },
      ...generalAnaesthesia,
      { medins_list_codg: 'CL0008', cnt: '1' },
      { medins_list_codg: 'CL0004', cnt: '2' },
    ],
    pathologySpecimen: '子宫肌瘤组织',
  },
  coronaryStent: {
    code: '36.0700',
    name: '经皮冠状动脉药物洗脱支架置入术',
    level: '4',
    anaesthesia: '2',
    durationMinutes: 90,
    charges: [
      { medins_list_codg: 'SS0006', cnt: '1' },
      { medins_list_codg: 'CL0005', cnt: '1' },
      { medins_list_codg: 'YP0009', cnt: '1' },
    ],
  },
} as const satisfies Record<string, Operation>;
