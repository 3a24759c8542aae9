import { type AdmissionRefusalCode, type DataOf } from '@yb/contracts';
import { type ReversalRefusalMeaning, type ReversalVerdict, type TypedOutput } from '@yb/platform-client';

export type SettlementRequest = DataOf<'SettlementRequested'>;
export type DischargeData = DataOf<'DischargeRequested'>;
export type AuditAnswer = DataOf<'SettlementAuditCompleted'>;
export type FeeTotalsAnswer = DataOf<'FeeTotalsReconciled'>;

/**
 * The platform's registration (AdmissionRegistered): mdtrt_id and who the person is as the 2401 was sent. The
 * area is absent in a v1 record: unknown, never the hospital's.
 */
export interface Registration {
  mdtrt_id: string;
  psn_no: string;
  insuplc_admdvs?: string;
  insutype?: string;
  psn_type?: string;
}

/** A cancellation, from the HIS (SettlementCancelRequested: 2305 then 2405) or a person (CancelSettlement). */
export interface CancelRequest {
  setl_id?: string;
  undo_discharge: boolean;
  reason: string;
  request: 'SettlementCancelRequested' | 'CancelSettlement';
}

/** What admission answered a DischargePatient or UndoDischarge (its result, reduced to what the saga keeps). */
export type AdmissionAnswer =
  | { kind: 'DISCHARGED'; msgid: string }
  | { kind: 'DISCHARGE_UNDONE'; msgid: string }
  | { kind: 'REJECTED'; infno: string; msgid: string; err_msg: string }
  | { kind: 'REFUSED'; infno: string; code: AdmissionRefusalCode; reason: string }
  | { kind: 'UNCERTAIN'; infno: string; msgid: string; reason: string };

/** The saga's own platform calls: 2303 预结算, 2304 结算, 2305 结算撤销. */
export type SettlementInfno = '2303' | '2304' | '2305';

/**
 * What the platform answered one of the saga's own calls; a success carries the interface's output as the
 * platform client read it (a switch on `infno` narrows it).
 */
export type PlatformAnswer =
  | ({ msgid: string; status: 'SUCCEEDED' } & TypedOutput<SettlementInfno>)
  /** Applied by the platform, but the answer lacks what the saga records (`missing` names it). */
  | { infno: string; msgid: string; status: 'APPLIED_UNREADABLE'; missing: string[] }
  | { infno: string; msgid: string; status: 'REJECTED'; err_msg: string }
  | { infno: string; msgid: string; status: 'UNKNOWN'; reason: string };

/** What 2601 did to a call whose outcome was unknown. */
export interface ReversalAnswer {
  omsgid: string;
  reversal_msgid?: string;
  status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN';
  err_msg?: string;
  /** A REVERSAL_REFUSED's meaning for the original, read from the platform's words in platform/ (absent: 'other'). */
  refusal?: ReversalRefusalMeaning;
  /** What the answer means for the original, by platform-client's one rule (reversalVerdict), read in platform/. */
  verdict: ReversalVerdict;
}

/**
 * reconciliation's SettlementReversedLocally: a person (operator role) confirmed that the platform does not hold
 * the settlement (cancelled at its counter, or never applied) and reversed it in our books (本地冲销).
 */
export type LocalReversal = Pick<
  DataOf<'SettlementReversedLocally'>,
  'setl_id' | 'stmt_date' | 'refd_setl_flag' | 'reason' | 'reversed_by'
>;

/** The message a result answers (its envelope's id and correlation id). */
export interface MessageCause {
  id: string;
  correlationId: string;
}

/** Settings the saga takes from the service's configuration when it starts (kept in SagaStarted). */
export interface SagaSettings {
  /** false in regions without 事中 audit: the 3102 steps are skipped. */
  audit_enabled: boolean;
  /** How long another service may take to answer a step before the saga times it out. */
  step_timeout_ms: number;
  /** The hospital's cashier confirms 2303's split before 2402/2304 (SETTLEMENT_CONFIRMATION, default true). */
  confirmation_required: boolean;
  /** How long the split waits for a confirmation before the saga stops for a person (never a silent 2304). */
  confirmation_timeout_ms: number;
}

/** A confirmation of the pre-settlement's split, by a cashier on the dashboard or at the HIS. */
export interface ConfirmationDecision {
  /** The saga whose split was seen; the waiting one when absent (the HIS may not know it). */
  saga_id?: string;
  decision: 'CONFIRM' | 'CANCEL';
  /** 个人账户使用标志 chosen; the request's (or the last confirmed) when absent. */
  acct_used_flag?: '0' | '1';
  /** Who decided: the operator's username or the HIS's cashier id. */
  by: string;
  /** The message it came in: ConfirmPreSettlement (dashboard) or PreSettlementConfirmed (HIS). */
  request: 'ConfirmPreSettlement' | 'PreSettlementConfirmed';
  comment?: string;
}

/**
 * The saga's inputs. `now` (ISO time) and `id` (a fresh UUID for a command the decision may send) come from
 * the workflow, so that the decider stays pure.
 */
export type SagaCommand =
  | {
      type: 'NoteAdmission';
      admission: Pick<
        DataOf<'PatientAdmitted'>,
        'psn_no' | 'insutype' | 'mdtrt_cert_type' | 'mdtrt_cert_no' | 'insuplc_admdvs'
      >;
    }
  | { type: 'NoteRegistration'; registration: Registration; now: string; id: string }
  | { type: 'NoteDischarge'; discharge: DischargeData }
  | {
      type: 'RequestSettlement';
      request: SettlementRequest;
      settings: SagaSettings;
      /** The HIS message: what a held request's results are published as caused by. */
      cause?: MessageCause;
      now: string;
      id: string;
    }
  | {
      type: 'RequestCancel';
      ipt_no: string;
      cancel: CancelRequest;
      settings: SagaSettings;
      /** The message asking: what a queued cancel's results are published as caused by. */
      cause?: MessageCause;
      now: string;
      id: string;
    }
  | {
      type: 'RetrySaga';
      ipt_no: string;
      saga_id: string;
      comment: string;
      settings: SagaSettings;
      now: string;
      id: string;
    }
  | { type: 'RecordFeeTotals'; causation_id: string; answer: FeeTotalsAnswer; now: string; id: string }
  | { type: 'RecordAudit'; answer: AuditAnswer; now: string; id: string }
  | { type: 'RecordAdmissionAnswer'; causation_id: string; answer: AdmissionAnswer; now: string; id: string }
  | { type: 'RecordPlatformAnswer'; answer: PlatformAnswer; now: string; id: string }
  | { type: 'RecordReversal'; reversal: ReversalAnswer; now: string; id: string }
  | { type: 'DecideConfirmation'; confirmation: ConfirmationDecision; now: string; id: string }
  | { type: 'TimeOutStep'; now: string; id: string }
  | {
      type: 'RecordLocalReversal';
      reversal: LocalReversal;
      /** reconciliation's message: what a queued reversal's results are published as caused by. */
      cause?: MessageCause;
      now: string;
      id: string;
    }
  /** The visit is free again: the first queued request is decided (the workflow's, after each decision). */
  | { type: 'TakeQueuedRequest'; now: string; id: string };
