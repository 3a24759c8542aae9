import { type Decider } from '@yb/event-store';
import { type ScheduleCommand } from './download-schedule.commands';
import { type ScheduleEvent } from './download-schedule.events';
import { evolveSchedule, initialScheduleState, type ScheduleState } from './download-schedule.state';

/**
 * The scheduled downloads (one stream): the schedule starts once; a slot is taken once — of two replicas that
 * saw it due, the second finds it taken (decided again on the stream after the first one's append).
 */
export const downloadScheduleDecider: Decider<ScheduleCommand, ScheduleEvent, ScheduleState> = {
  decide(command, state) {
    switch (command.type) {
      case 'StartSchedule':
        return state.started ? [] : [{ type: 'ScheduleStarted', data: { at: command.at } }];
      case 'StartScheduledDownloads': {
        const { slot, downloads } = command;
        const taken = state.slotsDoneUntil !== null && Date.parse(slot) <= Date.parse(state.slotsDoneUntil);
        return taken ? [] : [{ type: 'ScheduledDownloadsStarted', data: { slot, downloads } }];
      }
    }
  },
  evolve: evolveSchedule,
  initialState: () => initialScheduleState,
};
