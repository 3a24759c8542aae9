import type { PlatformClientConfig } from './config';
import { PlatformInputError } from './interfaces';
import { shanghaiDateTime } from '@yb/contracts';

/** The request envelope of spec §1.1, in the platform's field names. */
export interface RequestEnvelope {
  infno: string;
  msgid: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  recer_sys_code: string;
  dev_no: string;
  dev_safe_info: string;
  cainfo: string;
  signtype: string;
  infver: string;
  opter_type: string;
  opter: string;
  opter_name: string;
  inf_time: string;
  fixmedins_code: string;
  fixmedins_name: string;
  sign_no: string;
  input: unknown;
}

/** The answer envelope of spec §1.2, as far as the client relies on it. */
export interface ResponseEnvelope {
  infcode: number | string;
  inf_refmsgid?: string | null;
  refmsg_time?: string | null;
  respond_time?: string | null;
  err_msg?: string | null;
  warn_msg?: string | null;
  cainfo?: string | null;
  signtype?: string | null;
  output?: unknown;
  [extension: string]: unknown;
}

/** Who performs the call: 经办人 in the envelope, opter_no in 9001/9002. */
export interface PlatformOperator {
  opter_type: '1' | '2' | '3';
  opter: string;
  opter_name: string;
}

/** Who the patient is, as far as it picks the receiving system (recer_sys_code). */
export interface PatientKind {
  /** 险种类型, e.g. 410 工伤. */
  insutype?: string | undefined;
  /** 人员类别, e.g. 1300 离休 (from 1101). */
  psn_type?: string | undefined;
}

/**
 * The person-related interfaces whose recer_sys_code follows the patient's kind (spec §1.1 row 5); every
 * other interface goes to the configured recer_sys_code.
 */
export const PERSON_RELATED_INFNOS: ReadonlySet<string> = new Set([
  '2001',
  '2201',
  '2206',
  '2207',
  '2303',
  '2304',
  '2401',
  '2402',
  '2501',
  '2503',
]);

/**
 * 接收方系统代码 of one call: for a person-related interface, the configured code of the patient's insutype,
 * else of their psn_type (离休 LXXT, 工伤 GSXT …); the configured default otherwise.
 */
export function recerSysCodeFor(
  config: Pick<PlatformClientConfig, 'recer_sys_code' | 'recerSysCodes'>,
  infno: string,
  patient: PatientKind | undefined,
): string {
  if (!patient || !PERSON_RELATED_INFNOS.has(infno)) return config.recer_sys_code;
  const byKind = (rule: string) => config.recerSysCodes[rule];
  return (
    (patient.insutype && byKind(`insutype:${patient.insutype}`)) ||
    (patient.psn_type && byKind(`psn_type:${patient.psn_type}`)) ||
    config.recer_sys_code
  );
}

export interface EnvelopeParts {
  infno: string;
  msgid: string;
  input: unknown;
  /** 参保地医保区划: required whenever `input` carries psn_no. */
  insuplc_admdvs?: string | undefined;
  /** Picks recer_sys_code for a person-related interface; the configured default when absent. */
  patientKind?: PatientKind | undefined;
  /** From 9001; empty for 9001 itself. */
  sign_no: string;
  operator: PlatformOperator;
  at: Date;
}

/** Whether a psn_no field appears at any depth of the input. */
export function containsPsnNo(value: unknown): boolean {
  return findPsnNo(value) !== undefined;
}

/** The first psn_no found in the input (depth first), for the journal. */
export function findPsnNo(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findPsnNo(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.psn_no === 'string' && record.psn_no !== '') return record.psn_no;
    return findPsnNo(Object.values(record));
  }
  return undefined;
}

/** Builds the plain envelope (before optional SM4/SM2 sealing) from the validated configuration. */
export function buildRequestEnvelope(config: PlatformClientConfig, parts: EnvelopeParts): RequestEnvelope {
  const insuplc = parts.insuplc_admdvs ?? '';
  // The envelope needs 参保地医保区划 (from 1101) exactly when a psn_no is anywhere in the input.
  if (insuplc === '' && containsPsnNo(parts.input)) {
    throw new PlatformInputError(parts.infno, [
      { field: 'insuplc_admdvs', problem: 'is required because the input carries psn_no' },
    ]);
  }
  if (insuplc !== '' && !/^\d{6}$/.test(insuplc)) {
    throw new PlatformInputError(parts.infno, [
      { field: 'insuplc_admdvs', problem: 'is not a six-digit admin-division code' },
    ]);
  }
  return {
    infno: parts.infno,
    msgid: parts.msgid,
    mdtrtarea_admvs: config.mdtrtarea_admvs,
    insuplc_admdvs: insuplc,
    recer_sys_code: recerSysCodeFor(config, parts.infno, parts.patientKind),
    dev_no: config.dev_no,
    dev_safe_info: config.dev_safe_info,
    cainfo: '',
    signtype: '',
    infver: config.infver,
    opter_type: parts.operator.opter_type,
    opter: parts.operator.opter,
    opter_name: parts.operator.opter_name,
    inf_time: shanghaiDateTime(parts.at),
    fixmedins_code: config.fixmedins_code,
    fixmedins_name: config.fixmedins_name,
    sign_no: parts.sign_no,
    input: parts.input,
  };
}
