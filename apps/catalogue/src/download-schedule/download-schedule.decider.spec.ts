import { DeciderSpecification } from '@yb/event-store';
import { downloadScheduleDecider } from './download-schedule.decider';
import { type ScheduleEvent } from './download-schedule.events';

const spec = () => DeciderSpecification.for(downloadScheduleDecider);
const stateOf = (events: ScheduleEvent[]) =>
  events.reduce(downloadScheduleDecider.evolve, downloadScheduleDecider.initialState());

const STARTED_AT = '2024-05-09T00:30:00.000Z';
const SLOT = '2024-05-09T18:00:00.000Z';
const started: ScheduleEvent = { type: 'ScheduleStarted', data: { at: STARTED_AT } };
const downloads = ['1312', '1901'] as const;
const taken = (slot: string): ScheduleEvent => ({
  type: 'ScheduledDownloadsStarted',
  data: { slot, downloads },
});

describe('the scheduled downloads decider', () => {
  it('starts the schedule once', () => {
    spec().given([]).when({ type: 'StartSchedule', at: STARTED_AT }).then([started]);
    spec().given([started]).when({ type: 'StartSchedule', at: SLOT }).then([]);
  });

  it('takes a slot after the schedule started', () => {
    spec()
      .given([started])
      .when({ type: 'StartScheduledDownloads', slot: SLOT, downloads })
      .then([taken(SLOT)]);
  });

  it('takes a slot once: a second replica that saw it due finds it taken', () => {
    spec()
      .given([started, taken(SLOT)])
      .when({ type: 'StartScheduledDownloads', slot: SLOT, downloads })
      .then([]);
  });

  it('takes no slot at or before the last one, nor before the schedule started', () => {
    spec()
      .given([started, taken(SLOT)])
      .when({ type: 'StartScheduledDownloads', slot: '2024-05-08T18:00:00.000Z', downloads })
      .then([]);
    spec()
      .given([started])
      .when({ type: 'StartScheduledDownloads', slot: '2024-05-09T00:00:00.000Z', downloads })
      .then([]);
  });

  it('owes the slots after the later of its start and its last slot', () => {
    expect(stateOf([])).toEqual({ started: false, slotsDoneUntil: null });
    expect(stateOf([started]).slotsDoneUntil).toBe(STARTED_AT);
    expect(stateOf([started, taken(SLOT)]).slotsDoneUntil).toBe(SLOT);
    expect(stateOf([taken(SLOT), started]).slotsDoneUntil).toBe(SLOT);
  });
});
