import { type CancelRequest, type MessageCause } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { insuredArea, isBusy, isRegistered, stands, type SagaState } from './saga.state';
import { queued } from './request-queue.decider';
import { continueWith } from './forward-steps.decider';
import { AREA_MISSING } from './settlement-request.decider';
import { refused, type Start } from './saga-timeline.decider';

/** A cashier asks to cancel a standing settlement (2305, then 2405 when it undoes the discharge). */
export function requestCancel(
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
  const standing = state.settlements.filter(stands);
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

export function startCancel(
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
