import { type SagaSettings } from './saga.commands';
import { type CompensationFailure, type SagaEvent, type SagaStep, type StepResult } from './saga.events';
import { isActive, type PendingStep, type Saga, type SagaState } from './saga.state';

/** When and with which id for a command it sends a decision is taken (from the workflow: the decider is pure). */
export type At = { now: string; id: string };

export type Start = At & { settings: SagaSettings; ipt_no: string };

/** Builds a decision's events, numbering the timeline entries after the saga's last one. */
export class Timeline {
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

  /** The step got no answer: the saga waits in it until `retry_at` (see waitForPlatform). */
  waitingForPlatform(
    step: SagaStep,
    detail: string,
    wait: { infno?: string; retry_at: string; waits: number; pending: PendingStep },
  ): void {
    const { infno, ...rest } = wait;
    this.push({
      type: 'SagaWaitingForPlatform',
      data: { ...this.entry(step, this.currentAttempt(step), detail), ...(infno && { infno }), ...rest },
    });
  }

  /** A person is asked to confirm 2303's split until `deadline`. */
  confirmationRequested(detail: string, deadline: string): void {
    this.push({
      type: 'ConfirmationRequested',
      data: { ...this.entry('CONFIRMATION', 1, detail), deadline },
    });
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

export function awaiting(state: SagaState, step: SagaStep, causation_id: string): Saga | null {
  const saga = state.saga;
  if (!isActive(saga)) return null;
  const pending = saga.pending;
  if (!pending || (pending.kind !== 'command' && pending.kind !== 'audit')) return null;
  return pending.step === step && pending.command.id === causation_id ? saga : null;
}

export function attemptOf(saga: Saga, step: SagaStep): number {
  return saga.attempts[step] ?? 1;
}

export function refused(request: string, reason: string, saga_id?: string): SagaEvent {
  return { type: 'RequestRefused', data: { request, reason, ...(saga_id !== undefined && { saga_id }) } };
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
