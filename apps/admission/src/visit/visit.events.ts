import { type AdmissionRefusalCode } from '@yb/contracts';
import {
  type AdmissionData,
  type DischargeData,
  type RequestCause,
  type SpecialAttributeData,
} from './visit.commands';

/**
 * The platform transaction a visit owes, queued by a decision and cleared by the platform's answer. One at a
 * time: a visit's messages are handled in order and each drives its request to an answer before the next.
 */
export type PendingRequest =
  | { kind: 'identify'; infno: '1101' }
  | { kind: 'check-entitlement'; infno: '2001' }
  | { kind: 'register'; infno: '2401' }
  | { kind: 'reverse-registration'; infno: '2601'; omsgid: string; reason: string }
  | { kind: 'change'; infno: '2403'; admission: AdmissionData }
  | { kind: 'cancel'; infno: '2404'; reason: string }
  | { kind: 'discharge'; infno: '2402'; discharge: DischargeData }
  | { kind: 'undo-discharge'; infno: '2405'; reason: string }
  | { kind: 'special-attribute'; infno: '2406'; attribute: SpecialAttributeData }
  | { kind: 'query-special-attributes'; infno: '2407' };

export interface SpecialAttributeRecord {
  ipt_psn_sp_flag_detl_id: string | null;
  ipt_psn_sp_flag_type: string | null;
  ipt_psn_sp_flag: string | null;
}

type Event<T extends string, D> = { type: T; data: D };

export type VisitEvent =
  | Event<'AdmissionReceived', { admission: AdmissionData; entitlementCheck?: boolean }>
  // cause: the message the request answers (absent in events recorded before requests were sent off the consumer path).
  | Event<'RequestQueued', { request: PendingRequest; cause?: RequestCause }>
  | Event<
      'PersonIdentified',
      // psn_type: 1101's 人员类别 of that insurance, when it gives one (picks recer_sys_code: 离休 …).
      { msgid: string; psn_no: string; insutype: string; insuplc_admdvs: string; psn_type?: string }
    >
  // 2001 found the basic fund enjoyed; warnings: supplementary funds not enjoyed, with the platform's reasons.
  | Event<'EntitlementChecked', { msgid: string; warnings: string[] }>
  | Event<'RegistrationOutcomeUnknown', { msgid: string; reason: string }>
  | Event<'RegistrationReversed', { omsgid: string; reversal_msgid: string; reason: string }>
  // A 2401 of unknown outcome whose 2601 the platform refused as never received: it was not applied.
  | Event<'RegistrationNotApplied', { omsgid: string; reason: string }>
  // The 2601 of that 2401 got no answer either: silence is not an answer, so the same 2601 is asked again.
  | Event<'ReversalUnanswered', { omsgid: string; reason: string }>
  | Event<'Registered', { msgid: string; mdtrt_id: string }>
  | Event<'RegistrationUncertain', { msgid: string; reason: string }>
  | Event<'Changed', { msgid: string; admission: AdmissionData }>
  | Event<'Cancelled', { msgid: string }>
  | Event<'Discharged', { msgid: string; endtime: string }>
  | Event<'DischargeOutcomeUnknown', { msgid: string; reason: string }>
  // A 2403 unanswered: it sets the admission to the values it carries, so it is sent again until answered.
  | Event<'ChangeOutcomeUnknown', { msgid: string; reason: string }>
  | Event<'DischargeUndone', { msgid: string }>
  | Event<
      'SpecialAttributeRegistered',
      {
        msgid: string;
        ipt_psn_sp_flag_detl_id: string;
        ipt_psn_sp_flag_type: string;
        ipt_psn_sp_flag: string;
      }
    >
  | Event<'SpecialAttributesQueried', { msgid: string; attributes: SpecialAttributeRecord[] }>
  | Event<'PlatformRefused', { infno: string; msgid: string; infcode: number; err_msg: string }>
  | Event<'AnswerUnreadable', { infno: string; msgid: string; missing: string[] }>
  | Event<'OutcomeUncertain', { infno: string; msgid: string; reason: string }>
  /** `code`: absent in the events recorded before refusals had codes (nothing reads it from the store). */
  | Event<'RequestRefused', { request: string; infno: string; code: AdmissionRefusalCode; reason: string }>
  | Event<'FeeLinesNoted', { uploaded: string[]; revoked: string[] }>;

export type VisitEventType = VisitEvent['type'];
