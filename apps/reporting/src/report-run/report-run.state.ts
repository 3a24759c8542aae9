import { type RunEvent } from './report-run.events';

export interface RunsState {
  readonly scheduleStarted: boolean;
  /**
   * The schedule owes the cron slots after this instant: the later of when it started and the slot of the last
   * scheduled run that completed (a run stopped early does not count: its slot is run again).
   */
  readonly slotsDoneUntil: string | null;
}

export const initialRunsState: RunsState = { scheduleStarted: false, slotsDoneUntil: null };

const later = (a: string | null, b: string | undefined): string | null =>
  b !== undefined && (a === null || Date.parse(b) > Date.parse(a)) ? b : a;

export function evolveRuns(state: RunsState, event: RunEvent): RunsState {
  switch (event.type) {
    case 'ScheduleStarted':
      return { scheduleStarted: true, slotsDoneUntil: later(state.slotsDoneUntil, event.data.at) };
    case 'RunCompleted':
      return event.data.stopped_early
        ? state
        : { ...state, slotsDoneUntil: later(state.slotsDoneUntil, event.data.scheduled_for) };
    case 'RunStarted':
      return state;
  }
}
