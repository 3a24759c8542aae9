import { type SagaEvent } from './saga.events';
import { stands, type SagaState } from './saga.state';
import { startCancel } from './settlement-cancel.decider';
import { startSettlement } from './settlement-request.decider';
import { refused, type Start } from './saga-timeline.decider';

/** A person resolved a failed saga: it starts again as a new saga (retry_of), unless there is nothing to redo. */
export function retrySaga(state: SagaState, saga_id: string, comment: string, start: Start): SagaEvent[] {
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
    const still = state.settlements.find((s) => s.setl_id === saga.cancel!.setl_id && stands(s));
    if (!still)
      return [refused('RetrySettlement', `settlement ${saga.cancel!.setl_id} is already cancelled`, saga_id)];
    return startCancel(state, saga.cancel!, saga.mid_setl_flag, start, retry);
  }
  const request = saga.request!;
  const standing = state.settlements.find((s) => stands(s) && s.mid_setl_flag === '0');
  if (standing) {
    return [refused('RetrySettlement', `该住院已出院结算 (setl_id ${standing.setl_id})`, saga_id)];
  }
  return startSettlement(state, request, start, saga.request_id ?? undefined, retry);
}
