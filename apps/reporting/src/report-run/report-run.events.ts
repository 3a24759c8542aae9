/** A run of the uploads: the day it is for, what started it, and the cron slot it stands for when scheduled. */
export interface RunRequest {
  readonly run_date: string;
  readonly trigger: string;
  readonly scheduled_for?: string;
}

export interface RunOutcome {
  readonly uploaded: number;
  /** Reports whose upload failed with an error (logged); taken up again on the next run. */
  readonly failed: number;
  readonly stopped_early: boolean;
}

/** The runs' stream: when the schedule started, and when each run started and finished. */
export type RunEvent =
  | { type: 'ScheduleStarted'; data: { at: string } }
  | { type: 'RunStarted'; data: RunRequest }
  | { type: 'RunCompleted'; data: RunRequest & RunOutcome };
