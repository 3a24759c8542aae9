import { type AuditAnswer } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { isActive, type SagaState } from './saga.state';
import { compensateOrFail } from './compensation.decider';
import { nextAfter } from './forward-steps.decider';
import { waitForPlatform } from './waiting-for-platform.decider';
import { Timeline, type At } from './saga-timeline.decider';

/** quality's 3102 事中审核 verdict before 2303 (trig_scen 9) or 2304 (8). */
export function recordAudit(state: SagaState, answer: AuditAnswer, at: At): SagaEvent[] {
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
    return waitForPlatform(b, step, pending, `3102 事中审核 got no answer (${detail})`, at, '3102');
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
