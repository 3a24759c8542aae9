import { type ScheduleEvent } from './download-schedule.events';

export interface ScheduleState {
  readonly started: boolean;
  /** The schedule owes the cron slots after this instant: the later of when it started and its last slot. */
  readonly slotsDoneUntil: string | null;
}

export const initialScheduleState: ScheduleState = { started: false, slotsDoneUntil: null };

const later = (a: string | null, b: string): string => (a !== null && Date.parse(a) >= Date.parse(b) ? a : b);

export function evolveSchedule(state: ScheduleState, event: ScheduleEvent): ScheduleState {
  switch (event.type) {
    case 'ScheduleStarted':
      return { started: true, slotsDoneUntil: later(state.slotsDoneUntil, event.data.at) };
    case 'ScheduledDownloadsStarted':
      return { ...state, slotsDoneUntil: later(state.slotsDoneUntil, event.data.slot) };
  }
}
