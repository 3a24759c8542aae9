/** Who the patients are insured with: insurance types and insured places, in realistic proportions. */
export interface Weighted<T> {
  readonly value: T;
  readonly weight: number;
}

/** 险种类型: most inpatients are 城乡居民 or 职工; 离休 is rare. */
export const INSURANCE_TYPES: readonly Weighted<{ insutype: string; name: string }>[] = [
  { value: { insutype: '390', name: '城乡居民基本医疗保险' }, weight: 52 },
  { value: { insutype: '310', name: '职工基本医疗保险' }, weight: 46 },
  { value: { insutype: '340', name: '离休人员医疗保障' }, weight: 1 },
  { value: { insutype: '320', name: '公务员医疗补助' }, weight: 1 },
];

/** 参保地医保区划: a Wuhan hospital's patients, mostly local, some from elsewhere in Hubei or out of province. */
export const INSURED_PLACES: readonly Weighted<{ admdvs: string; name: string }>[] = [
  { value: { admdvs: '420100', name: '武汉市' }, weight: 60 },
  { value: { admdvs: '420900', name: '孝感市' }, weight: 6 },
  { value: { admdvs: '421100', name: '黄冈市' }, weight: 6 },
  { value: { admdvs: '421000', name: '荆州市' }, weight: 5 },
  { value: { admdvs: '420500', name: '宜昌市' }, weight: 5 },
  { value: { admdvs: '420600', name: '襄阳市' }, weight: 5 },
  { value: { admdvs: '420200', name: '黄石市' }, weight: 3 },
  { value: { admdvs: '420700', name: '鄂州市' }, weight: 2 },
  { value: { admdvs: '430100', name: '湖南省长沙市' }, weight: 3 },
  { value: { admdvs: '410100', name: '河南省郑州市' }, weight: 2 },
  { value: { admdvs: '360100', name: '江西省南昌市' }, weight: 2 },
  { value: { admdvs: '500000', name: '重庆市' }, weight: 1 },
];

/**
 * The 就诊凭证 a patient presents at admission (2401 requires one): 01 医保电子凭证, 02 居民身份证, 03 社会保障卡.
 */
export const CERTIFICATE_TYPES: readonly Weighted<'01' | '02' | '03'>[] = [
  { value: '01', weight: 50 },
  { value: '02', weight: 30 },
  { value: '03', weight: 20 },
];

/** Share of patients whose person number the HIS already holds (from an earlier 1101); the rest need 1101. */
export const KNOWN_PSN_NO_SHARE = 0.82;

/** 离院方式 apart from death (which follows the department's mortality). */
export const DISCHARGE_WAYS: readonly Weighted<'1' | '2' | '3' | '4' | '9'>[] = [
  { value: '1', weight: 90 },
  { value: '4', weight: 5 },
  { value: '2', weight: 3 },
  { value: '3', weight: 1 },
  { value: '9', weight: 1 },
];
