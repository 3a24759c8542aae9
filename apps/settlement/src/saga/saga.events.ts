import { type SETTLEMENT_SAGA_STEPS, type SETTLEMENT_SAGA_STATES } from '@yb/contracts';
import {
  type CancelRequest,
  type DischargeData,
  type LocalReversal,
  type MessageCause,
  type Registration,
  type SagaSettings,
  type SettlementRequest,
} from './saga.commands';
import { type PendingStep, type QueuedRequest } from './saga.state';

export type SagaStep = (typeof SETTLEMENT_SAGA_STEPS)[number];
export type SagaStatus = (typeof SETTLEMENT_SAGA_STATES)[number];
export type SagaKind = 'SETTLE' | 'CANCEL';

/** A command the saga sends another service, kept in the event that sent it (the outbox publishes it). */
export interface SentCommand {
  id: string;
  type: 'ReconcileFeeTotals' | 'AuditSettlement' | 'DischargePatient' | 'UndoDischarge';
  data: Record<string, unknown>;
}

export interface FundShare {
  fund_pay_type: string;
  fund_pay_type_name?: string;
  inscp_scp_amt: string;
  fund_payamt: string;
}

/** The amounts of a 2303/2304 answer the cashier sees (decimal strings, 2 places). */
export interface SettlementAmounts {
  medfee_sumamt: string;
  fulamt_ownpay_amt: string;
  overlmt_selfpay: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  hifp_pay: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  psn_cash_pay: string;
  hosp_part_amt?: string;
  fund_shares: FundShare[];
}

/** Whose the settlement is and who clears it, as 2304 answered (reconciliation's 3201 groups). */
export interface SettlementClearing {
  psn_no?: string;
  insutype?: string;
  clr_type?: string;
  clr_way?: string;
  clr_optins?: string;
}

export interface SettlementResult extends SettlementAmounts, SettlementClearing {
  setl_id: string;
  setl_time: string;
  medins_setl_id: string;
}

export interface CancellationResult {
  setl_id: string;
  init_setl_id: string;
  medfee_sumamt: string;
  fund_pay_sumamt: string;
  acct_pay: string;
  psn_cash_pay: string;
  setl_time?: string;
}

/** 2303/2304's policy-range amounts: the sums of the covered lines' 2301 answers (fee-detail's totals answer). */
export interface PolicyAmounts {
  fulamt_ownpay_amt: string;
  overlmt_selfpay: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
}

export type StepResult =
  | { kind: 'fee-totals'; policy: PolicyAmounts }
  | {
      kind: 'confirmation';
      decision: 'CONFIRM' | 'CANCEL';
      acct_used_flag: string;
      by: string;
      request: 'ConfirmPreSettlement' | 'PreSettlementConfirmed';
    }
  | { kind: 'pre-settlement'; amounts: SettlementAmounts }
  | { kind: 'settlement'; settlement: SettlementResult }
  | { kind: 'cancellation'; cancellation: CancellationResult }
  | { kind: 'reversal'; compensation: '2601'; omsgid: string; oinfno: string; reason: string }
  | { kind: 'discharge-undone'; compensation: '2405'; reason: string };

/** What a person needs to resolve a compensation the platform refused or left unanswered. */
export interface CompensationFailure {
  compensation: '2601' | '2405' | '2305';
  msgid?: string;
  omsgid?: string;
  oinfno?: string;
  setl_id?: string;
  platform_answer: string;
  platform_state: string;
  suggested_action: string;
}

type Event<T extends string, D> = { type: T; data: D };

/** The timeline's entries carry seq, step, attempt and a status; SettlementSagaProgressed publishes each. */
export interface TimelineFields {
  saga_id: string;
  seq: number;
  step: SagaStep;
  attempt: number;
  infno?: string;
  msgid?: string;
  detail: string;
}

export type SagaEvent =
  // What the saga learns of the visit from the HIS and admission.
  | Event<
      'AdmissionNoted',
      {
        psn_no?: string;
        insutype: string;
        mdtrt_cert_type: string;
        mdtrt_cert_no: string;
        insuplc_admdvs?: string;
      }
    >
  | Event<'RegistrationNoted', Registration>
  | Event<'DischargeNoted', { discharge: DischargeData }>
  | Event<'DischargeStatusNoted', { discharged: boolean }>
  // The saga itself.
  | Event<
      'SagaStarted',
      {
        saga_id: string;
        ipt_no: string;
        kind: SagaKind;
        mid_setl_flag: string;
        /** The HIS's request (for a cancel: the one that settled, when known). */
        request: SettlementRequest | null;
        /**
         * The SettlementRequested's envelope id (a retry: the failed saga's): fee-detail cuts the totals at its
         * place among the visit's charges. Absent in sagas started before it was kept, and for a cancel.
         */
        request_id?: string;
        cancel?: CancelRequest & { setl_id: string };
        audit_enabled: boolean;
        step_timeout_ms: number;
        /** Absent in sagas started before confirmation existed: none asked. */
        confirmation_required?: boolean;
        confirmation_timeout_ms?: number;
        started_at: string;
        retry_of?: string;
        comment?: string;
      }
    >
  | Event<
      'StepStarted',
      TimelineFields & {
        retrying: boolean;
        /** A compensation names the forward step that failed and why (the saga's reason when it ends). */
        compensating?: { step: SagaStep; reason: string };
        command?: SentCommand;
        deadline?: string;
        omsgid?: string;
        oinfno?: string;
      }
    >
  | Event<
      'StepAnswered',
      TimelineFields & {
        status: 'SUCCEEDED' | 'APPLIED_UNREADABLE' | 'REJECTED' | 'UNKNOWN' | 'TIMED_OUT';
        result?: StepResult;
      }
    >
  | Event<'SagaWaiting', TimelineFields>
  /**
   * The step got no answer (the platform, or the service asked while it waits out the platform): the saga stays
   * in it (WAITING_FOR_PLATFORM) and asks again at `retry_at`; `waits` counts the waits in a row (the backoff);
   * `pending`: what is asked again (a late answer to it is still taken meanwhile).
   */
  | Event<
      'SagaWaitingForPlatform',
      TimelineFields & { retry_at: string; waits: number; pending: PendingStep }
    >
  /** 2303's split waits for a cashier's confirmation (AWAITING_CONFIRMATION) until `deadline`. */
  | Event<'ConfirmationRequested', TimelineFields & { deadline: string }>
  | Event<
      'SagaEnded',
      {
        saga_id: string;
        state: 'SETTLED' | 'FAILED' | 'COMPENSATION_FAILED' | 'CANCELLED' | 'APPLIED_UNREADABLE';
        step: SagaStep;
        reason: string;
        needs_person: boolean;
        compensation_failure?: CompensationFailure;
        /** APPLIED_UNREADABLE: the call the platform applied and what its answer lacked. */
        unreadable?: { infno: string; msgid: string; missing: string[] };
      }
    >
  /**
   * The billing office reversed one of the visit's settlements in our books (本地冲销, reconciliation's record):
   * it no longer stands; its saga (`saga_id`) leaves SETTLED for REVERSED_LOCALLY. Nothing was sent to the platform.
   */
  | Event<
      'SettlementReversedLocally',
      TimelineFields & {
        setl_id: string;
        mid_setl_flag: string;
        stmt_date: string;
        reason: string;
        reversed_by: LocalReversal['reversed_by'];
        reversed_at: string;
      }
    >
  | Event<'RequestRefused', { request: string; reason: string; saga_id?: string }>
  // admission refused the visit's registration (1101, 2001, 2401): a settlement request then is refused at once.
  | Event<'RegistrationRefusalNoted', { reason: string }>
  // A settlement request that came before admission's registration result waits for it, until its deadline.
  | Event<
      'SettlementRequestHeld',
      {
        request: SettlementRequest;
        settings: SagaSettings;
        cause?: MessageCause;
        held_at: string;
        deadline: string;
      }
    >
  // The held request is decided: the registration came (started or refused then), was refused, or did not come.
  // Its results are published as caused by the request (`cause`).
  | Event<'HeldRequestReleased', { released_at: string; cause?: MessageCause }>
  // A request that came while the visit was busy waits its turn (`behind`: what it waits for).
  | Event<'RequestQueued', { item: QueuedRequest; queued_at: string; behind: string }>
  // The first queued request is decided now; its results are published as caused by it (`cause`).
  | Event<'QueuedRequestTaken', { taken_at: string; cause?: MessageCause }>;

export type SagaEventType = SagaEvent['type'];
