import { type AdmissionData, type RequestCause } from './visit.commands';
import { type PendingRequest, type VisitEvent } from './visit.events';

/**
 * new → registering → registered ⇄ discharged; registered → cancelled.
 * registering → not-registered when the platform refused (the HIS may admit again);
 * registering → registration-uncertain when a 2401 of unknown outcome could not be reversed (a person decides).
 */
export type VisitStatus =
  | 'new'
  | 'registering'
  | 'not-registered'
  | 'registered'
  | 'discharged'
  | 'cancelled'
  | 'registration-uncertain';

export interface VisitState {
  readonly status: VisitStatus;
  readonly admission: AdmissionData | null;
  readonly psn_no: string | null;
  readonly insutype: string | null;
  readonly insuplc_admdvs: string | null;
  /** 人员类别 from 1101; null when the HIS named the person and 1101 was not asked. */
  readonly psn_type: string | null;
  readonly mdtrt_id: string | null;
  /** 2001 人员待遇享受检查 comes before this admission's 2401 (the setting when the admission arrived). */
  readonly entitlementCheck: boolean;
  readonly pending: PendingRequest | null;
  /** The message the last queued request answers: its results are published in its name. */
  readonly pendingCause: RequestCause | null;
  /** Platform requests queued over the visit's life: numbers each one, as the key of its call. */
  readonly requestsQueued: number;
  /** The first 2402 of unknown outcome, sent again until answered: its msgid (the platform refuses a resend if one applied). */
  readonly dischargeUnknownMsgid: string | null;
  /** feedetl_sn of the lines fee-detail reports on the platform (2404 is refused while any remain). */
  readonly feeLinesOnPlatform: readonly string[];
}

export const initialVisitState: VisitState = {
  status: 'new',
  admission: null,
  psn_no: null,
  insutype: null,
  insuplc_admdvs: null,
  psn_type: null,
  mdtrt_id: null,
  entitlementCheck: false,
  pending: null,
  pendingCause: null,
  requestsQueued: 0,
  dischargeUnknownMsgid: null,
  feeLinesOnPlatform: [],
};

/** The transactions of an admission up to its registration: refused, the HIS may admit the visit again. */
const ADMISSION_STEPS: ReadonlySet<string> = new Set(['1101', '2001', '2401']);

/** 2302 with feedetl_sn "0000" revokes every line of the visit. */
const ALL_LINES = '0000';

export function evolveVisit(state: VisitState, event: VisitEvent): VisitState {
  switch (event.type) {
    case 'AdmissionReceived': {
      const { admission } = event.data;
      return {
        ...initialVisitState,
        status: 'registering',
        admission,
        psn_no: admission.psn_no ?? null,
        insutype: admission.insutype,
        insuplc_admdvs: admission.insuplc_admdvs ?? null,
        entitlementCheck: event.data.entitlementCheck ?? false,
        feeLinesOnPlatform: state.feeLinesOnPlatform,
        requestsQueued: state.requestsQueued,
      };
    }
    case 'RequestQueued': {
      const { request } = event.data;
      return {
        ...state,
        pending: request,
        pendingCause: event.data.cause ?? null,
        requestsQueued: state.requestsQueued + 1,
      };
    }
    case 'PersonIdentified':
      return {
        ...state,
        ...pick(event.data, 'psn_no', 'insutype', 'insuplc_admdvs'),
        psn_type: event.data.psn_type ?? null,
        pending: null,
      };
    case 'EntitlementChecked':
    case 'RegistrationOutcomeUnknown':
      return { ...state, pending: null };
    case 'RegistrationReversed':
    case 'RegistrationNotApplied':
    case 'ReversalUnanswered':
    case 'ChangeOutcomeUnknown':
      return { ...state, pending: null };
    case 'Registered':
      return { ...state, status: 'registered', mdtrt_id: event.data.mdtrt_id, pending: null };
    case 'RegistrationUncertain':
      return { ...state, status: 'registration-uncertain', pending: null };
    case 'Changed':
      return { ...state, admission: event.data.admission, pending: null };
    case 'Cancelled':
      return { ...state, status: 'cancelled', pending: null };
    case 'DischargeOutcomeUnknown':
      // The first 2402 of unknown outcome: the one a later refusal as already discharged is recorded under.
      return {
        ...state,
        dischargeUnknownMsgid: state.dischargeUnknownMsgid ?? event.data.msgid,
        pending: null,
      };
    case 'Discharged':
      return { ...state, status: 'discharged', pending: null, dischargeUnknownMsgid: null };
    case 'DischargeUndone':
      return { ...state, status: 'registered', pending: null };
    case 'SpecialAttributeRegistered':
    case 'SpecialAttributesQueried':
      return { ...state, pending: null };
    case 'OutcomeUncertain':
      return { ...state, pending: null, dischargeUnknownMsgid: null };
    case 'AnswerUnreadable':
      // 2401 applied without a readable mdtrt_id: registered on the platform, unusable here until a person acts.
      // 1101/2001 (queries) unreadable: nothing was registered; once a person has looked, the HIS may admit again.
      return {
        ...state,
        pending: null,
        status:
          event.data.infno === '2401'
            ? 'registration-uncertain'
            : ADMISSION_STEPS.has(event.data.infno)
              ? 'not-registered'
              : state.status,
      };
    case 'PlatformRefused': {
      const registrationRefused = ADMISSION_STEPS.has(event.data.infno);
      return {
        ...state,
        pending: null,
        status: registrationRefused ? 'not-registered' : state.status,
        dischargeUnknownMsgid: null,
      };
    }
    case 'RequestRefused':
      // Refused on 1101's or 2001's answer (who the person is, what they may claim): the admission did not go through.
      return state.pending !== null && ADMISSION_STEPS.has(state.pending.infno)
        ? { ...state, status: 'not-registered', pending: null }
        : state;
    case 'FeeLinesNoted': {
      const { uploaded, revoked } = event.data;
      const lines = revoked.includes(ALL_LINES)
        ? new Set<string>()
        : new Set(state.feeLinesOnPlatform.filter((sn) => !revoked.includes(sn)));
      for (const sn of uploaded) lines.add(sn);
      return { ...state, feeLinesOnPlatform: [...lines] };
    }
  }
}

function pick<T, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}
