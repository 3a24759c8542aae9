import { type Decider } from '@yb/event-store';
import { shanghaiDateTime } from '@yb/contracts';
import { type Output2303, type Output2304 } from '@yb/platform-client';
import Decimal from 'decimal.js';
import {
  type AdmissionAnswer,
  type AuditAnswer,
  type CancelRequest,
  type ConfirmationDecision,
  type FeeTotalsAnswer,
  type MessageCause,
  type PlatformAnswer,
  type Registration,
  type ReversalAnswer,
  type SagaCommand,
  type SagaSettings,
  type SettlementRequest,
} from './saga.commands';
import {
  type CompensationFailure,
  type FundShare,
  type PolicyAmounts,
  type SagaEvent,
  type SagaStep,
  type SentCommand,
  type SettlementAmounts,
  type SettlementClearing,
  type StepResult,
} from './saga.events';
import {
  evolveSaga,
  initialSagaState,
  insuredArea,
  isActive,
  isBusy,
  isRegistered,
  settlementCertificate,
  type HeldRequest,
  type PendingStep,
  type QueuedRequest,
  type Saga,
  type SagaState,
  type VisitFacts,
} from './saga.state';

/** Sends of 2303, 2304 or 2305 in one saga (each 2304/2305 after a 2601 of the previous one) before it fails. */
export const MAX_PLATFORM_ATTEMPTS = 3;
/**
 * Times a forward step's command is sent before its silence counts: the other service may be restarting or waiting
 * out the platform (a 3-minute outage outlasts one step timeout). Each is harmless twice: fee totals are read,
 * an audit is answered again, a second 2402 is refused by admission as already registered.
 */
export const MAX_STEP_ASKS = 3;
const ASKED_AGAIN: ReadonlySet<SagaStep> = new Set([
  'FEE_RECONCILIATION',
  'PRE_SETTLEMENT_AUDIT',
  'SETTLEMENT_AUDIT',
  'DISCHARGE',
]);

/**
 * How long a step no one answered waits before it is asked again: doubled per wait in a row, from the first to
 * the last (the platform away for minutes is asked about once a minute, not hammered; see README "Waiting").
 */
export const PLATFORM_WAIT_MS = { first: 5_000, most: 60_000 } as const;
/** The interface a command step's service calls, named in the timeline when it is asked again. */
const COMMAND_INFNO: Partial<Record<SagaStep, string>> = {
  PRE_SETTLEMENT_AUDIT: '3102',
  SETTLEMENT_AUDIT: '3102',
  DISCHARGE: '2402',
  DISCHARGE_UNDO: '2405',
};

/** The platform's refusal of 2303/2304 when medfee_sumamt differs from its uploaded total (which it names). */
const TOTALS_DIFFER = /已上传费用明细总额\[(-?\d+(?:\.\d+)?)\]/;
/** admission's answers to a PatientAdmitted that mean the visit will not be registered (1101, 2001, 2401). */
const REGISTRATION_INFNOS: readonly string[] = ['1101', '2001', '2401'];

/** When and with which id for a command it sends a decision is taken (from the workflow: the decider is pure). */
type At = { now: string; id: string };
type Start = At & { settings: SagaSettings; ipt_no: string };
type SucceededAnswer = Extract<PlatformAnswer, { status: 'SUCCEEDED' }>;

export function decideSaga(command: SagaCommand, state: SagaState): SagaEvent[] {
  switch (command.type) {
    case 'NoteAdmission':
      return [{ type: 'AdmissionNoted', data: stripUndefined(command.admission) }];
    case 'NoteRegistration':
      return noteRegistration(state, command.registration, command);
    case 'NoteDischarge':
      return [{ type: 'DischargeNoted', data: { discharge: command.discharge } }];
    case 'RequestSettlement':
      return requestSettlement(
        state,
        command.request,
        { ...command, ipt_no: command.request.ipt_no },
        command.cause,
      );
    case 'RequestCancel':
      return requestCancel(state, command.cancel, { ...command, ipt_no: command.ipt_no }, command.cause);
    case 'TakeQueuedRequest':
      return takeQueuedRequest(state, command);
    case 'RetrySaga':
      return retrySaga(state, command.saga_id, command.comment, command);
    case 'RecordFeeTotals':
      return recordFeeTotals(state, command.causation_id, command.answer, command);
    case 'RecordAudit':
      return recordAudit(state, command.answer, command);
    case 'RecordAdmissionAnswer':
      return recordAdmissionAnswer(state, command.causation_id, command.answer, command);
    case 'RecordPlatformAnswer':
      return recordPlatformAnswer(state, command.answer, command);
    case 'RecordReversal':
      return recordReversal(state, command.reversal, command);
    case 'TimeOutStep':
      return timeOutStep(state, command);
    case 'DecideConfirmation':
      return decideConfirmation(state, command.confirmation, command);
  }
}

// ---- starting a saga --------------------------------------------------------------------------------------

function requestSettlement(
  state: SagaState,
  request: SettlementRequest,
  start: Start,
  cause?: MessageCause,
): SagaEvent[] {
  if (isBusy(state)) {
    // The HIS sending the request in hand again (a new message, the same request, nothing asked between) is told
    // so; any other waits its turn.
    const inHand = state.held?.request ?? (isActive(state.saga) ? state.saga.request : null);
    if (inHand && state.queued.length === 0 && sameRequest(inHand, request)) {
      return [refused('SettlementRequested', `the same request is already ${busyWith(state)}`)];
    }
    return [
      queued({ kind: 'settle', request, settings: start.settings, cause: cause ?? null }, state, start),
    ];
  }
  // The HIS may ask before admission's result is read here (a restart, the platform away): wait for it, as long
  // as a step's answer is waited for over all its asks.
  // admission refused the registration already: nothing to wait for.
  if (!isRegistered(state.visit) && state.visit.registration_refused) {
    const reason = `${NOT_REGISTERED}: admission's registration was refused: ${state.visit.registration_refused}`;
    return [refused('SettlementRequested', reason)];
  }
  if (!isRegistered(state.visit)) {
    const waitMs = start.settings.step_timeout_ms * MAX_STEP_ASKS;
    const deadline = new Date(Date.parse(start.now) + waitMs).toISOString();
    const data = { request, settings: start.settings, held_at: start.now, deadline };
    return [{ type: 'SettlementRequestHeld', data: { ...data, ...(cause && { cause }) } }];
  }
  const refusal = settlementRefusal(state, request);
  if (refusal) return [refused('SettlementRequested', refusal, state.saga?.saga_id)];
  return startSettlement(state, request, start, cause?.id);
}

/** Two settlement requests are the same when they settle the same period for the same total on one invoice. */
function sameRequest(a: SettlementRequest, b: SettlementRequest): boolean {
  return a.mid_setl_flag === b.mid_setl_flag && a.medfee_sumamt === b.medfee_sumamt && a.invono === b.invono;
}

/** What keeps the visit busy, in words for the timeline and a refusal. */
function busyWith(state: SagaState): string {
  if (state.held) return `waiting for its registration (until ${state.held.deadline})`;
  const saga = state.saga!;
  return `in 结算流程 ${saga.saga_id} (${saga.status})`;
}

function queued(item: QueuedRequest, state: SagaState, at: At): SagaEvent {
  return { type: 'RequestQueued', data: { item, queued_at: at.now, behind: busyWith(state) } };
}

/** The visit is free: its first queued request is decided as if it came now (and may itself be refused). */
function takeQueuedRequest(state: SagaState, at: At): SagaEvent[] {
  const [next] = state.queued;
  if (!next || isBusy(state)) return [];
  const taken: SagaEvent = {
    type: 'QueuedRequestTaken',
    data: { taken_at: at.now, ...(next.cause && { cause: next.cause }) },
  };
  const after = evolveSaga(state, taken);
  const cause = next.cause ?? undefined;
  if (next.kind === 'settle') {
    const start = { ...at, settings: next.settings, ipt_no: next.request.ipt_no };
    return [taken, ...requestSettlement(after, next.request, start, cause)];
  }
  const start = { ...at, settings: next.settings, ipt_no: next.ipt_no };
  return [taken, ...requestCancel(after, next.cancel, start, cause)];
}

function settlementRefusal(state: SagaState, request: SettlementRequest): string | null {
  // A running saga is never here: requestSettlement queues behind it.
  const { visit, saga } = state;
  if (saga?.status === 'COMPENSATION_FAILED') {
    return `结算流程 ${saga.saga_id} 冲正失败，需人工处理: resolve it on the platform, then send RetrySettlement`;
  }
  if (saga?.status === 'APPLIED_UNREADABLE' && saga.kind === 'SETTLE') {
    return `结算流程 ${saga.saga_id} 的平台应答无法读取，平台可能已结算: a person records it from the platform first`;
  }
  const standing = state.settlements.find((s) => !s.cancelled && s.mid_setl_flag === '0');
  if (standing) {
    return `该住院已出院结算 (setl_id ${standing.setl_id}): cancel the settlement (2305) before settling again`;
  }
  if (visit.insutype === null) {
    return 'the admission (PatientAdmitted) was not received: insutype is unknown';
  }
  if (insuredArea(visit) === null) return AREA_MISSING;
  const certificateRefusal = dischargeCertificateRefusal(visit, request);
  if (certificateRefusal) return certificateRefusal;
  if (request.mid_setl_flag === '0' && visit.discharge === null && !visit.discharged) {
    return 'a discharge settlement needs the discharge (DischargeRequested) first';
  }
  return null;
}

export const AREA_MISSING =
  '参保地医保区划未知: admission registered the visit without naming the insured area (AdmissionRegistered v1) and the HIS named none; send AdmissionChanged with insuplc_admdvs, then SettlementRequested again';

/** Why the request names no certificate 2303/2304 can carry, or null. */
function dischargeCertificateRefusal(visit: VisitFacts, request: SettlementRequest): string | null {
  const presented = request.mdtrt_cert_type !== undefined || request.mdtrt_cert_no !== undefined;
  if (presented && (request.mdtrt_cert_type === undefined || request.mdtrt_cert_no === undefined)) {
    return 'the certificate presented at discharge needs both mdtrt_cert_type and mdtrt_cert_no';
  }
  if (presented) return null;
  if (!request.cert_as_admitted) {
    return 'no certificate presented at discharge (mdtrt_cert_type, mdtrt_cert_no) and cert_as_admitted is not true: 2303/2304 need the certificate the patient holds now';
  }
  if (visit.mdtrt_cert_type === '01') {
    return "the admission's certificate is an e-voucher (01), whose token does not outlive the day it was scanned: send the token presented at discharge";
  }
  if (settlementCertificate(visit, request) === null) {
    return 'cert_as_admitted is true but the admission (PatientAdmitted) was not received: its certificate is unknown';
  }
  return null;
}

function noteRegistration(state: SagaState, registration: Registration, at: At): SagaEvent[] {
  const noted: SagaEvent = { type: 'RegistrationNoted', data: stripUndefined(registration) };
  const { held } = state;
  if (!held) return [noted];
  const released = releaseOf(held, at);
  const after = [noted, released].reduce(evolveSaga, state);
  const start = { ...at, settings: held.settings, ipt_no: held.request.ipt_no };
  return [noted, released, ...requestSettlement(after, held.request, start)];
}

/** The held request refused: the registration was refused, or did not come before the deadline. */
function refuseHeld(held: HeldRequest, reason: string, at: At): SagaEvent[] {
  return [releaseOf(held, at), refused('SettlementRequested', `${NOT_REGISTERED}: ${reason}`)];
}

function releaseOf(held: HeldRequest, at: At): SagaEvent {
  return {
    type: 'HeldRequestReleased',
    data: { released_at: at.now, ...(held.cause && { cause: held.cause }) },
  };
}

export const NOT_REGISTERED = 'the visit is not registered with the platform (no AdmissionRegistered)';

function startSettlement(
  state: SagaState,
  request: SettlementRequest,
  start: Start,
  request_id: string | undefined,
  retry?: { retry_of: string; comment: string },
): SagaEvent[] {
  const saga_id = `setl-${request.ipt_no}-${state.sagaCount + 1}`;
  const started: SagaEvent = {
    type: 'SagaStarted',
    data: {
      saga_id,
      ipt_no: request.ipt_no,
      kind: 'SETTLE',
      mid_setl_flag: request.mid_setl_flag,
      request,
      ...(request_id !== undefined && { request_id }),
      ...start.settings,
      started_at: start.now,
      ...retry,
    },
  };
  return continueWith(state, [started], 'FEE_RECONCILIATION', start);
}

function requestCancel(
  state: SagaState,
  cancel: CancelRequest,
  start: Start,
  cause?: MessageCause,
): SagaEvent[] {
  // A cancel that came while the settlement it cancels was still under way waits for it to end.
  if (isBusy(state)) {
    const item = { kind: 'cancel' as const, ipt_no: start.ipt_no, cancel, settings: start.settings };
    return [queued({ ...item, cause: cause ?? null }, state, start)];
  }
  const standing = state.settlements.filter((s) => !s.cancelled);
  const settlement = cancel.setl_id
    ? standing.find((s) => s.setl_id === cancel.setl_id)
    : standing[standing.length - 1];
  if (!settlement) {
    const which = cancel.setl_id ? `settlement ${cancel.setl_id}` : 'a settlement';
    return [refused(cancel.request, `no standing ${which} of this visit to cancel (2305)`)];
  }
  if (!isRegistered(state.visit)) {
    return [refused(cancel.request, 'the visit is not registered with the platform')];
  }
  if (insuredArea(state.visit) === null) return [refused(cancel.request, AREA_MISSING)];
  return startCancel(state, { ...cancel, setl_id: settlement.setl_id }, settlement.mid_setl_flag, start);
}

function startCancel(
  state: SagaState,
  cancel: CancelRequest & { setl_id: string },
  mid_setl_flag: string,
  start: Start,
  retry?: { retry_of: string; comment: string },
): SagaEvent[] {
  const { ipt_no } = start;
  const saga_id = `setl-${ipt_no}-${state.sagaCount + 1}`;
  const started: SagaEvent = {
    type: 'SagaStarted',
    data: {
      saga_id,
      ipt_no,
      kind: 'CANCEL',
      mid_setl_flag,
      request: state.saga?.request ?? null,
      cancel,
      ...start.settings,
      started_at: start.now,
      ...retry,
    },
  };
  return continueWith(state, [started], 'SETTLEMENT_CANCEL', start);
}

function retrySaga(state: SagaState, saga_id: string, comment: string, start: Start): SagaEvent[] {
  const { saga } = state;
  if (!saga || saga.saga_id !== saga_id) {
    return [refused('RetrySettlement', `saga ${saga_id} is not the visit's latest`, saga?.saga_id)];
  }
  if (saga.status !== 'FAILED' && saga.status !== 'COMPENSATION_FAILED') {
    return [
      refused('RetrySettlement', `saga ${saga_id} is ${saga.status}: only a failed saga is retried`, saga_id),
    ];
  }
  const retry = { retry_of: saga_id, comment };
  if (saga.kind === 'CANCEL') {
    const still = state.settlements.find((s) => s.setl_id === saga.cancel!.setl_id && !s.cancelled);
    if (!still)
      return [refused('RetrySettlement', `settlement ${saga.cancel!.setl_id} is already cancelled`, saga_id)];
    return startCancel(state, saga.cancel!, saga.mid_setl_flag, start, retry);
  }
  const request = saga.request!;
  const standing = state.settlements.find((s) => !s.cancelled && s.mid_setl_flag === '0');
  if (standing) {
    return [refused('RetrySettlement', `该住院已出院结算 (setl_id ${standing.setl_id})`, saga_id)];
  }
  return startSettlement(state, request, start, saga.request_id ?? undefined, retry);
}

// ---- answers ------------------------------------------------------------------------------------------------

function recordFeeTotals(
  state: SagaState,
  causation_id: string,
  answer: FeeTotalsAnswer,
  at: At,
): SagaEvent[] {
  const saga = awaiting(state, 'FEE_RECONCILIATION', causation_id);
  if (!saga) return [];
  const b = new Timeline(saga);
  if (answer.agreed) {
    const resync = answer.resynchronised ? ', re-synchronised first' : '';
    const policy = policyAmountsOf(answer);
    b.answered('FEE_RECONCILIATION', 'SUCCEEDED', {
      detail: `HIS ${answer.his_sumamt} = platform ${answer.platform_sumamt} (${answer.line_count} lines${resync})`,
      ...(policy && { result: { kind: 'fee-totals', policy } }),
    });
    return nextAfter(b, state, 'FEE_RECONCILIATION', at);
  }
  const reason = answer.reason ?? `HIS ${answer.his_sumamt} ≠ platform ${answer.platform_sumamt}`;
  b.answered('FEE_RECONCILIATION', 'REJECTED', { detail: reason });
  return b.end('FAILED', 'FEE_RECONCILIATION', reason, true);
}

/** The four policy-range sums, when fee-detail gave all of them (an older fee-detail gives none). */
function policyAmountsOf(answer: FeeTotalsAnswer): PolicyAmounts | null {
  const { fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt } = answer;
  if (
    fulamt_ownpay_amt === undefined ||
    overlmt_selfpay === undefined ||
    preselfpay_amt === undefined ||
    inscp_scp_amt === undefined
  )
    return null;
  return { fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt };
}

function recordAudit(state: SagaState, answer: AuditAnswer, at: At): SagaEvent[] {
  const saga = state.saga;
  const step = answer.trig_scen === '9' ? 'PRE_SETTLEMENT_AUDIT' : 'SETTLEMENT_AUDIT';
  if (!isActive(saga) || saga.saga_id !== answer.saga_id || saga.pending?.step !== step) return [];
  const b = new Timeline(saga);
  const detail = [answer.outcome, answer.reason].filter(Boolean).join(': ');
  if (answer.may_proceed) {
    b.answered(step, 'SUCCEEDED', { infno: '3102', detail });
    return nextAfter(b, state, step, at);
  }
  if (answer.outcome === 'UNAVAILABLE' && answer.unanswered) {
    // quality's 3102 got no answer from the platform: not a verdict on the settlement, so asked again later.
    const pending = saga.pending!;
    b.answered(step, 'UNKNOWN', { infno: '3102', detail });
    return b.waitForPlatform(step, pending, `3102 事中审核 got no answer (${detail})`, at, '3102');
  }
  if (answer.outcome === 'BLOCKED') {
    if (saga.status === 'WAITING_FOR_PERSON') return [];
    b.waiting(
      step,
      `${detail} (blocking: ${answer.blocking_jr_ids.join(', ')}); waiting for a person to acknowledge`,
    );
    return b.events;
  }
  b.answered(step, 'REJECTED', { infno: '3102', detail });
  return compensateOrFail(b, state, step, `3102 (trig_scen ${answer.trig_scen}): ${detail}`, at);
}

function recordAdmissionAnswer(
  state: SagaState,
  causation_id: string,
  answer: AdmissionAnswer,
  at: At,
): SagaEvent[] {
  if (state.held && isRegistrationRefusal(answer)) {
    return refuseHeld(state.held, `admission's registration was refused: ${answerText(answer)}`, at);
  }
  // Kept for a settlement request that comes later (it would otherwise wait for a registration that never comes).
  if (isRegistrationRefusal(answer) && !isRegistered(state.visit)) {
    return [{ type: 'RegistrationRefusalNoted', data: { reason: answerText(answer) } }];
  }
  const noted: SagaEvent[] =
    answer.kind === 'DISCHARGED' || answer.kind === 'DISCHARGE_UNDONE'
      ? [{ type: 'DischargeStatusNoted', data: { discharged: answer.kind === 'DISCHARGED' } }]
      : [];
  const pendingStep = state.saga?.pending?.step;
  const step = pendingStep === 'DISCHARGE' || pendingStep === 'DISCHARGE_UNDO' ? pendingStep : null;
  const saga = step ? awaiting(state, step, causation_id) : null;
  if (!saga || !step) return noted;
  const after = noted.reduce(evolveSaga, state);
  const b = new Timeline(saga, noted);
  if (step === 'DISCHARGE') {
    if (
      answer.kind === 'DISCHARGED' ||
      // admission refuses a 2402 it already registered: the discharge stands.
      (answer.kind === 'REFUSED' && answer.code === 'ALREADY_DISCHARGED')
    ) {
      const msgid = answer.kind === 'DISCHARGED' ? answer.msgid : undefined;
      b.answered('DISCHARGE', 'SUCCEEDED', { infno: '2402', msgid, detail: answerText(answer) });
      return nextAfter(b, after, 'DISCHARGE', at);
    }
    const status = answer.kind === 'UNCERTAIN' ? 'UNKNOWN' : 'REJECTED';
    b.answered('DISCHARGE', status, { infno: '2402', msgid: msgidOf(answer), detail: answerText(answer) });
    const reason =
      answer.kind === 'UNCERTAIN'
        ? `2402 outcome unknown (${answer.reason}): check the discharge on the platform, undo it (2405) if it stands, then retry`
        : answerText(answer);
    return b.end('FAILED', 'DISCHARGE', reason, answer.kind === 'UNCERTAIN');
  }
  // DISCHARGE_UNDO: a compensation of a settle saga, or the second step of a cancel.
  const undone = answer.kind === 'DISCHARGE_UNDONE';
  // admission refuses a 2405 when no discharge is registered: nothing to undo.
  const nothingToUndo = answer.kind === 'REFUSED' && answer.code === 'NOT_DISCHARGED';
  if (undone || nothingToUndo) {
    const detail = undone ? '2405 出院撤销 succeeded' : `nothing to undo: ${answerText(answer)}`;
    if (saga.kind === 'CANCEL') {
      b.answered('DISCHARGE_UNDO', 'SUCCEEDED', { infno: '2405', msgid: msgidOf(answer), detail });
      return b.end('CANCELLED', 'SETTLEMENT_CANCEL', saga.cancel!.reason, false);
    }
    const failure = saga.failure!;
    b.answered('DISCHARGE_UNDO', 'SUCCEEDED', {
      infno: '2405',
      msgid: msgidOf(answer),
      detail,
      ...(undone && { result: { kind: 'discharge-undone', compensation: '2405', reason: failure.reason } }),
    });
    return b.end('FAILED', failure.step, failure.reason, false);
  }
  b.answered('DISCHARGE_UNDO', answer.kind === 'UNCERTAIN' ? 'UNKNOWN' : 'REJECTED', {
    infno: '2405',
    msgid: msgidOf(answer),
    detail: answerText(answer),
  });
  return b.compensationFailed(saga.failure?.step ?? 'SETTLEMENT_CANCEL', {
    compensation: '2405',
    msgid: msgidOf(answer),
    platform_answer: answerText(answer),
    platform_state:
      saga.kind === 'CANCEL'
        ? 'the settlement is cancelled (2305 succeeded); the discharge (2402) still stands'
        : `the discharge (2402) may still stand; settlement not applied (${saga.failure?.reason ?? ''})`,
    suggested_action: '在医保平台查询该就诊的出院状态，必要时人工办理出院撤销 (2405)，再在看板上重试',
  });
}

function recordPlatformAnswer(state: SagaState, answer: PlatformAnswer, at: At): SagaEvent[] {
  const saga = state.saga;
  const pending = saga?.pending;
  if (!isActive(saga) || pending?.kind !== 'platform' || pending.infno !== answer.infno) {
    throw new Error(
      `no ${answer.infno} is pending in this visit's saga (pending: ${saga?.pending?.step ?? 'none'})`,
    );
  }
  const b = new Timeline(saga);
  const step = pending.step;
  const { msgid, infno } = answer;
  if (answer.status === 'SUCCEEDED') {
    const result = resultOf(answer, saga, at.now);
    b.answered(step, 'SUCCEEDED', { infno, msgid, detail: successText(result), result });
    if (step === 'SETTLEMENT') return b.end('SETTLED', 'SETTLEMENT', 'settled', false);
    if (step === 'PRE_SETTLEMENT' && saga.confirmation_required && !saga.confirmed) {
      return b.awaitConfirmation(result, at);
    }
    return nextAfter(b, state, step, at);
  }
  if (answer.status === 'APPLIED_UNREADABLE') {
    // Never retried nor reversed: a 2304 the platform made stands there. A person records it from the platform
    // (the raw answer is in the journal under msgid); the saga stops here instead of losing it.
    const missing = answer.missing.join('; ');
    b.answered(step, 'APPLIED_UNREADABLE', { infno, msgid, detail: `平台已受理，应答缺少: ${missing}` });
    return b.appliedUnreadable(step, { infno, msgid, missing: answer.missing });
  }
  if (answer.status === 'REJECTED') {
    b.answered(step, 'REJECTED', { infno, msgid, detail: answer.err_msg });
    if (step === 'SETTLEMENT') return compensateOrFail(b, state, step, answer.err_msg, at);
    const drift = TOTALS_DIFFER.exec(answer.err_msg);
    if (step === 'PRE_SETTLEMENT' && drift && attemptOf(saga, 'FEE_RECONCILIATION') === 1) {
      // The platform holds another total than the HIS (差账): fee-detail re-synchronises once, then 2303 again.
      return startStep(b, state, 'FEE_RECONCILIATION', at, drift[1]);
    }
    return b.end('FAILED', step, answer.err_msg, step === 'PRE_SETTLEMENT');
  }
  b.answered(step, 'UNKNOWN', { infno, msgid, detail: answer.reason });
  if (step === 'PRE_SETTLEMENT') {
    // 2303 is a trial that changes nothing on the platform: sending it again is safe, at once a few times, then
    // after waiting (silence is not an answer: the saga never fails on it).
    if (attemptOf(saga, step) < MAX_PLATFORM_ATTEMPTS) return retryPlatformStep(b, saga, step, answer.reason);
    return b.waitForPlatform(step, pending, `2303 got no answer (${answer.reason})`, at, infno);
  }
  b.started('REVERSAL', 1, {
    infno: '2601',
    omsgid: msgid,
    oinfno: infno,
    detail: `${infno} outcome unknown (${answer.reason}): 2601 冲正 of ${msgid}`,
  });
  return b.events;
}

function recordReversal(state: SagaState, reversal: ReversalAnswer, at: At): SagaEvent[] {
  const saga = state.saga;
  const pending = saga?.pending;
  if (!isActive(saga) || pending?.kind !== 'reversal' || pending.omsgid !== reversal.omsgid) {
    throw new Error(`no 2601 of ${reversal.omsgid} is pending in this visit's saga`);
  }
  const b = new Timeline(saga);
  const step = pending.oinfno === '2304' ? 'SETTLEMENT' : 'SETTLEMENT_CANCEL';
  const base = { infno: '2601', msgid: reversal.reversal_msgid };
  const err = reversal.err_msg ?? '';
  // platform-client's one rule (reversalVerdict): only a business answer decides.
  switch (reversal.verdict) {
    case 'not-applied':
      if (reversal.status === 'REVERSED' || reversal.refusal === 'already-reversed') {
        b.answered('REVERSAL', 'SUCCEEDED', {
          ...base,
          detail: `${pending.oinfno} ${pending.omsgid} reversed${err ? ` (${err})` : ''}`,
          result: {
            kind: 'reversal',
            compensation: '2601',
            omsgid: pending.omsgid,
            oinfno: pending.oinfno,
            reason: pending.reason,
          },
        });
      } else {
        // Decided from the platform's answer: it never received the original, so nothing was applied.
        b.answered('REVERSAL', 'REJECTED', {
          ...base,
          detail: `the platform never received ${pending.omsgid} (${err}): nothing to reverse, safe to send again`,
        });
      }
      return retryPlatformStep(b, saga, step, pending.reason);
    case 'unanswered':
      b.answered('REVERSAL', 'UNKNOWN', {
        ...base,
        detail: `2601 got no answer either${err ? ` (${err})` : ''}`,
      });
      return b.waitForPlatform(
        'REVERSAL',
        pending,
        `2601 冲正 of ${pending.omsgid} got no answer`,
        at,
        '2601',
      );
    case 'needs-person':
      break;
  }
  const answer = err || '(no reason given)';
  b.answered('REVERSAL', 'REJECTED', { ...base, detail: answer });
  const settlementCall = pending.oinfno === '2304';
  return b.compensationFailed(step, {
    compensation: '2601',
    ...(reversal.reversal_msgid !== undefined && { msgid: reversal.reversal_msgid }),
    omsgid: pending.omsgid,
    oinfno: pending.oinfno,
    platform_answer: answer,
    platform_state: settlementCall
      ? `2304 ${pending.omsgid} may have been applied (${pending.reason}) and was not reversed`
      : `2305 ${pending.omsgid} may have cancelled settlement ${saga.cancel?.setl_id ?? ''} (${pending.reason}) and was not reversed`,
    suggested_action: settlementCall
      ? '在医保平台查询该就诊的结算记录 (medins_setl_id = omsgid)：已结算则撤销 (2305) 或登记该结算，确认后在看板上重试结算'
      : '在医保平台查询该结算是否已撤销，确认后在看板上重试撤销',
    ...(saga.cancel && { setl_id: saga.cancel.setl_id }),
  });
}

/**
 * A waiting saga's retry time came: the step no one answered is asked again — the same 2601, a new 2303, or
 * the command sent again to the service (a fresh id and deadline; each is harmless twice, see MAX_STEP_ASKS).
 */
function askAgain(state: SagaState, saga: Saga, at: At): SagaEvent[] {
  const b = new Timeline(saga);
  const pending = saga.pending!;
  switch (pending.kind) {
    case 'platform':
      return retryPlatformStep(b, saga, pending.step, 'no answer');
    case 'reversal': {
      const { omsgid, oinfno, reason } = pending;
      b.started('REVERSAL', attemptOf(saga, 'REVERSAL') + 1, {
        infno: '2601',
        omsgid,
        oinfno,
        detail: reason,
      });
      return b.events;
    }
    case 'command':
    case 'audit': {
      const { step, command } = pending;
      const deadline = new Date(Date.parse(at.now) + saga.step_timeout_ms).toISOString();
      const infno = COMMAND_INFNO[step];
      b.started(step, attemptOf(saga, step) + 1, {
        command: { ...command, id: at.id },
        deadline,
        detail: `${command.type} asked again (no answer before)`,
        ...(infno && { infno }),
      });
      return b.events;
    }
    case 'confirmation':
      throw new Error(
        `a confirmation is not asked again (saga ${saga.saga_id}, state ${state.saga?.status})`,
      );
  }
}

function timeOutStep(state: SagaState, at: At): SagaEvent[] {
  const { held } = state;
  if (held && held.deadline <= at.now) {
    const waitedMs = held.settings.step_timeout_ms * MAX_STEP_ASKS;
    const waited = `admission's result did not come within ${waitedMs} ms of the request; send SettlementRequested again once the visit is registered`;
    return refuseHeld(held, waited, at);
  }
  const saga = state.saga;
  const pending = saga?.pending;
  if (isActive(saga) && saga.status === 'WAITING_FOR_PLATFORM') {
    return saga.retry_at !== null && saga.retry_at <= at.now ? askAgain(state, saga, at) : [];
  }
  if (isActive(saga) && pending?.kind === 'confirmation' && pending.deadline <= at.now) {
    // Never a 2304 nobody confirmed: the saga stops, and a person sees why (SettlementFailed, needs_person).
    const b = new Timeline(saga);
    const minutes = Math.round(saga.confirmation_timeout_ms / 60_000);
    const reason = `预结算结果 ${minutes} 分钟内无人确认：未办理结算 (no 2304 sent)；请收费员核对后重新发起结算`;
    b.answered('CONFIRMATION', 'TIMED_OUT', { detail: reason });
    return b.end('FAILED', 'CONFIRMATION', reason, true);
  }
  if (!isActive(saga) || !pending || (pending.kind !== 'command' && pending.kind !== 'audit')) return [];
  if (pending.deadline === null || pending.deadline > at.now) return [];
  const b = new Timeline(saga);
  const { step } = pending;
  const reason = `no answer to ${pending.command.type} within ${saga.step_timeout_ms} ms`;
  b.answered(step, 'TIMED_OUT', { detail: reason });
  if (ASKED_AGAIN.has(step) && attemptOf(saga, step) < MAX_STEP_ASKS) return startStep(b, state, step, at);
  // Silence is not an answer: the service may be restarting or waiting out the platform itself. The saga stays
  // in the step and asks again with backoff, never failing or compensating on a missing answer.
  return b.waitForPlatform(step, pending, `no answer to ${pending.command.type}`, at, COMMAND_INFNO[step]);
}

/**
 * A cashier's decision on the split (dashboard or HIS). CONFIRM goes on to 2402/2304 — after 2303 again when
 * the cashier changed acct_used_flag, so that what is settled is what was confirmed; CANCEL stops the saga
 * before anything is applied on the platform (2303 is a trial).
 */
function decideConfirmation(state: SagaState, decision: ConfirmationDecision, at: At): SagaEvent[] {
  const saga = state.saga;
  if (!isActive(saga) || saga.pending?.kind !== 'confirmation') {
    const where = saga ? `结算流程 ${saga.saga_id} 为 ${saga.status}` : '该住院没有结算流程';
    return [refused(decision.request, `没有等待确认的预结算 (${where})`, saga?.saga_id)];
  }
  if (decision.saga_id !== undefined && decision.saga_id !== saga.saga_id) {
    return [
      refused(
        decision.request,
        `结算流程 ${decision.saga_id} 不是等待确认的流程 (${saga.saga_id})：请按最新的预结算结果确认`,
        saga.saga_id,
      ),
    ];
  }
  const b = new Timeline(saga);
  const current = saga.acct_used_flag ?? saga.request!.acct_used_flag;
  const acct_used_flag = decision.acct_used_flag ?? current;
  const result: StepResult = {
    kind: 'confirmation',
    decision: decision.decision,
    acct_used_flag,
    by: decision.by,
    request: decision.request,
  };
  const comment = decision.comment ? `: ${decision.comment}` : '';
  if (decision.decision === 'CANCEL') {
    const reason = `收费员 ${decision.by} 取消结算 (预结算后，平台未结算)${comment}`;
    b.answered('CONFIRMATION', 'REJECTED', { detail: reason, result });
    return b.end('CANCELLED', 'CONFIRMATION', reason, false);
  }
  const account = acct_used_flag === '1' ? '使用个人账户' : '不使用个人账户';
  b.answered('CONFIRMATION', 'SUCCEEDED', {
    detail: `收费员 ${decision.by} 确认预结算 (${account})${comment}`,
    result,
  });
  const after = b.events.reduce(evolveSaga, state);
  if (acct_used_flag !== current) return startStep(b, after, 'PRE_SETTLEMENT', at);
  return nextAfter(b, after, 'CONFIRMATION', at);
}

// ---- moving on ------------------------------------------------------------------------------------------------

/** The step after `done` in a settle or cancel saga, started (or the saga's end). */
function nextAfter(b: Timeline, state: SagaState, done: SagaStep, at: At): SagaEvent[] {
  const saga = b.saga;
  const audit = saga.audit_enabled;
  const discharge = saga.mid_setl_flag === '0';
  const order: Partial<Record<SagaStep, SagaStep | 'END'>> =
    saga.kind === 'SETTLE'
      ? {
          FEE_RECONCILIATION: audit ? 'PRE_SETTLEMENT_AUDIT' : 'PRE_SETTLEMENT',
          PRE_SETTLEMENT_AUDIT: 'PRE_SETTLEMENT',
          PRE_SETTLEMENT: discharge ? 'DISCHARGE' : audit ? 'SETTLEMENT_AUDIT' : 'SETTLEMENT',
          CONFIRMATION: discharge ? 'DISCHARGE' : audit ? 'SETTLEMENT_AUDIT' : 'SETTLEMENT',
          DISCHARGE: audit ? 'SETTLEMENT_AUDIT' : 'SETTLEMENT',
          SETTLEMENT_AUDIT: 'SETTLEMENT',
        }
      : {
          SETTLEMENT_CANCEL: saga.cancel!.undo_discharge && discharge ? 'DISCHARGE_UNDO' : 'END',
        };
  const next = order[done];
  if (next === undefined) throw new Error(`no step follows ${done} in a ${saga.kind} saga`);
  if (next === 'END') return b.end('CANCELLED', 'SETTLEMENT_CANCEL', saga.cancel!.reason, false);
  return startStep(b, state, next, at);
}

function continueWith(state: SagaState, prefix: SagaEvent[], step: SagaStep, at: At): SagaEvent[] {
  state = prefix.reduce(evolveSaga, state);
  const b = new Timeline(state.saga!, prefix);
  return startStep(b, state, step, at);
}

function startStep(
  b: Timeline,
  state: SagaState,
  step: SagaStep,
  at: At,
  /** The total the platform said it holds, when a 2303 refusal sends the saga back to the fees. */
  platform_sumamt?: string,
): SagaEvent[] {
  const saga = b.saga;
  // A step started again in the same saga is a new attempt: its platform call gets a new request key.
  const attempt = (saga.attempts[step] ?? 0) + 1;
  const { visit } = state;
  const ipt_no = saga.ipt_no;
  const deadline = new Date(Date.parse(at.now) + saga.step_timeout_ms).toISOString();
  const send = (type: SentCommand['type'], data: Record<string, unknown>, detail: string, infno?: string) =>
    b.started(step, attempt, {
      command: { id: at.id, type, data },
      deadline,
      detail,
      ...(infno && { infno }),
    });
  switch (step) {
    case 'FEE_RECONCILIATION': {
      const his_sumamt = saga.request!.medfee_sumamt;
      const platform = platform_sumamt === undefined ? '' : `, platform total ${platform_sumamt}`;
      // The totals of the lines charged before the cashier asked (the request's place in the HIS's order).
      const request_id = saga.request_id ?? undefined;
      send(
        'ReconcileFeeTotals',
        {
          ipt_no,
          his_sumamt,
          ...(platform_sumamt !== undefined && { platform_sumamt }),
          ...(request_id !== undefined && { request_id }),
        },
        `fee-detail: HIS total ${his_sumamt}${platform}`,
      );
      break;
    }
    case 'PRE_SETTLEMENT_AUDIT':
    case 'SETTLEMENT_AUDIT': {
      const trig_scen = step === 'PRE_SETTLEMENT_AUDIT' ? '9' : '8';
      const data = { ipt_no, mdtrt_id: visit.mdtrt_id, trig_scen, saga_id: saga.saga_id };
      send('AuditSettlement', data, `quality: 3102 事中审核 trig_scen ${trig_scen}`, '3102');
      break;
    }
    case 'DISCHARGE':
      if (visit.discharged) {
        b.started('DISCHARGE', attempt, { infno: '2402', detail: 'admission: 2402 出院办理' });
        b.answered('DISCHARGE', 'SUCCEEDED', {
          infno: '2402',
          detail: 'the discharge (2402) is already registered',
        });
        return nextAfter(b, state, 'DISCHARGE', at);
      }
      send('DischargePatient', { ...visit.discharge! }, 'admission: 2402 出院办理', '2402');
      break;
    case 'PRE_SETTLEMENT':
      b.started(step, attempt, { infno: '2303', detail: '2303 住院预结算' });
      break;
    case 'SETTLEMENT':
      b.started(step, attempt, { infno: '2304', detail: '2304 住院结算' });
      break;
    case 'SETTLEMENT_CANCEL':
      b.started(step, attempt, { infno: '2305', detail: `2305 住院结算撤销 of ${saga.cancel!.setl_id}` });
      break;
    case 'DISCHARGE_UNDO':
      send('UndoDischarge', { ipt_no, reason: saga.cancel!.reason }, 'admission: 2405 出院撤销', '2405');
      break;
    case 'REVERSAL':
      throw new Error('2601 is started by an unknown outcome, not as a forward step');
  }
  return b.events;
}

function retryPlatformStep(
  b: Timeline,
  saga: Saga,
  step: 'PRE_SETTLEMENT' | 'SETTLEMENT' | 'SETTLEMENT_CANCEL',
  why: string,
): SagaEvent[] {
  const infno = step === 'PRE_SETTLEMENT' ? '2303' : step === 'SETTLEMENT' ? '2304' : '2305';
  const attempt = attemptOf(saga, step) + 1;
  b.started(step, attempt, { infno, detail: `${infno} sent again with a new msgid (previous: ${why})` });
  return b.events;
}

/**
 * A settlement step failed after the discharge was registered: a discharge settlement undoes the discharge
 * (2405) before the saga fails, so that the visit can be settled again; a mid-way settlement just fails.
 */
function compensateOrFail(
  b: Timeline,
  state: SagaState,
  step: SagaStep,
  reason: string,
  at: At,
): SagaEvent[] {
  const saga = b.saga;
  if (saga.mid_setl_flag === '0' && state.visit.discharged && (saga.attempts.DISCHARGE ?? 0) > 0) {
    return undoDischarge(b, saga, step, reason, at);
  }
  return b.end('FAILED', step, reason, false);
}

function undoDischarge(b: Timeline, saga: Saga, step: SagaStep, reason: string, at: At): SagaEvent[] {
  const deadline = new Date(Date.parse(at.now) + saga.step_timeout_ms).toISOString();
  b.started('DISCHARGE_UNDO', 1, {
    infno: '2405',
    command: {
      id: at.id,
      type: 'UndoDischarge',
      data: { ipt_no: saga.ipt_no, reason: clip(`${reason}`, 500) },
    },
    deadline,
    compensating: { step, reason },
    detail: `admission: 2405 出院撤销 (compensating ${step}: ${reason})`,
  });
  return b.events;
}

// ---- helpers ----------------------------------------------------------------------------------------------------

/** Builds a decision's events, numbering the timeline entries after the saga's last one. */
class Timeline {
  readonly events: SagaEvent[];
  private seq: number;

  constructor(
    readonly saga: Saga,
    prefix: SagaEvent[] = [],
  ) {
    this.events = [...prefix];
    this.seq = saga.seq;
  }

  started(
    step: SagaStep,
    attempt: number,
    extra: Partial<Extract<SagaEvent, { type: 'StepStarted' }>['data']> & { detail: string },
  ): void {
    const { detail, ...rest } = extra;
    this.push({
      type: 'StepStarted',
      data: { ...this.entry(step, attempt, detail), retrying: attempt > 1, ...stripUndefined(rest) },
    });
  }

  answered(
    step: SagaStep,
    status: 'SUCCEEDED' | 'APPLIED_UNREADABLE' | 'REJECTED' | 'UNKNOWN' | 'TIMED_OUT',
    extra: { infno?: string; msgid?: string; detail: string; result?: StepResult },
  ): void {
    const { detail, ...rest } = extra;
    const attempt = this.currentAttempt(step);
    this.push({
      type: 'StepAnswered',
      data: { ...this.entry(step, attempt, detail), status, ...stripUndefined(rest) },
    });
  }

  waiting(step: SagaStep, detail: string): void {
    this.push({
      type: 'SagaWaiting',
      data: { ...this.entry(step, this.currentAttempt(step), detail), infno: '3102' },
    });
  }

  /** The step got no answer: the saga waits in it, and asks `pending` again after a backoff. */
  waitForPlatform(step: SagaStep, pending: PendingStep, why: string, at: At, infno?: string): SagaEvent[] {
    const waits = this.saga.waits + 1;
    const delayMs = Math.min(PLATFORM_WAIT_MS.most, PLATFORM_WAIT_MS.first * 2 ** (waits - 1));
    const retry_at = new Date(Date.parse(at.now) + delayMs).toISOString();
    const detail = `${why}: 等待医保平台应答，${Math.round(delayMs / 1000)} 秒后重试 (wait ${waits})`;
    this.push({
      type: 'SagaWaitingForPlatform',
      data: {
        ...this.entry(step, this.currentAttempt(step), detail),
        ...(infno && { infno }),
        retry_at,
        waits,
        pending,
      },
    });
    return this.events;
  }

  /** The split of `result` (2303's) waits for a person until the confirmation deadline. */
  awaitConfirmation(result: StepResult, at: At): SagaEvent[] {
    const deadline = new Date(Date.parse(at.now) + this.saga.confirmation_timeout_ms).toISOString();
    const split = result.kind === 'pre-settlement' ? splitText(result.amounts) : '';
    this.push({
      type: 'ConfirmationRequested',
      data: { ...this.entry('CONFIRMATION', 1, `等待收费员确认预结算: ${split}`), deadline },
    });
    return this.events;
  }

  end(
    state: 'SETTLED' | 'FAILED' | 'CANCELLED',
    step: SagaStep,
    reason: string,
    needs_person: boolean,
  ): SagaEvent[] {
    this.events.push({
      type: 'SagaEnded',
      data: { saga_id: this.saga.saga_id, state, step, reason: clip(reason, 4000), needs_person },
    });
    return this.events;
  }

  appliedUnreadable(
    step: SagaStep,
    unreadable: { infno: string; msgid: string; missing: string[] },
  ): SagaEvent[] {
    const reason = `${unreadable.infno} applied by the platform (msgid ${unreadable.msgid}), answer lacks: ${unreadable.missing.join('; ')}`;
    this.events.push({
      type: 'SagaEnded',
      data: {
        saga_id: this.saga.saga_id,
        state: 'APPLIED_UNREADABLE',
        step,
        reason: clip(reason, 4000),
        needs_person: true,
        unreadable,
      },
    });
    return this.events;
  }

  compensationFailed(step: SagaStep, failure: CompensationFailure): SagaEvent[] {
    this.events.push({
      type: 'SagaEnded',
      data: {
        saga_id: this.saga.saga_id,
        state: 'COMPENSATION_FAILED',
        step,
        reason: clip(`${failure.compensation} failed: ${failure.platform_answer}`, 4000),
        needs_person: true,
        compensation_failure: stripUndefined(failure),
      },
    });
    return this.events;
  }

  private entry(step: SagaStep, attempt: number, detail: string) {
    this.seq += 1;
    return { saga_id: this.saga.saga_id, seq: this.seq, step, attempt, detail: clip(detail, 4000) };
  }

  private currentAttempt(step: SagaStep): number {
    const started = [...this.events]
      .reverse()
      .find((e) => e.type === 'StepStarted' && e.data.step === step) as
      Extract<SagaEvent, { type: 'StepStarted' }> | undefined;
    return started?.data.attempt ?? this.saga.attempts[step] ?? 1;
  }

  private push(event: SagaEvent): void {
    this.events.push(event);
  }
}

function awaiting(state: SagaState, step: SagaStep, causation_id: string): Saga | null {
  const saga = state.saga;
  if (!isActive(saga)) return null;
  const pending = saga.pending;
  if (!pending || (pending.kind !== 'command' && pending.kind !== 'audit')) return null;
  return pending.step === step && pending.command.id === causation_id ? saga : null;
}

function attemptOf(saga: Saga, step: SagaStep): number {
  return saga.attempts[step] ?? 1;
}

function refused(request: string, reason: string, saga_id?: string): SagaEvent {
  return { type: 'RequestRefused', data: { request, reason, ...(saga_id !== undefined && { saga_id }) } };
}

function isRegistrationRefusal(answer: AdmissionAnswer): boolean {
  return (
    (answer.kind === 'REJECTED' || answer.kind === 'REFUSED') && REGISTRATION_INFNOS.includes(answer.infno)
  );
}

function msgidOf(answer: AdmissionAnswer): string | undefined {
  return 'msgid' in answer ? answer.msgid : undefined;
}

function answerText(answer: AdmissionAnswer): string {
  switch (answer.kind) {
    case 'DISCHARGED':
      return '2402 出院办理 succeeded';
    case 'DISCHARGE_UNDONE':
      return '2405 出院撤销 succeeded';
    case 'REJECTED':
      return `${answer.infno} refused by the platform: ${answer.err_msg}`;
    case 'REFUSED':
      return `${answer.infno} refused by admission: ${answer.reason}`;
    case 'UNCERTAIN':
      return `${answer.infno} outcome unknown: ${answer.reason}`;
  }
}

const money = (value: string | undefined): string => new Decimal(value ?? 0).toFixed(2);

/** The amounts of a 2303 or 2304 answer (2304's adds its setl_id, which the caller reads). */
function amountsOf({ setlinfo, setldetail }: Output2303): SettlementAmounts {
  const fund_shares: FundShare[] = (setldetail ?? []).map((f) => ({
    fund_pay_type: f.fund_pay_type,
    ...(f.fund_pay_type_name !== undefined && { fund_pay_type_name: f.fund_pay_type_name }),
    inscp_scp_amt: money(f.inscp_scp_amt),
    fund_payamt: money(f.fund_payamt),
  }));
  return {
    medfee_sumamt: money(setlinfo.medfee_sumamt),
    fulamt_ownpay_amt: money(setlinfo.fulamt_ownpay_amt),
    overlmt_selfpay: money(setlinfo.overlmt_selfpay),
    preselfpay_amt: money(setlinfo.preselfpay_amt),
    inscp_scp_amt: money(setlinfo.inscp_scp_amt),
    hifp_pay: money(setlinfo.hifp_pay),
    fund_pay_sumamt: money(setlinfo.fund_pay_sumamt),
    acct_pay: money(setlinfo.acct_pay),
    psn_cash_pay: money(setlinfo.psn_cash_pay),
    ...(setlinfo.hosp_part_amt !== undefined && { hosp_part_amt: money(setlinfo.hosp_part_amt) }),
    fund_shares,
  };
}

const given = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value !== '';

/** Who clears the settlement (2304's clr_* fields) and whose it is: what reconciliation groups it by. */
function clearingOf(setlinfo: Output2304['setlinfo']): SettlementClearing {
  const fields = ['psn_no', 'insutype', 'clr_type', 'clr_way', 'clr_optins'] as const;
  return Object.fromEntries(
    fields.flatMap((field) => {
      const value = setlinfo[field];
      return given(value) ? [[field, value]] : [];
    }),
  );
}

function resultOf(answer: SucceededAnswer, saga: Saga, now: string): StepResult {
  switch (answer.infno) {
    case '2303':
      return { kind: 'pre-settlement', amounts: amountsOf(answer.output) };
    case '2304': {
      const { setlinfo } = answer.output;
      return {
        kind: 'settlement',
        settlement: {
          ...amountsOf(answer.output),
          setl_id: setlinfo.setl_id,
          // A settlement the platform applied must be recorded even if its answer lacks the time.
          setl_time: setlinfo.setl_time ? setlinfo.setl_time : shanghaiDateTime(new Date(now)),
          medins_setl_id: setlinfo.medins_setl_id ?? answer.msgid,
          ...clearingOf(setlinfo),
        },
      };
    }
    case '2305': {
      const { setlinfo } = answer.output;
      return {
        kind: 'cancellation',
        cancellation: {
          setl_id: setlinfo.setl_id,
          init_setl_id: saga.cancel!.setl_id,
          medfee_sumamt: money(setlinfo.medfee_sumamt),
          fund_pay_sumamt: money(setlinfo.fund_pay_sumamt),
          acct_pay: money(setlinfo.acct_pay),
          psn_cash_pay: money(setlinfo.psn_cash_pay),
          ...(given(setlinfo.setl_time) && { setl_time: setlinfo.setl_time }),
        },
      };
    }
  }
}

function successText(result: StepResult): string {
  switch (result.kind) {
    case 'pre-settlement':
      return `pre-settled: total ${result.amounts.medfee_sumamt}, funds ${result.amounts.fund_pay_sumamt}, cash ${result.amounts.psn_cash_pay}`;
    case 'settlement':
      return `settled ${result.settlement.setl_id}: total ${result.settlement.medfee_sumamt}, funds ${result.settlement.fund_pay_sumamt}`;
    case 'cancellation':
      return `settlement ${result.cancellation.init_setl_id} cancelled by ${result.cancellation.setl_id}`;
    default:
      return result.kind;
  }
}

/** The split a cashier confirms: funds, personal account, cash, the hospital's part. */
function splitText(a: SettlementAmounts): string {
  const hospital = a.hosp_part_amt ?? '0.00';
  return `总额 ${a.medfee_sumamt}，基金 ${a.fund_pay_sumamt}，个人账户 ${a.acct_pay}，现金 ${a.psn_cash_pay}，医院负担 ${hospital}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export const sagaDecider: Decider<SagaCommand, SagaEvent, SagaState> = {
  decide: decideSaga,
  evolve: evolveSaga,
  initialState: () => initialSagaState,
};
