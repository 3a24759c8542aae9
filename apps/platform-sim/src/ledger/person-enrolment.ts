import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { optionalString, type JsonObject } from './input-fields';
import { yearsBetween, type InsuredPerson } from './insured-persons';
import type { LedgerContext } from './ledger-context';

/**
 * Enrolment of unknown persons (option `enrolUnknownPersons`): generated HIS patients are not among the seeded
 * persons, so with the option on the simulator invents an insured person from what the hospital sent instead of
 * refusing. Everything is derived deterministically, so the same certificate always gives the same person.
 */

const RESIDENT_ID = /^(\d{6})(\d{4})(\d{2})(\d{2})(\d{3})[\dX]$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Insurance types of the employee scheme: they come with a personal account and an employer. */
const EMPLOYEE_INSUTYPES = new Set(['310', '320', '330', '340']);
/** A modest personal-account balance for enrolled employees; residents have no personal account. */
const EMPLOYEE_BALANCE = '1200.00';

interface ResidentId {
  readonly certno: string;
  /** `yyyy-MM-dd`. */
  readonly brdy: string;
  /** 1 male (odd sequence), 2 female (even sequence), as GB 11643 encodes it. */
  readonly gend: '1' | '2';
  /** The pooling area: the prefecture of the registered residence (first four digits). */
  readonly insuplc_admdvs: string;
}

/** Reads an 18-digit resident ID number (GB 11643); undefined when it is not one (bad shape or date). */
export function parseResidentId(certno: string): ResidentId | undefined {
  const match = RESIDENT_ID.exec(certno);
  if (!match) return undefined;
  const [, region, year, month, day, sequence] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const birth = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (birth.getUTCMonth() !== Number(month) - 1 || birth.getUTCDate() !== Number(day)) return undefined;
  return {
    certno,
    brdy: `${year}-${month}-${day}`,
    gend: Number(sequence) % 2 === 1 ? '1' : '2',
    insuplc_admdvs: `${region.slice(0, 4)}00`,
  };
}

/**
 * A fictitious ID number for a person known only by another credential (e-voucher, card, psn_no): born
 * 1950–2009 in `region`, derived from the credential's hash so that it is stable.
 */
export function fictitiousResidentId(credential: string, region: string): ResidentId {
  const digest = createHash('sha256').update(credential).digest();
  const days = digest.readUInt32BE(0) % (60 * 365);
  const birth = new Date(Date.UTC(1950, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
  const body = `${region}${birth.replace(/-/g, '')}${String(digest.readUInt16BE(4) % 1000).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * ID_WEIGHTS[i]!, 0);
  return parseResidentId(`${body}${ID_CHECK[sum % 11]}`)!;
}

/** The psn_no the simulated platform gives a person: province + 0000 + 14 digits of the certno's hash. */
export function psnNoFor(certno: string, insuplc_admdvs: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(certno).digest('hex').slice(0, 16)}`);
  return `${insuplc_admdvs.slice(0, 2)}0000${String(digits % 10n ** 14n).padStart(14, '0')}`;
}

export interface EnrolmentClaim {
  readonly id: ResidentId;
  readonly psn_no: string;
  readonly insutype: string;
  readonly insuplc_admdvs: string;
  readonly psn_name?: string;
  /** The credential the HIS presented, kept so a later 1101 with it finds the same person. */
  readonly mdtrt_cert_type?: string;
  readonly mdtrt_cert_no?: string;
}

/** The fictitious insured person a claim describes, and the personal-account balance they start with. */
export function fictitiousPerson(claim: EnrolmentClaim, dateTime: string): InsuredPerson {
  const employee = EMPLOYEE_INSUTYPES.has(claim.insutype);
  const age = yearsBetween(claim.id.brdy, dateTime);
  const adulthood = `${Number(claim.id.brdy.slice(0, 4)) + 18}${claim.id.brdy.slice(4)}`;
  return {
    psn_no: claim.psn_no,
    psn_name: claim.psn_name ?? `参保人${claim.psn_no.slice(-4)}`,
    psn_cert_type: '01',
    certno: claim.id.certno,
    card_no: claim.mdtrt_cert_type === '03' ? claim.mdtrt_cert_no! : '',
    ec_token: claim.mdtrt_cert_type === '01' ? claim.mdtrt_cert_no! : '',
    gend: claim.id.gend,
    naty: '01',
    brdy: claim.id.brdy,
    insutype: claim.insutype,
    psn_type: employee ? (age >= 60 ? '1201' : '1101') : age < 18 ? '1403' : '1501',
    cvlserv_flag: claim.insutype === '320' ? '1' : '0',
    insuplc_admdvs: claim.insuplc_admdvs,
    emp_name: employee ? '湖北某某有限公司' : '',
    psn_insu_date: age >= 18 ? adulthood : claim.id.brdy,
    balc: employee ? EMPLOYEE_BALANCE : '0.00',
    idet_types: [],
  };
}

/** Adds the person to the platform's books; call it only once the transaction can no longer be refused. */
export function enrol(ctx: LedgerContext, person: InsuredPerson): void {
  ctx.state.persons.set(person.psn_no, person);
  ctx.state.balances.set(person.psn_no, new Decimal(person.balc));
}

/**
 * 1101 for a credential nobody holds: an ID number (02) must be a well-formed one; an e-voucher (01) or card (03)
 * gets a fictitious ID number in the hospital's area. Minors are insured as residents (390), adults as employees.
 */
export function claimFromCredential(
  ctx: LedgerContext,
  credential: { mdtrt_cert_type?: string; mdtrt_cert_no?: string; certno?: string; psn_name?: string },
): EnrolmentClaim | undefined {
  const { mdtrt_cert_type, mdtrt_cert_no, certno, psn_name } = credential;
  const byIdNumber = mdtrt_cert_type === undefined || mdtrt_cert_type === '02';
  const stated = certno ?? (byIdNumber ? mdtrt_cert_no : undefined);
  const id =
    stated !== undefined
      ? parseResidentId(stated)
      : mdtrt_cert_no !== undefined
        ? fictitiousResidentId(mdtrt_cert_no, ctx.req.mdtrtarea_admvs)
        : undefined;
  if (!id) return undefined;
  return {
    id,
    psn_no: psnNoFor(id.certno, id.insuplc_admdvs),
    insutype: yearsBetween(id.brdy, ctx.dateTime) < 18 ? '390' : '310',
    insuplc_admdvs: id.insuplc_admdvs,
    psn_name,
    mdtrt_cert_type,
    mdtrt_cert_no,
  };
}

/**
 * 2401 for a psn_no nobody holds: the person gets that psn_no and the admission's insutype; the ID number comes
 * from an 02 credential, else is made up from the psn_no; the pooling area is the one the hospital sent.
 */
export function claimFromAdmission(
  ctx: LedgerContext,
  mdtrtinfo: JsonObject,
  psn_no: string,
  insutype: string,
): EnrolmentClaim {
  const mdtrt_cert_type = optionalString(mdtrtinfo, 'mdtrt_cert_type');
  const mdtrt_cert_no = optionalString(mdtrtinfo, 'mdtrt_cert_no');
  const id =
    (mdtrt_cert_type === '02' && mdtrt_cert_no !== undefined ? parseResidentId(mdtrt_cert_no) : undefined) ??
    fictitiousResidentId(psn_no, ctx.req.mdtrtarea_admvs);
  return {
    id,
    psn_no,
    insutype,
    insuplc_admdvs:
      ctx.req.insuplc_admdvs ?? optionalString(mdtrtinfo, 'insuplc_admdvs') ?? id.insuplc_admdvs,
    psn_name: optionalString(mdtrtinfo, 'psn_name'),
    mdtrt_cert_type,
    mdtrt_cert_no,
  };
}
