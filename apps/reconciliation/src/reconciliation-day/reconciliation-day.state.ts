import { groupKey } from '../settlement-ledger/ledger-row';
import { type Difference, type ReconciliationDayEvent } from './reconciliation-day.events';

type GroupChecked = Extract<ReconciliationDayEvent, { type: 'GroupChecked' }>['data'];

export interface OpenDifference extends Difference {
  readonly run: number;
  readonly resolved_by?: string;
}

export interface ReconciliationDayState {
  /** The latest run (0: never reconciled). */
  readonly run: number;
  readonly running: boolean;
  /** The latest run's 3201 answers, by group key. */
  readonly groups: ReadonlyMap<string, GroupChecked>;
  /** The latest run's 3202 comparisons, by pair key (clr_type/setl_optins). */
  readonly compared: ReadonlySet<string>;
  /** Steps the platform refused in the latest run, by subject. */
  readonly refused: ReadonlyMap<string, string>;
  /** Every difference found on this day, the latest finding of each setl_id. */
  readonly differences: ReadonlyMap<string, OpenDifference>;
}

export const pairKey = (p: { clr_type: string; setl_optins: string }): string =>
  `${p.clr_type}/${p.setl_optins}`;

export const initialDayState = (): ReconciliationDayState => ({
  run: 0,
  running: false,
  groups: new Map(),
  compared: new Set(),
  refused: new Map(),
  differences: new Map(),
});

export function evolveDay(
  state: ReconciliationDayState,
  event: ReconciliationDayEvent,
): ReconciliationDayState {
  switch (event.type) {
    case 'ReconciliationRequested':
      return {
        ...state,
        run: event.data.run,
        running: true,
        groups: new Map(),
        compared: new Set(),
        refused: new Map(),
      };
    case 'GroupChecked':
      return { ...state, groups: new Map(state.groups).set(groupKey(event.data), event.data) };
    case 'DetailsCompared':
      return { ...state, compared: new Set(state.compared).add(pairKey(event.data)) };
    case 'DifferenceFound':
      return { ...state, differences: new Map(state.differences).set(event.data.setl_id, event.data) };
    case 'DifferenceResolved': {
      const found = state.differences.get(event.data.setl_id);
      if (!found) return state;
      const resolved = { ...found, resolved_by: event.data.resolved_by };
      return { ...state, differences: new Map(state.differences).set(event.data.setl_id, resolved) };
    }
    case 'StepRefused':
      return { ...state, refused: new Map(state.refused).set(event.data.subject, event.data.reason) };
    case 'ReconciliationCompleted':
      return { ...state, running: false };
  }
}
