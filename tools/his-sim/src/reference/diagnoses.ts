/** Diagnoses in the national ICD-10 edition (医保版疾病诊断代码), with their Chinese names. */
export interface Diagnosis {
  readonly code: string;
  readonly name: string;
  /** Whether it is an infection, for which a bacterial culture is often sent. */
  readonly infection?: boolean;
}

export const DIAGNOSES = {
  pneumonia: { code: 'J18.900', name: '肺炎', infection: true },
  copdExacerbation: { code: 'J44.100', name: '慢性阻塞性肺病伴有急性加重' },
  asthma: { code: 'J45.900', name: '支气管哮喘' },
  bronchiolitis: { code: 'J21.900', name: '急性细支气管炎', infection: true },
  childPneumonia: { code: 'J15.700', name: '肺炎支原体肺炎', infection: true },
  gastroenteritis: { code: 'A09.900', name: '胃肠炎和结肠炎', infection: true },
  unstableAngina: { code: 'I20.000', name: '不稳定型心绞痛' },
  myocardialInfarction: { code: 'I21.900', name: '急性心肌梗死' },
  heartFailure: { code: 'I50.900', name: '心力衰竭' },
  atrialFibrillation: { code: 'I48.x00', name: '心房颤动' },
  cerebralInfarction: { code: 'I63.900', name: '脑梗死' },
  diabetes: { code: 'E11.900', name: '2型糖尿病' },
  hypertension: { code: 'I10.x00', name: '原发性高血压' },
  urinaryInfection: { code: 'N39.000', name: '泌尿道感染', infection: true },
  appendicitis: { code: 'K35.800', name: '急性阑尾炎', infection: true },
  cholecystitis: { code: 'K80.100', name: '胆囊结石伴慢性胆囊炎' },
  inguinalHernia: { code: 'K40.900', name: '单侧腹股沟疝' },
  femoralNeckFracture: { code: 'S72.000', name: '股骨颈骨折' },
  hipArthrosis: { code: 'M16.900', name: '髋关节病' },
  lumbarDiscHerniation: { code: 'M51.202', name: '腰椎间盘突出' },
  radiusFracture: { code: 'S52.500', name: '桡骨下端骨折' },
  caesareanDelivery: { code: 'O82.000', name: '经选择性剖宫产术的分娩' },
  spontaneousDelivery: { code: 'O80.000', name: '单胎顺产' },
  uterineLeiomyoma: { code: 'D25.900', name: '子宫平滑肌瘤' },
  neonatalJaundice: { code: 'P59.900', name: '新生儿高胆红素血症' },
  pretermInfant: { code: 'P07.300', name: '早产儿' },
  septicShock: { code: 'R57.200', name: '脓毒性休克', infection: true },
  respiratoryFailure: { code: 'J96.000', name: '急性呼吸衰竭' },
  anaemia: { code: 'D64.900', name: '贫血' },
  hypokalaemia: { code: 'E87.600', name: '低钾血症' },
} as const satisfies Record<string, Diagnosis>;

/** Conditions that often accompany the main one and are coded as secondary diagnoses. */
export const COMORBIDITIES: readonly Diagnosis[] = [
  DIAGNOSES.hypertension,
  DIAGNOSES.diabetes,
  DIAGNOSES.anaemia,
  DIAGNOSES.hypokalaemia,
  DIAGNOSES.atrialFibrillation,
];
