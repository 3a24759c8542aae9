import { SETTLEMENT_SAGA_STATES } from '@yb/contracts';
import { type SagaStateCounts } from '@yb/service-runtime';
import { type SagaStatus } from './saga.events';
import { type SagaState } from './saga.state';

export interface IndexedSaga {
  readonly saga_id: string;
  readonly status: SagaStatus;
  /** The step deadline the sweeper watches, when the saga waits for another service. */
  readonly deadline: string | null;
  /** The saga owes a platform call (2303/2304/2305/2601): resumed at start. */
  readonly owesPlatformCall: boolean;
  /** When this process last saw the saga change (ms since epoch). */
  readonly seenAt: number;
}

/**
 * Where each visit's latest saga stands, kept in memory from the events this process wrote or read, and
 * rebuilt from the event store at start (the events are the truth: deadlines live in them). The sweeper reads
 * due deadlines here; yb_sagas_by_state{saga="settlement"} counts it at each scrape (the latest saga of each
 * visit; the module registers countByState with the service's metrics).
 */
export class SagaIndex {
  private readonly sagas = new Map<string, IndexedSaga>();

  update(ipt_no: string, state: SagaState): void {
    const saga = state.saga;
    if (!saga) return;
    const pending = saga.pending;
    this.sagas.set(ipt_no, {
      saga_id: saga.saga_id,
      status: saga.status,
      deadline: pending && 'deadline' in pending ? pending.deadline : null,
      owesPlatformCall: pending?.kind === 'platform' || pending?.kind === 'reversal',
      seenAt: Date.now(),
    });
  }

  /** The latest saga of each visit, counted by state (every state listed, 0 included). */
  countByState(): SagaStateCounts {
    const counts: Record<string, number> = Object.fromEntries(SETTLEMENT_SAGA_STATES.map((s) => [s, 0]));
    for (const saga of this.sagas.values()) counts[saga.status] = (counts[saga.status] ?? 0) + 1;
    return counts;
  }

  /** Visits whose saga waits for an answer past its deadline. */
  due(now: string): string[] {
    return [...this.sagas.entries()]
      .filter(([, s]) => s.status === 'RUNNING' && s.deadline !== null && s.deadline <= now)
      .map(([ipt_no]) => ipt_no);
  }

  /** Visits whose saga has owed a platform call for `staleMs` (its driver failed or stopped): to resume. */
  stalled(staleMs: number): string[] {
    const before = Date.now() - staleMs;
    return [...this.sagas.entries()]
      .filter(([, s]) => s.status === 'RUNNING' && s.owesPlatformCall && s.seenAt < before)
      .map(([ipt_no]) => ipt_no);
  }

  get(ipt_no: string): IndexedSaga | undefined {
    return this.sagas.get(ipt_no);
  }
}
