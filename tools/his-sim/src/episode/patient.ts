import { DAY_MS } from '../beijing-time';
import { type Department } from '../reference/departments';
import {
  CERTIFICATE_TYPES,
  INSURANCE_TYPES,
  INSURED_PLACES,
  KNOWN_PSN_NO_SHARE,
} from '../reference/insurance';
import { GIVEN_NAMES, MOBILE_PREFIXES, SURNAMES } from '../reference/people';
import { type SeededRandom } from '../random';

/** A fictitious insured inpatient. Identifiers here are patient data: never log them. */
export interface Patient {
  readonly psn_no: string;
  /** A fictitious name, as the HIS holds it (the medical record homepage carries it to 4401). */
  readonly psn_name: string;
  /** Whether the HIS already holds the person number (else the service looks it up with 1101). */
  readonly knowsPsnNo: boolean;
  /** The 就诊凭证 presented at admission. */
  readonly mdtrt_cert_type: '01' | '02' | '03';
  readonly mdtrt_cert_no: string;
  /** 卡识别码 of a social security card (03), read from the card with it: 1101 needs it. */
  readonly card_sn?: string;
  readonly insutype: string;
  readonly insuplc_admdvs: string;
  readonly gend: '1' | '2';
  readonly age: number;
  /** 出生日期 yyyy-MM-dd, as the ID number gives it. */
  readonly brdy: string;
  readonly coner_name?: string;
  readonly tel?: string;
  /** 住院次数: this is the patient's n-th stay in the hospital. */
  readonly patn_ipt_cnt: number;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** An 18-digit resident ID number (GB 11643) with a valid check character. */
export function residentIdNumber(region: string, birth: string, sequence: string): string {
  const body = `${region}${birth}${sequence}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * ID_WEIGHTS[i]!, 0);
  return `${body}${ID_CHECK[sum % 11]}`;
}

/** `newbornDaysOld`: a newborn's stay, admitted that many days after its birth. */
export function newPatient(
  rng: SeededRandom,
  department: Department,
  admittedAt: number,
  newbornDaysOld?: number,
): Patient {
  const place = rng.weighted(INSURED_PLACES);
  const [minAge, maxAge] = department.ageRange;
  const age =
    newbornDaysOld === undefined
      ? rng.triangular(minAge, Math.round(minAge + (maxAge - minAge) * 0.65), maxAge)
      : 0;
  // Children and most people without an employer are insured as residents (390).
  const insutype = age < 18 ? '390' : rng.weighted(INSURANCE_TYPES).insutype;
  const gend = department.femaleOnly ? '2' : rng.chance(0.52) ? '1' : '2';
  const mdtrt_cert_type = rng.weighted(CERTIFICATE_TYPES);
  const knowsPsnNo = rng.chance(KNOWN_PSN_NO_SHARE);
  const region = `${place.admdvs.slice(0, 4)}${String(rng.int(2, 17)).padStart(2, '0')}`;
  const birth = new Date(
    newbornDaysOld === undefined
      ? admittedAt - age * 365.25 * DAY_MS - rng.int(0, 364) * DAY_MS
      : admittedAt - newbornDaysOld * DAY_MS,
  );
  const birthDigits = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const sequence = `${rng.digits(2)}${(rng.int(0, 4) * 2 + (gend === '1' ? 1 : 0)) % 10}`;
  const certificates = {
    '01': `EC${place.admdvs}${rng.digits(18)}`,
    '02': residentIdNumber(region, birthDigits, sequence),
    '03': `H${region}${rng.digits(5)}`,
  };
  const contact = rng.chance(0.9);
  return {
    psn_no: `${place.admdvs.slice(0, 2)}0000${rng.digits(14)}`,
    psn_name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}`,
    knowsPsnNo,
    mdtrt_cert_type,
    mdtrt_cert_no: certificates[mdtrt_cert_type],
    // Derived from the card number rather than drawn, so that every seed's later draws stay as they were.
    ...(mdtrt_cert_type === '03' && { card_sn: `${place.admdvs}D156${certificates['03'].slice(1)}SIM` }),
    insutype,
    insuplc_admdvs: place.admdvs,
    gend,
    age,
    brdy: birth.toISOString().slice(0, 10),
    ...(contact && {
      coner_name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}`,
      tel: `${rng.pick(MOBILE_PREFIXES)}${rng.digits(8)}`,
    }),
    patn_ipt_cnt: rng.chance(0.75) ? 1 : rng.int(2, 4),
  };
}
