import { SETTLEMENT_SAGA_STATES } from '@yb/contracts';
import { type SagaStateCounts } from '@yb/service-runtime';
import { type SagaStatus } from './saga.events';
import { isBusy, type SagaState } from './saga.state';

export interface IndexedSaga {
  /** null while no saga has started: a request is held for the registration, or queued. */
  readonly saga_id: string | null;
  readonly status: SagaStatus | null;
  /** The deadline the sweeper watches: a step's, a held request's (see `held`), or a waiting saga's retry time. */
  readonly deadline: string | null;
  /** The saga owes a platform call (2303/2304/2305/2601): resumed at start. */
  readonly owesPlatformCall: boolean;
  /** A settlement request waits for the visit's registration (SettlementRequestHeld) until `deadline`. */
  readonly held: boolean;
  /**
   * A request waits in the visit's queue while the visit is free: the process stopped between the saga's end
   * and TakeQueuedRequest. Resumed at start, and by the sweep once stalled.
   */
  readonly queuedAndFree: boolean;
  /** When this process last saw the saga change (ms since epoch). */
  readonly seenAt: number;
}

/**
 * The states in which a visit's latest saga is done: nothing is due and no person has to act. A visit whose saga
 * ends so, with no request held or queued, leaves the index (a hospital settles every visit: kept, they would
 * grow the index, each sweep and each scrape for the life of the process). Its next event brings it back.
 */
const CLOSED_STATES: ReadonlySet<SagaStatus> = new Set(['SETTLED', 'CANCELLED', 'REVERSED_LOCALLY']);

/** The states the index holds a visit in, and counts: active, or ended in a way a person has to act on. */
export const OPEN_SAGA_STATES = SETTLEMENT_SAGA_STATES.filter((s) => !CLOSED_STATES.has(s));

/**
 * Where each visit's open saga stands (a saga running or waiting, a request held for the visit's registration,
 * or a saga ended in a state a person acts on: FAILED, COMPENSATION_FAILED, APPLIED_UNREADABLE), kept in memory
 * from the events this process wrote or read, and rebuilt from the event store at start (the events are the
 * truth: deadlines live in them). The sweeper reads due deadlines here; yb_sagas_by_state{saga="settlement"}
 * counts it at each scrape (the module registers countByState with the service's metrics).
 */
export class SagaIndex {
  private readonly sagas = new Map<string, IndexedSaga>();

  update(ipt_no: string, state: SagaState): void {
    const { saga, held, queued } = state;
    // No saga yet, or one closed: a visit whose held request was refused leaves too (kept, it stayed due).
    if ((!saga || CLOSED_STATES.has(saga.status)) && !held && queued.length === 0) {
      this.sagas.delete(ipt_no);
      return;
    }
    const pending = saga?.pending;
    this.sagas.set(ipt_no, {
      saga_id: saga?.saga_id ?? null,
      status: saga?.status ?? null,
      deadline: held
        ? held.deadline
        : saga?.status === 'WAITING_FOR_PLATFORM'
          ? saga.retry_at
          : pending && 'deadline' in pending
            ? pending.deadline
            : null,
      owesPlatformCall:
        saga?.status !== 'WAITING_FOR_PLATFORM' &&
        (pending?.kind === 'platform' || pending?.kind === 'reversal'),
      held: held !== null,
      queuedAndFree: queued.length > 0 && !isBusy(state),
      seenAt: Date.now(),
    });
  }

  /** The open sagas, counted by state (every open state listed, 0 included; the closed ones are not held). */
  countByState(): SagaStateCounts {
    const counts: Record<string, number> = Object.fromEntries(OPEN_SAGA_STATES.map((s) => [s, 0]));
    for (const { status } of this.sagas.values())
      if (status !== null && !CLOSED_STATES.has(status)) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }

  /**
   * Visits whose saga waits for an answer or a cashier's confirmation, or whose request waits for its
   * registration, past the deadline; or whose saga waits out the platform, past its retry time.
   */
  due(now: string): string[] {
    return [...this.sagas.entries()]
      .filter(
        ([, s]) =>
          (s.held ||
            s.status === 'RUNNING' ||
            s.status === 'AWAITING_CONFIRMATION' ||
            s.status === 'WAITING_FOR_PLATFORM') &&
          s.deadline !== null &&
          s.deadline <= now,
      )
      .map(([ipt_no]) => ipt_no);
  }

  /**
   * Visits whose saga has owed a platform call, or whose queued request has waited on a free visit, for `staleMs`
   * (its driver failed or stopped): to resume.
   */
  stalled(staleMs: number): string[] {
    const before = Date.now() - staleMs;
    return [...this.sagas.entries()]
      .filter(
        ([, s]) => s.seenAt < before && ((s.status === 'RUNNING' && s.owesPlatformCall) || s.queuedAndFree),
      )
      .map(([ipt_no]) => ipt_no);
  }

  /** What a start resumes: the saga owes a platform call, or a queued request waits on a free visit. */
  owesDriving(ipt_no: string): boolean {
    const indexed = this.sagas.get(ipt_no);
    return indexed !== undefined && (indexed.owesPlatformCall || indexed.queuedAndFree);
  }

  /** The visits held: those whose saga is open. */
  visits(): string[] {
    return [...this.sagas.keys()];
  }

  get(ipt_no: string): IndexedSaga | undefined {
    return this.sagas.get(ipt_no);
  }
}
