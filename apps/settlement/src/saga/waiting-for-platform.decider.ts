import { type SagaEvent, type SagaStep } from './saga.events';
import { type PendingStep, type Saga, type SagaState } from './saga.state';
import { retryPlatformStep, startStep } from './forward-steps.decider';
import { attemptOf, Timeline, type At } from './saga-timeline.decider';

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

/** The step got no answer: the saga waits in it, and asks `pending` again after a backoff. */
export function waitForPlatform(
  b: Timeline,
  step: SagaStep,
  pending: PendingStep,
  why: string,
  at: At,
  infno?: string,
): SagaEvent[] {
  const waits = b.saga.waits + 1;
  const delayMs = Math.min(PLATFORM_WAIT_MS.most, PLATFORM_WAIT_MS.first * 2 ** (waits - 1));
  const retry_at = new Date(Date.parse(at.now) + delayMs).toISOString();
  const detail = `${why}: 等待医保平台应答，${Math.round(delayMs / 1000)} 秒后重试 (wait ${waits})`;
  b.waitingForPlatform(step, detail, { infno, retry_at, waits, pending });
  return b.events;
}

/**
 * A waiting saga's retry time came: the step no one answered is asked again — the same 2601, a new 2303, or
 * the command sent again to the service (a fresh id and deadline; each is harmless twice, see MAX_STEP_ASKS).
 */
export function askAgain(state: SagaState, saga: Saga, at: At): SagaEvent[] {
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

/** A command step's deadline passed unanswered: asked again up to MAX_STEP_ASKS times, then waited out. */
export function stepTimedOut(state: SagaState, saga: Saga, at: At): SagaEvent[] {
  const pending = saga.pending;
  if (!pending || (pending.kind !== 'command' && pending.kind !== 'audit')) return [];
  if (pending.deadline === null || pending.deadline > at.now) return [];
  const b = new Timeline(saga);
  const { step } = pending;
  const reason = `no answer to ${pending.command.type} within ${saga.step_timeout_ms} ms`;
  b.answered(step, 'TIMED_OUT', { detail: reason });
  if (ASKED_AGAIN.has(step) && attemptOf(saga, step) < MAX_STEP_ASKS) return startStep(b, state, step, at);
  // Silence is not an answer: the service may be restarting or waiting out the platform itself. The saga stays
  // in the step and asks again with backoff, never failing or compensating on a missing answer.
  return waitForPlatform(b, step, pending, `no answer to ${pending.command.type}`, at, COMMAND_INFNO[step]);
}
