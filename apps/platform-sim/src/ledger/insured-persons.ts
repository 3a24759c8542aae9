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
];
