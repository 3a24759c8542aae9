import { type MessageCause, type SettlementRequest } from './saga.commands';
import { type SagaEvent } from './saga.events';
import {
  insuredArea,
  isActive,
  isBusy,
  isRegistered,
  settlementCertificate,
  stands,
  type SagaState,
  type VisitFacts,
} from './saga.state';
import { busyWith, queued, sameRequest } from './request-queue.decider';
import { continueWith } from './forward-steps.decider';
import { MAX_STEP_ASKS } from './waiting-for-platform.decider';
import { refused, type Start } from './saga-timeline.decider';

/** A cashier asks to settle: queued behind a busy visit, held for the registration, refused, or started. */
export function requestSettlement(
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

function settlementRefusal(state: SagaState, request: SettlementRequest): string | null {
  // A running saga is never here: requestSettlement queues behind it.
  const { visit, saga } = state;
  if (saga?.status === 'COMPENSATION_FAILED') {
    return `结算流程 ${saga.saga_id} 冲正失败，需人工处理: resolve it on the platform, then send RetrySettlement`;
  }
  if (saga?.status === 'APPLIED_UNREADABLE' && saga.kind === 'SETTLE') {
    return `结算流程 ${saga.saga_id} 的平台应答无法读取，平台可能已结算: a person records it from the platform first`;
  }
  const standing = state.settlements.find((s) => stands(s) && s.mid_setl_flag === '0');
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

export const NOT_REGISTERED = 'the visit is not registered with the platform (no AdmissionRegistered)';

export function startSettlement(
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
