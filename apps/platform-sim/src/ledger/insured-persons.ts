/**
 * The simulator's insured persons (fictitious). 1101 finds them by any of their credentials; 2401 and the
 * settlement rules read their insurance type, pooling area and personal-account balance from here.
 */
export interface InsuredPerson {
  readonly psn_no: string;
  readonly psn_name: string;
  readonly psn_cert_type: string;
  readonly certno: string;
  /** mdtrt_cert_type 03: social-security card number. */
  readonly card_no: string;
  /** mdtrt_cert_type 01: e-voucher token. */
  readonly ec_token: string;
  /** 卡识别码 of the social-security card: 1101 with the card (03) must give it; absent: any is taken. */
  readonly card_sn?: string;
  readonly gend: string;
  readonly naty: string;
  readonly brdy: string;
  readonly insutype: string;
  readonly psn_type: string;
  readonly cvlserv_flag: string;
  readonly insuplc_admdvs: string;
  readonly emp_name: string;
  readonly psn_insu_date: string;
  /** Personal-account balance at seed time, as a decimal string. */
  readonly balc: string;
  /** psn_idet_type values (e.g. 低保对象) shown in 1101 idetinfo; empty for most. */
  readonly idet_types: readonly string[];
  /** 人员参保状态 (0 未参保, 1 正常参保, 2 暂停参保, 4 终止参保); absent: 1. */
  readonly psn_insu_stas?: string;
  /** 暂停参保日期, with psn_insu_stas 2 or 4. */
  readonly paus_insu_date?: string;
  /** Funds the person may not draw on for some kinds of care (med_type), with the reason 2001 gives. */
  readonly trt_denials?: readonly TreatmentDenial[];
}

export interface TreatmentDenial {
  readonly fund_pay_type: string;
  readonly med_types: readonly string[];
  readonly trt_chk_rslt: string;
}

/** Full years of age at `dateTime` (`yyyy-MM-dd…`) of a person born on `brdy` (`yyyy-MM-dd`). */
export function yearsBetween(brdy: string, dateTime: string): number {
  const [by, bm, bd] = brdy.split('-').map(Number) as [number, number, number];
  const [y, m, d] = dateTime.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const SEEDED_INSURED_PERSONS: readonly InsuredPerson[] = [
  {
    // The person of the platform-client's interface examples, so they run against the simulator as they are.
    psn_no: '42000019800101123456',
    psn_name: '张三',
    psn_cert_type: '01',
    certno: '420102198001011234',
    card_no: 'H42010200001',
    ec_token: 'EC420000000000000000012345',
    card_sn: '420100D15600000500A1B2C3',
    gend: '1',
    naty: '01',
    brdy: '1980-01-01',
    insutype: '310',
    psn_type: '1101',
    cvlserv_flag: '0',
    insuplc_admdvs: '420100',
    emp_name: '武汉某某有限公司',
    psn_insu_date: '2005-07-01',
    balc: '3350.40',
    idet_types: [],
  },
  {
    psn_no: '42000000000000000000023456',
    psn_name: '李四',
    psn_cert_type: '01',
    certno: '420106195202280024',
    card_no: 'H42010600002',
    ec_token: 'EC420000000000000000023456',
    gend: '2',
    naty: '01',
    brdy: '1952-02-28',
    insutype: '310',
    psn_type: '1201',
    cvlserv_flag: '0',
    insuplc_admdvs: '420100',
    emp_name: '武汉某某机械厂',
    psn_insu_date: '1998-12-01',
    balc: '15000.00',
    idet_types: [],
  },
  {
    psn_no: '42000000000000000000034567',
    psn_name: '王五',
    psn_cert_type: '01',
    certno: '420502199011110036',
    card_no: 'H42050200003',
    ec_token: 'EC420000000000000000034567',
    gend: '1',
    naty: '01',
    brdy: '1990-11-11',
    insutype: '390',
    psn_type: '1501',
    cvlserv_flag: '0',
    insuplc_admdvs: '420500',
    emp_name: '',
    psn_insu_date: '2016-01-01',
    balc: '0.00',
    idet_types: ['2301'],
  },
  {
    // Suspended (暂停参保): 1101 says so, 2001 finds no fund enjoyed, 2401 is refused.
    psn_no: '42000000000000000000045678',
    psn_name: '赵六',
    psn_cert_type: '01',
    certno: '420103197503150049',
    card_no: 'H42010300004',
    ec_token: 'EC420000000000000000045678',
    gend: '2',
    naty: '01',
    brdy: '1975-03-15',
    insutype: '310',
    psn_type: '1101',
    cvlserv_flag: '0',
    insuplc_admdvs: '420100',
    emp_name: '武汉某某贸易公司',
    psn_insu_date: '2001-09-01',
    balc: '820.00',
    idet_types: [],
    psn_insu_stas: '2',
    paus_insu_date: '2024-03-01',
  },
  {
    // Insured, but without inpatient entitlement to the pool (arrears): 2001 says no for med_type 21.
    psn_no: '42000000000000000000056789',
    psn_name: '钱七',
    psn_cert_type: '01',
    certno: '420104198807070057',
    card_no: 'H42010400005',
    ec_token: 'EC420000000000000000056789',
    gend: '1',
    naty: '01',
    brdy: '1988-07-07',
    insutype: '310',
    psn_type: '1103',
    cvlserv_flag: '0',
    insuplc_admdvs: '420100',
    emp_name: '',
    psn_insu_date: '2015-05-01',
    balc: '120.00',
    idet_types: [],
    trt_denials: [
      {
        fund_pay_type: '310100',
        med_types: ['21', '24', '52'],
        trt_chk_rslt: '灵活就业人员欠缴职工医保费，暂停享受住院统筹基金待遇',
      },
      {
        fund_pay_type: '330100',
        med_types: ['21', '24', '52'],
        trt_chk_rslt: '欠缴大额医疗费用补助，暂停享受待遇',
      },
    ],
  },
  {
    // Insured in Beijing (参保地 110000), in hospital in Hubei: a cross-province (异地) patient, every call of
    // whose visit the platform routes to Beijing.
    psn_no: '11000000000000000000067890',
    psn_name: '孙八',
    psn_cert_type: '01',
    certno: '110101198203040066',
    card_no: 'H11010100006',
    ec_token: 'EC110000000000000000067890',
    gend: '2',
    naty: '01',
    brdy: '1982-03-04',
    insutype: '310',
    psn_type: '1101',
    cvlserv_flag: '0',
    insuplc_admdvs: '110000',
    emp_name: '北京某某科技有限公司',
    psn_insu_date: '2006-03-01',
    balc: '2000.00',
    idet_types: [],
  },
];
