import { type SagaEvent } from './saga.events';
import { evolveSaga, isBusy, type SagaState } from './saga.state';
import { recordLocalReversal } from './local-reversal.decider';
import { requestCancel } from './settlement-cancel.decider';
import { requestSettlement } from './settlement-request.decider';
import { type At } from './saga-timeline.decider';

/** The visit is free: its first queued request is decided as if it came now (and may itself be refused). */
export function takeQueuedRequest(state: SagaState, at: At): SagaEvent[] {
  const [next] = state.queued;
  if (!next || isBusy(state)) return [];
  const taken: SagaEvent = {
    type: 'QueuedRequestTaken',
    data: { taken_at: at.now, ...(next.cause && { cause: next.cause }) },
  };
  const after = evolveSaga(state, taken);
  const cause = next.cause ?? undefined;
  if (next.kind === 'reverse') return [taken, ...recordLocalReversal(after, next.reversal, at, cause)];
  if (next.kind === 'settle') {
    const start = { ...at, settings: next.settings, ipt_no: next.request.ipt_no };
    return [taken, ...requestSettlement(after, next.request, start, cause)];
  }
  const start = { ...at, settings: next.settings, ipt_no: next.ipt_no };
  return [taken, ...requestCancel(after, next.cancel, start, cause)];
}
