import { type Decider } from '@yb/event-store';
import { type RunCommand } from './report-run.commands';
import { type RunEvent } from './report-run.events';
import { evolveRuns, initialRunsState, type RunsState } from './report-run.state';

/** The reporting service's runs (one stream): the schedule starts once; every run is recorded as it starts and ends. */
export const reportRunsDecider: Decider<RunCommand, RunEvent, RunsState> = {
  decide(command, state) {
    switch (command.type) {
      case 'StartSchedule':
        return state.scheduleStarted ? [] : [{ type: 'ScheduleStarted', data: { at: command.at } }];
      case 'StartRun':
        return [{ type: 'RunStarted', data: command.run }];
      case 'CompleteRun':
        return [{ type: 'RunCompleted', data: { ...command.run, ...command.outcome } }];
    }
  },
  evolve: evolveRuns,
  initialState: () => initialRunsState,
};
