import { groupKey } from '../settlement-ledger/ledger-row';
import {
  type Difference,
  type PersonAction,
  type PeriodInfno,
  type ReconciliationDayEvent,
  type RunCheck,
} from './reconciliation-day.events';

type GroupChecked = Extract<ReconciliationDayEvent, { type: 'GroupChecked' }>['data'];

export interface OpenDifference extends Difference {
  readonly run: number;
  readonly resolved_by?: string;
  /** A person's action the worker has yet to carry out. */
  readonly requested?: PersonAction;
}

/** The differences whose action a person asked for and the worker has yet to carry out. */
export const pendingActions = (state: ReconciliationDayState): OpenDifference[] =>
  [...state.differences.values()].filter((d) => d.requested !== undefined && d.resolved_by === undefined);

export interface ReconciliationDayState {
  /** The latest run (0: never reconciled). */
  readonly run: number;
  readonly running: boolean;
  /** What the latest run asks (3201 and 3202, the period checks). */
  readonly checks: readonly RunCheck[];
  /** The latest 3201 run's answers, by group key. */
  readonly groups: ReadonlyMap<string, GroupChecked>;
  /** The latest 3201 run's 3202 comparisons, by pair key (clr_type/setl_optins). */
  readonly compared: ReadonlySet<string>;
  /** The latest run's period checks (5262 / 5267) done. */
  readonly periodChecked: ReadonlySet<PeriodInfno>;
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
  checks: [],
  groups: new Map(),
  compared: new Set(),
  periodChecked: new Set(),
  refused: new Map(),
  differences: new Map(),
});

export function evolveDay(
  state: ReconciliationDayState,
  event: ReconciliationDayEvent,
): ReconciliationDayState {
  switch (event.type) {
    case 'ReconciliationRequested': {
      const checks = event.data.checks ?? ['3201'];
      return {
        ...state,
        run: event.data.run,
        running: true,
        checks,
        // A run without 3201 (a period check) leaves the day's last 3201 / 3202 results standing: they are
        // what the month's clearing application reads.
        ...(checks.includes('3201') && { groups: new Map(), compared: new Set() }),
        periodChecked: new Set(),
        refused: new Map(),
      };
    }
    case 'ReconciliationChecksAdded':
      return {
        ...state,
        checks: [...state.checks, ...event.data.checks],
        ...(event.data.checks.includes('3201') && { groups: new Map(), compared: new Set() }),
      };
    case 'PeriodChecked':
      return { ...state, periodChecked: new Set(state.periodChecked).add(event.data.infno) };
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
    case 'ActionRequested':
    case 'ActionRefused': {
      const found = state.differences.get(event.data.setl_id);
      if (!found) return state;
      const { requested: _requested, ...rest } = found;
      const { setl_id: _setl_id, ...action } = event.data;
      const changed =
        event.type === 'ActionRequested' ? { ...rest, requested: action as PersonAction } : rest;
      return { ...state, differences: new Map(state.differences).set(event.data.setl_id, changed) };
    }
    case 'StepRefused':
      return { ...state, refused: new Map(state.refused).set(event.data.subject, event.data.reason) };
    case 'ReconciliationCompleted':
      return { ...state, running: false };
  }
}
