import { DeciderSpecification } from '@yb/event-store';
import { reportRunsDecider } from './report-run.decider';
import { type RunEvent } from './report-run.events';

const spec = () => DeciderSpecification.for(reportRunsDecider);
const stateOf = (events: RunEvent[]) =>
  events.reduce(reportRunsDecider.evolve, reportRunsDecider.initialState());

const STARTED_AT = '2024-05-09T00:30:00.000Z';
const SLOT = '2024-05-09T02:00:00.000Z';
const started: RunEvent = { type: 'ScheduleStarted', data: { at: STARTED_AT } };
const run = { run_date: '2024-05-09', trigger: 'schedule', scheduled_for: SLOT };
const completed = (stopped_early: boolean, scheduled_for?: string): RunEvent => ({
  type: 'RunCompleted',
  data: {
    run_date: '2024-05-09',
    trigger: scheduled_for ? 'schedule' : 'command',
    ...(scheduled_for && { scheduled_for }),
    uploaded: 3,
    failed: 0,
    stopped_early,
  },
});

describe('report runs decider', () => {
  it('starts the schedule once', () => {
    spec().given([]).when({ type: 'StartSchedule', at: STARTED_AT }).then([started]);
    spec().given([started]).when({ type: 'StartSchedule', at: SLOT }).then([]);
  });

  it('records a run as it starts and as it ends', () => {
    spec()
      .given([started])
      .when({ type: 'StartRun', run })
      .then([{ type: 'RunStarted', data: run }]);
    spec()
      .given([started, { type: 'RunStarted', data: run }])
      .when({ type: 'CompleteRun', run, outcome: { uploaded: 3, failed: 0, stopped_early: false } })
      .then([completed(false, SLOT)]);
  });

  it('owes the slots after the schedule started, then after the last scheduled run that completed', () => {
    expect(stateOf([])).toEqual({ scheduleStarted: false, slotsDoneUntil: null });
    expect(stateOf([started]).slotsDoneUntil).toBe(STARTED_AT);
    expect(stateOf([started, completed(false, SLOT)]).slotsDoneUntil).toBe(SLOT);
  });

  it('owes again the slot of a run stopped early, and ignores runs of no slot (a command)', () => {
    expect(stateOf([started, completed(true, SLOT)]).slotsDoneUntil).toBe(STARTED_AT);
    expect(stateOf([started, completed(false)]).slotsDoneUntil).toBe(STARTED_AT);
  });

  it('keeps the latest slot when runs complete out of order', () => {
    const earlier = '2024-05-08T02:00:00.000Z';
    expect(stateOf([started, completed(false, SLOT), completed(false, earlier)]).slotsDoneUntil).toBe(SLOT);
  });
});
