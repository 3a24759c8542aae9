import { z } from 'zod';
import { defineContract } from './contract';
import { code } from './field-formats';
import { DischargeRequestedV1 } from './his-inpatient';
import { Topics, commandTopic } from './topics';

// The admission service's commands (from the settlement saga, on `insurance.commands.admission`) and the
// admission results that insurance-inpatient.ts does not carry: 2405 and 2406/2407 outcomes, requests the
// service refused before calling the platform, 2601 reversals of registrations, and outcomes nobody knows.

const ipt_no = code(30).describe('住院号');
const mdtrt_id = code(30).describe('就诊ID returned by 2401');
const msgid = z
  .string()
  .regex(/^[A-Z0-9]{12}\d{18}$/, { message: 'must be a platform msgid (fixmedins_code + 18 digits)' })
  .describe('报文ID of the platform call');
const admissionInfno = z.enum(['1101', '2001', '2401', '2402', '2403', '2404', '2405', '2406', '2407']);

export const DischargePatientV1 = defineContract({
  type: 'DischargePatient',
  version: 1,
  topic: commandTopic('admission'),
  summary:
    'The saga asks admission to register the discharge (2402 出院办理), with the HIS discharge data; answered ' +
    'by DischargeRegistered, PlatformRequestRejected or AdmissionRequestRefused (causationId = this command).',
  data: DischargeRequestedV1.data,
  example: DischargeRequestedV1.example,
});

export const UndoDischargeV1 = defineContract({
  type: 'UndoDischarge',
  version: 1,
  topic: commandTopic('admission'),
  summary:
    'The saga asks admission to undo the discharge (2405 出院撤销), e.g. after a refused 2304; answered by ' +
    'DischargeUndone, PlatformRequestRejected or AdmissionRequestRefused.',
  data: z.object({ ipt_no, reason: code(500).describe('Why the discharge is undone') }).strict(),
  example: { ipt_no: 'ZY20240501001', reason: '2304 结算失败，撤销出院后重新结算' },
});

export const QuerySpecialAttributesV1 = defineContract({
  type: 'QuerySpecialAttributes',
  version: 1,
  topic: commandTopic('admission'),
  summary: "Asks for the visit's special attributes as the platform holds them (2407 就医特殊属性查询).",
  data: z.object({ ipt_no }).strict(),
  example: { ipt_no: 'ZY20240501001' },
});

export const DischargeUndoneV1 = defineContract({
  type: 'DischargeUndone',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform undid the discharge (2405 succeeded): the visit is open again.',
  data: z.object({ ipt_no, mdtrt_id, msgid }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405081100000010',
  },
});

const specialAttribute = {
  ipt_psn_sp_flag_detl_id: code(50).describe('就医人员特殊标识明细ID returned by 2406'),
  ipt_psn_sp_flag_type: code(6).describe('就医人员特殊标识类型'),
  ipt_psn_sp_flag: code(6).describe('就医人员特殊标识'),
};

export const SpecialAttributeRegisteredV1 = defineContract({
  type: 'SpecialAttributeRegistered',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: 'The platform recorded a special attribute of the stay (2406 succeeded).',
  data: z.object({ ipt_no, mdtrt_id, msgid, ...specialAttribute }).strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405011200000011',
    ipt_psn_sp_flag_detl_id: '420100SP000000000001',
    ipt_psn_sp_flag_type: '01',
    ipt_psn_sp_flag: '1',
  },
});

export const SpecialAttributesQueriedV1 = defineContract({
  type: 'SpecialAttributesQueried',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary: "The visit's special attributes as the platform holds them (answer of 2407).",
  data: z
    .object({
      ipt_no,
      mdtrt_id,
      msgid,
      attributes: z
        .array(
          z
            .object({
              ipt_psn_sp_flag_detl_id: z.string().max(50).nullable(),
              ipt_psn_sp_flag_type: z.string().max(6).nullable(),
              ipt_psn_sp_flag: z.string().max(6).nullable(),
            })
            .strict(),
        )
        .describe('As the platform returned them; empty when it holds none'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    msgid: 'H42010200001202405011300000012',
    attributes: [
      { ipt_psn_sp_flag_detl_id: '420100SP000000000001', ipt_psn_sp_flag_type: '01', ipt_psn_sp_flag: '1' },
    ],
  },
});

export const AdmissionRequestRefusedV1 = defineContract({
  type: 'AdmissionRequestRefused',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'The admission service refused a request without calling the platform, because the platform would refuse ' +
    'it (e.g. 2404 while fee lines remain, 2402 twice, 2405 without 2402, anything before registration).',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      request: code(50).describe('The refused message type, e.g. AdmissionCancelled'),
      infno: admissionInfno.describe('The platform transaction the request would have become'),
      reason: code(4000).describe('Why, for the HIS and the billing office'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    request: 'AdmissionCancelled',
    infno: '2404',
    reason: '2 fee lines are still on the platform: revoke them (2302) before cancelling the admission',
  },
});

/**
 * Why admission refused a request without calling the platform: a consumer matches the code (the settlement
 * saga: a 2402 refused as ALREADY_DISCHARGED means the discharge stands), never the reason's wording.
 */
export const ADMISSION_REFUSAL_CODES = [
  /** No successful 2401: the request needs a registered visit. */
  'NOT_REGISTERED',
  /** A 2401 of this visit is still under way. */
  'REGISTRATION_IN_PROGRESS',
  /** A new admission of a visit the platform already registered. */
  'ALREADY_REGISTERED',
  /** The admission was cancelled (2404). */
  'ADMISSION_CANCELLED',
  /** A 2401 of unknown outcome could not be reversed: a person resolves it first. */
  'REGISTRATION_UNCERTAIN',
  /** 2402 of a visit whose discharge is registered: the discharge stands. */
  'ALREADY_DISCHARGED',
  /** 2405 of a visit with no registered discharge: nothing to undo. */
  'NOT_DISCHARGED',
  /** 2404 of a discharged visit: the discharge is undone (2405) first. */
  'DISCHARGED',
  /** 2404 while fee lines are on the platform: they are revoked (2302) first. */
  'FEE_LINES_ON_PLATFORM',
  /** A social security card (mdtrt_cert_type 03) without card_sn, and no psn_no and area to go by. */
  'CERTIFICATE_INCOMPLETE',
  /** The certificate or the psn_no names another person than the registered one. */
  'OTHER_PERSON',
  /** 2403 cannot change the insutype of a registration. */
  'INSUTYPE_CHANGED',
  /** 1101: the person holds no insurance of the admission's insutype. */
  'NOT_INSURED',
  /** 1101: the person's insurance of that insutype is not 正常参保 (suspended, terminated …). */
  'INSURANCE_NOT_ACTIVE',
  /** 2001: no entitlement to the basic fund of the insutype for this med_type. */
  'NO_ENTITLEMENT',
] as const;
export type AdmissionRefusalCode = (typeof ADMISSION_REFUSAL_CODES)[number];

/**
 * The code of a v1 refusal, from the only wording admission ever gave v1 (frozen with v1; v2 carries the code).
 * A text admission never sent has no code, and the message fails v2's validation (dead-lettered with why).
 */
function refusalCodeOfV1(infno: string, reason: string): AdmissionRefusalCode | undefined {
  if (/^the visit is not registered with the platform/.test(reason)) return 'NOT_REGISTERED';
  if (/^the registration of this visit is in progress/.test(reason)) return 'REGISTRATION_IN_PROGRESS';
  if (/^the visit is already registered with the platform/.test(reason)) return 'ALREADY_REGISTERED';
  if (/^the admission (of this visit )?was cancelled/.test(reason)) return 'ADMISSION_CANCELLED';
  if (/^the registration \(2401\) is uncertain/.test(reason)) return 'REGISTRATION_UNCERTAIN';
  if (infno === '2402' && /^the discharge is already registered/.test(reason)) return 'ALREADY_DISCHARGED';
  if (infno === '2405' && /^the patient is not discharged/.test(reason)) return 'NOT_DISCHARGED';
  if (infno === '2404' && /^the patient is discharged/.test(reason)) return 'DISCHARGED';
  if (infno === '2404' && /fee lines? ?(\(s\))? are still on the platform/.test(reason))
    return 'FEE_LINES_ON_PLATFORM';
  if (/^card_sn \(卡识别码\) is required/.test(reason)) return 'CERTIFICATE_INCOMPLETE';
  if (/^(psn_no differs from the registered person|the certificate belongs to another person)/.test(reason))
    return 'OTHER_PERSON';
  if (/^insutype cannot change/.test(reason)) return 'INSUTYPE_CHANGED';
  if (/^the person holds no insurance of insutype/.test(reason)) return 'NOT_INSURED';
  if (/^the person's insurance of insutype /.test(reason)) return 'INSURANCE_NOT_ACTIVE';
  if (/^2001 人员待遇享受检查: no entitlement/.test(reason)) return 'NO_ENTITLEMENT';
  return undefined;
}

const admissionRequestRefusedV2Data = AdmissionRequestRefusedV1.data
  .extend({
    code: z
      .enum(ADMISSION_REFUSAL_CODES)
      .describe('Why, as a code consumers match (ADMISSION_REFUSAL_CODES)'),
  })
  .strict();

export const AdmissionRequestRefusedV2 = defineContract({
  type: 'AdmissionRequestRefused',
  version: 2,
  topic: Topics.insuranceInpatient,
  summary:
    "v1's refusal with its reason as a code (ALREADY_DISCHARGED, NOT_DISCHARGED, NOT_REGISTERED, …) that " +
    'consumers match; `reason` stays the words for people. A v1 message is upcast by its wording.',
  data: admissionRequestRefusedV2Data,
  example: {
    ipt_no: 'ZY20240501001',
    mdtrt_id: '420000G0000012345678',
    request: 'AdmissionCancelled',
    infno: '2404',
    code: 'FEE_LINES_ON_PLATFORM',
    reason: '2 fee line(s) are still on the platform: revoke them (2302) before cancelling the admission',
  },
  upcast: (previous) => {
    const v1 = previous as z.output<typeof AdmissionRequestRefusedV1.data>;
    return { ...v1, code: refusalCodeOfV1(v1.infno, v1.reason) } as z.input<
      typeof admissionRequestRefusedV2Data
    >;
  },
});

export const AdmissionRegistrationReversedV1 = defineContract({
  type: 'AdmissionRegistrationReversed',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'A 2401 whose outcome was unknown was reversed with 2601 冲正 (omsgid = its msgid) before being sent again.',
  data: z
    .object({
      ipt_no,
      omsgid: msgid.describe('原报文ID: the reversed 2401'),
      reversal_msgid: msgid.describe('报文ID of the 2601'),
      reason: code(4000).describe('Why the outcome of the 2401 was unknown'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    omsgid: 'H42010200001202405010900000001',
    reversal_msgid: 'H42010200001202405010901000002',
    reason: 'timeout after 30000 ms',
  },
});

export const AdmissionOutcomeUncertainV1 = defineContract({
  type: 'AdmissionOutcomeUncertain',
  version: 1,
  topic: Topics.insuranceInpatient,
  summary:
    'Nobody knows whether the platform applied an admission transaction (timeout, reset, 5xx) and it could not ' +
    'be settled automatically (e.g. 2601 refused for a 2401): a person must check the platform and resolve it.',
  data: z
    .object({
      ipt_no,
      mdtrt_id: mdtrt_id.optional(),
      infno: admissionInfno.describe('The transaction whose outcome is unknown'),
      msgid: msgid.describe('报文ID of that transaction'),
      reason: code(4000).describe("Why it is unknown, and the 2601 refusal in the platform's words if any"),
      needs_person: z.literal(true).describe('Always true: the visit waits for a person'),
    })
    .strict(),
  example: {
    ipt_no: 'ZY20240501001',
    infno: '2401',
    msgid: 'H42010200001202405010900000001',
    reason: '2401 timed out; 2601 refused: 原交易不存在',
    needs_person: true,
  },
});

export const ADMISSION_CONTRACTS = [
  DischargePatientV1,
  UndoDischargeV1,
  QuerySpecialAttributesV1,
  DischargeUndoneV1,
  SpecialAttributeRegisteredV1,
  SpecialAttributesQueriedV1,
  AdmissionRequestRefusedV2,
  AdmissionRegistrationReversedV1,
  AdmissionOutcomeUncertainV1,
] as const;
