import { type SagaEvent, type SagaStep } from './saga.events';
import { type Saga, type SagaState } from './saga.state';
import { clip, type At, type Timeline } from './saga-timeline.decider';

/**
 * A settlement step failed after the discharge was registered: a discharge settlement undoes the discharge
 * (2405) before the saga fails, so that the visit can be settled again; a mid-way settlement just fails.
 */
export function compensateOrFail(
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
