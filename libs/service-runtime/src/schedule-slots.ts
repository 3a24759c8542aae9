import { CronExpressionParser } from 'cron-parser';

/**
 * The slot a scheduled run is owed for, if any: the latest cron occurrence at or before `now` that is later
 * than `since` (the slot of the last completed run, or when the schedule first started). Several missed
 * slots (the service was down) collapse into one run: a run catches up on everything due anyway.
 */
export function dueSlot(cron: string, timeZone: string, since: Date, now: Date): Date | null {
  const expression = CronExpressionParser.parse(cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: timeZone,
  });
  const latest = expression.prev().toDate();
  return latest.getTime() > since.getTime() ? latest : null;
}

/** The business day (yyyy-MM-dd) of an instant in the schedule's time zone. */
export function businessDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
