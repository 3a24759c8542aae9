import { type SettlementRequest } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { type QueuedRequest, type SagaState } from './saga.state';
import { type At } from './saga-timeline.decider';

// A cashier's request that comes while the visit is busy (a saga running, a request held for the registration)
// waits its turn in the queue (next-request.decider.ts takes it when the visit is free).

/** What keeps the visit busy, in words for the timeline and a refusal. */
export function busyWith(state: SagaState): string {
  if (state.held) return `waiting for its registration (until ${state.held.deadline})`;
  const saga = state.saga!;
  return `in 结算流程 ${saga.saga_id} (${saga.status})`;
}

export function queued(item: QueuedRequest, state: SagaState, at: At): SagaEvent {
  return { type: 'RequestQueued', data: { item, queued_at: at.now, behind: busyWith(state) } };
}

/** Two settlement requests are the same when they settle the same period for the same total on one invoice. */
export function sameRequest(a: SettlementRequest, b: SettlementRequest): boolean {
  return a.mid_setl_flag === b.mid_setl_flag && a.medfee_sumamt === b.medfee_sumamt && a.invono === b.invono;
}
