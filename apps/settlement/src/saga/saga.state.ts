import {
  type CancelRequest,
  type DischargeData,
  type LocalReversal,
  type MessageCause,
  type SagaSettings,
  type SettlementRequest,
} from './saga.commands';
import {
  type PolicyAmounts,
  type SagaEvent,
  type SagaKind,
  type SagaStatus,
  type SagaStep,
  type SentCommand,
  type SettlementAmounts,
} from './saga.events';

/** What the saga must know of the visit to build 2303/2304/2305 and to ask for 2402. */
export interface VisitFacts {
  readonly psn_no: string | null;
  readonly insutype: string | null;
  readonly mdtrt_cert_type: string | null;
  readonly mdtrt_cert_no: string | null;
  /** 参保地医保区划 the HIS named in its admission (PatientAdmitted / AdmissionChanged). */
  readonly insuplc_admdvs: string | null;
  /** 参保地医保区划 admission registered the visit in (AdmissionRegistered v2): wins over the HIS's. */
  readonly registered_admdvs: string | null;
  /** 人员类别 from admission's 1101, when it asked: picks recer_sys_code (离休 …). */
  readonly psn_type: string | null;
  readonly mdtrt_id: string | null;
  readonly discharge: DischargeData | null;
  /** 2402 registered and not undone, as admission reported it. */
  readonly discharged: boolean;
  /** Why admission refused the registration, until a registration is noted. */
  readonly registration_refused: string | null;
}

/** What the saga is waiting for: another service's answer (until a deadline), or its own platform call. */
export type PendingStep =
  | { kind: 'command'; step: SagaStep; command: SentCommand; deadline: string }
  | {
      kind: 'audit';
      step: 'PRE_SETTLEMENT_AUDIT' | 'SETTLEMENT_AUDIT';
      command: SentCommand;
      deadline: string | null;
    }
  | {
      kind: 'platform';
      step: 'PRE_SETTLEMENT' | 'SETTLEMENT' | 'SETTLEMENT_CANCEL';
      infno: '2303' | '2304' | '2305';
    }
  | { kind: 'reversal'; step: 'REVERSAL'; omsgid: string; oinfno: '2304' | '2305'; reason: string }
  | { kind: 'confirmation'; step: 'CONFIRMATION'; deadline: string };

export interface Saga {
  readonly saga_id: string;
  readonly ipt_no: string;
  readonly kind: SagaKind;
  readonly mid_setl_flag: string;
  readonly request: SettlementRequest | null;
  /** The SettlementRequested's envelope id, when known: the place fee-detail cuts the totals at. */
  readonly request_id: string | null;
  readonly cancel: (CancelRequest & { setl_id: string }) | null;
  readonly status: SagaStatus;
  readonly audit_enabled: boolean;
  readonly step_timeout_ms: number;
  readonly confirmation_required: boolean;
  readonly confirmation_timeout_ms: number;
  /** A person confirmed the split of the latest 2303 (a new 2303 asks again). */
  readonly confirmed: boolean;
  /** 个人账户使用标志 a person chose at confirmation; null: the request's. */
  readonly acct_used_flag: string | null;
  /** The step the saga is on (the forward step being compensated, while a compensation runs). */
  readonly step: SagaStep;
  readonly attempts: Readonly<Partial<Record<SagaStep, number>>>;
  readonly pending: PendingStep | null;
  readonly seq: number;
  readonly preSettlement: SettlementAmounts | null;
  /** The policy-range sums fee-detail answered with the agreed totals (null: not given; 2303 sends zeros). */
  readonly policyAmounts: PolicyAmounts | null;
  readonly started_at: string;
  /** While compensating: the forward step that failed and why. */
  readonly failure: { step: SagaStep; reason: string } | null;
  /** WAITING_FOR_PLATFORM: when the unanswered step is asked again, and how many waits in a row (the backoff). */
  readonly retry_at: string | null;
  readonly waits: number;
}

export interface SettlementRecord {
  readonly setl_id: string;
  readonly medins_setl_id: string;
  readonly mid_setl_flag: string;
  readonly saga_id: string;
  readonly cancelled: boolean;
  /** Reversed in our books by the billing office (本地冲销): the platform does not hold it. */
  readonly reversed_locally: boolean;
  /** The last timeline entry of its saga (the 2304 answer, ending it SETTLED): a local reversal's follows it. */
  readonly seq: number;
}

/** The settlement still stands: neither cancelled (2305) nor reversed in our books. */
export function stands(settlement: SettlementRecord): boolean {
  return !settlement.cancelled && !settlement.reversed_locally;
}

/** A settlement request waiting for admission's registration result (AdmissionRegistered) until `deadline`. */
export interface HeldRequest {
  readonly request: SettlementRequest;
  readonly settings: SagaSettings;
  readonly cause: MessageCause | null;
  readonly deadline: string;
}

/**
 * A cashier's request (or the billing office's local reversal) that came while the visit was busy (a saga running,
 * a request held for the registration): served in the order it came once the visit is free, as a cashier's
 * requests are (cancel after the settlement it cancels, the final settlement after the mid-way one).
 */
export type QueuedRequest =
  | {
      readonly kind: 'settle';
      readonly request: SettlementRequest;
      readonly settings: SagaSettings;
      readonly cause: MessageCause | null;
    }
  | {
      readonly kind: 'cancel';
      readonly ipt_no: string;
      readonly cancel: CancelRequest;
      readonly settings: SagaSettings;
      readonly cause: MessageCause | null;
    }
  | { readonly kind: 'reverse'; readonly reversal: LocalReversal; readonly cause: MessageCause | null };

export interface SagaState {
  readonly visit: VisitFacts;
  readonly sagaCount: number;
  readonly saga: Saga | null;
  readonly settlements: readonly SettlementRecord[];
  readonly held: HeldRequest | null;
  readonly queued: readonly QueuedRequest[];
}

export const initialSagaState: SagaState = {
  visit: {
    psn_no: null,
    insutype: null,
    mdtrt_cert_type: null,
    mdtrt_cert_no: null,
    insuplc_admdvs: null,
    registered_admdvs: null,
    psn_type: null,
    mdtrt_id: null,
    discharge: null,
    discharged: false,
    registration_refused: null,
  },
  sagaCount: 0,
  saga: null,
  settlements: [],
  held: null,
  queued: [],
};

export const ACTIVE_STATES: readonly SagaStatus[] = [
  'RUNNING',
  'WAITING_FOR_PERSON',
  'AWAITING_CONFIRMATION',
  'WAITING_FOR_PLATFORM',
];

/** admission's registration result (mdtrt_id, psn_no) has been noted: the platform knows the visit. */
export function isRegistered(visit: VisitFacts): boolean {
  return visit.mdtrt_id !== null && visit.psn_no !== null;
}

/**
 * 参保地医保区划 every call of the visit is routed to: the registered one, else the HIS's; null when neither
 * said (the saga refuses then: the hospital's own area would send a cross-area patient's settlement astray).
 */
export function insuredArea(visit: VisitFacts): string | null {
  return visit.registered_admdvs ?? visit.insuplc_admdvs;
}

/** The certificate 2303/2304 carry: the one presented at discharge, or the admission's where the HIS says it holds. */
export function settlementCertificate(
  visit: VisitFacts,
  request: SettlementRequest,
): { mdtrt_cert_type: string; mdtrt_cert_no: string } | null {
  if (request.mdtrt_cert_type !== undefined && request.mdtrt_cert_no !== undefined) {
    return { mdtrt_cert_type: request.mdtrt_cert_type, mdtrt_cert_no: request.mdtrt_cert_no };
  }
  if (request.cert_as_admitted && visit.mdtrt_cert_type !== null && visit.mdtrt_cert_no !== null) {
    return { mdtrt_cert_type: visit.mdtrt_cert_type, mdtrt_cert_no: visit.mdtrt_cert_no };
  }
  return null;
}

/** The visit cannot take a new request now: a saga runs, or a request waits for the registration. */
export function isBusy(state: SagaState): boolean {
  return state.held !== null || isActive(state.saga);
}

export function isActive(saga: Saga | null): saga is Saga & {
  status: 'RUNNING' | 'WAITING_FOR_PERSON' | 'AWAITING_CONFIRMATION' | 'WAITING_FOR_PLATFORM';
} {
  return saga !== null && ACTIVE_STATES.includes(saga.status);
}

export function evolveSaga(state: SagaState, event: SagaEvent): SagaState {
  switch (event.type) {
    case 'AdmissionNoted': {
      const d = event.data;
      return {
        ...state,
        visit: {
          ...state.visit,
          psn_no: d.psn_no ?? state.visit.psn_no,
          insutype: d.insutype,
          mdtrt_cert_type: d.mdtrt_cert_type,
          mdtrt_cert_no: d.mdtrt_cert_no,
          insuplc_admdvs: d.insuplc_admdvs ?? state.visit.insuplc_admdvs,
        },
      };
    }
    case 'RegistrationNoted': {
      const { mdtrt_id, psn_no, insuplc_admdvs, insutype, psn_type } = event.data;
      return {
        ...state,
        visit: {
          ...state.visit,
          registration_refused: null,
          mdtrt_id,
          psn_no,
          insutype: insutype ?? state.visit.insutype,
          registered_admdvs: insuplc_admdvs ?? null,
          psn_type: psn_type ?? null,
        },
      };
    }
    case 'DischargeNoted':
      return { ...state, visit: { ...state.visit, discharge: event.data.discharge } };
    case 'DischargeStatusNoted':
      return { ...state, visit: { ...state.visit, discharged: event.data.discharged } };
    case 'SagaStarted': {
      const d = event.data;
      return {
        ...state,
        sagaCount: state.sagaCount + 1,
        saga: {
          saga_id: d.saga_id,
          ipt_no: d.ipt_no,
          kind: d.kind,
          mid_setl_flag: d.mid_setl_flag,
          request: d.request,
          request_id: d.request_id ?? null,
          cancel: d.cancel ?? null,
          status: 'RUNNING',
          audit_enabled: d.audit_enabled,
          step_timeout_ms: d.step_timeout_ms,
          confirmation_required: d.confirmation_required ?? false,
          confirmation_timeout_ms: d.confirmation_timeout_ms ?? d.step_timeout_ms,
          confirmed: false,
          acct_used_flag: null,
          step: d.kind === 'SETTLE' ? 'FEE_RECONCILIATION' : 'SETTLEMENT_CANCEL',
          attempts: {},
          pending: null,
          seq: 0,
          preSettlement: null,
          policyAmounts: null,
          started_at: d.started_at,
          failure: null,
          retry_at: null,
          waits: 0,
        },
      };
    }
    case 'StepStarted': {
      const saga = state.saga!;
      const d = event.data;
      const forward = d.step !== 'REVERSAL' && !(d.step === 'DISCHARGE_UNDO' && saga.kind === 'SETTLE');
      return {
        ...state,
        saga: {
          ...saga,
          status: 'RUNNING',
          seq: d.seq,
          step: forward ? d.step : saga.step,
          attempts: { ...saga.attempts, [d.step]: d.attempt },
          pending: pendingOf(d),
          failure: d.compensating ?? saga.failure,
          retry_at: null,
          // A new 2303 shows a new split: it is confirmed again.
          confirmed: d.step === 'PRE_SETTLEMENT' ? false : saga.confirmed,
        },
      };
    }
    case 'StepAnswered': {
      const saga = state.saga!;
      const d = event.data;
      const result = d.result;
      let settlements = state.settlements;
      if (result?.kind === 'settlement') {
        settlements = [
          ...settlements,
          {
            setl_id: result.settlement.setl_id,
            medins_setl_id: result.settlement.medins_setl_id,
            mid_setl_flag: saga.mid_setl_flag,
            saga_id: saga.saga_id,
            cancelled: false,
            reversed_locally: false,
            seq: d.seq,
          },
        ];
      }
      if (result?.kind === 'cancellation') {
        settlements = settlements.map((s) =>
          s.setl_id === result.cancellation.init_setl_id ? { ...s, cancelled: true } : s,
        );
      }
      return {
        ...state,
        settlements,
        saga: {
          ...saga,
          seq: d.seq,
          pending: null,
          // An answer ends a run of waits; silence (UNKNOWN, TIMED_OUT) does not.
          waits: d.status === 'UNKNOWN' || d.status === 'TIMED_OUT' ? saga.waits : 0,
          preSettlement: result?.kind === 'pre-settlement' ? result.amounts : saga.preSettlement,
          policyAmounts: result?.kind === 'fee-totals' ? result.policy : saga.policyAmounts,
          ...(result?.kind === 'confirmation' && {
            confirmed: result.decision === 'CONFIRM',
            acct_used_flag: result.acct_used_flag,
          }),
        },
      };
    }
    case 'SagaWaiting': {
      const saga = state.saga!;
      const pending = saga.pending?.kind === 'audit' ? { ...saga.pending, deadline: null } : saga.pending;
      return { ...state, saga: { ...saga, seq: event.data.seq, status: 'WAITING_FOR_PERSON', pending } };
    }
    case 'SagaWaitingForPlatform': {
      // The unanswered step stays pending (the platform call, the reversal, or the command asked): a late
      // answer to it is still taken, and at retry_at it is asked again.
      const saga = state.saga!;
      const { seq, retry_at, waits, pending } = event.data;
      return { ...state, saga: { ...saga, seq, status: 'WAITING_FOR_PLATFORM', retry_at, waits, pending } };
    }
    case 'ConfirmationRequested': {
      const saga = state.saga!;
      const { seq, deadline } = event.data;
      const pending: PendingStep = { kind: 'confirmation', step: 'CONFIRMATION', deadline };
      return { ...state, saga: { ...saga, seq, status: 'AWAITING_CONFIRMATION', pending } };
    }
    case 'SagaEnded':
      return { ...state, saga: { ...state.saga!, status: event.data.state, pending: null } };
    case 'SettlementRequestHeld': {
      const { request, settings, cause, deadline } = event.data;
      return { ...state, held: { request, settings, cause: cause ?? null, deadline } };
    }
    case 'HeldRequestReleased':
      return { ...state, held: null };
    case 'RequestQueued':
      return { ...state, queued: [...state.queued, event.data.item] };
    case 'QueuedRequestTaken':
      return { ...state, queued: state.queued.slice(1) };
    case 'RegistrationRefusalNoted':
      return { ...state, visit: { ...state.visit, registration_refused: event.data.reason } };
    case 'SettlementReversedLocally': {
      const { setl_id, saga_id, seq } = event.data;
      const { saga } = state;
      return {
        ...state,
        settlements: state.settlements.map((s) =>
          s.setl_id === setl_id ? { ...s, reversed_locally: true, seq } : s,
        ),
        saga: saga?.saga_id === saga_id ? { ...saga, status: 'REVERSED_LOCALLY', seq } : saga,
      };
    }
    case 'RequestRefused':
      return state;
  }
}

function pendingOf(d: Extract<SagaEvent, { type: 'StepStarted' }>['data']): PendingStep {
  if (d.step === 'REVERSAL') {
    return {
      kind: 'reversal',
      step: 'REVERSAL',
      omsgid: d.omsgid!,
      oinfno: d.oinfno as '2304' | '2305',
      reason: d.detail,
    };
  }
  if (d.step === 'PRE_SETTLEMENT_AUDIT' || d.step === 'SETTLEMENT_AUDIT') {
    return { kind: 'audit', step: d.step, command: d.command!, deadline: d.deadline ?? null };
  }
  if (d.command) return { kind: 'command', step: d.step, command: d.command, deadline: d.deadline! };
  return {
    kind: 'platform',
    step: d.step as 'PRE_SETTLEMENT' | 'SETTLEMENT' | 'SETTLEMENT_CANCEL',
    infno: d.infno as '2303' | '2304' | '2305',
  };
}
