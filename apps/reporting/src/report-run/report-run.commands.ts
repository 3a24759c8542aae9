import { type RunOutcome, type RunRequest } from './report-run.events';

export type RunCommand =
  | { type: 'StartSchedule'; at: string }
  | { type: 'StartRun'; run: RunRequest }
  | { type: 'CompleteRun'; run: RunRequest; outcome: RunOutcome };
