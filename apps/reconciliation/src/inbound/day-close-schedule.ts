import { CronExpressionParser } from 'cron-parser';
import { type Logger } from 'pino';
import { type DayQueue } from './reconciliation-handlers';
import { type ReconciliationDayWorkflow } from '../reconciliation-day/reconciliation-day-workflow';
import { type PeriodInfno } from '../reconciliation-day/reconciliation-day.events';

/** Who the day's record names for a run the schedule started. */
export const SCHEDULE_ACTOR = 'schedule';

/** The `count` closed days before `now`'s day in `timeZone`, newest first (yyyy-MM-dd). */
export function closedDays(now: Date, timeZone: string, count: number): string[] {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  const midnight = new Date(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(midnight);
    day.setUTCDate(day.getUTCDate() - 1 - i);
    return day.toISOString().slice(0, 10);
  });
}

/**
 * Reconciles each closed day once, after it closed: at every cron occurrence (and at start, for days a stopped
 * service missed) each of the last `catchUpDays` days never reconciled gets a run. Two replicas asking at once
 * record one run (a day already running is not asked again).
 */
export class DayCloseSchedule {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      cron: string;
      timeZone: string;
      catchUpDays: number;
      /** Hubei's period checks asked after 3201 in the same run (RECONCILIATION_PERIOD_CHECKS). */
      periodChecks: readonly PeriodInfno[];
    },
    private readonly days: ReconciliationDayWorkflow,
    private readonly queue: DayQueue,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    void this.tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Requests a run of every closed day never reconciled; returns those days. */
  async requestOwedDays(): Promise<string[]> {
    const owed: string[] = [];
    for (const day of closedDays(this.now(), this.options.timeZone, this.options.catchUpDays)) {
      if ((await this.days.load(day)).state.run > 0) continue;
      await this.days.execute(day, {
        type: 'RequestReconciliation',
        requested_by: SCHEDULE_ACTOR,
        ...(this.options.periodChecks.length > 0 && { checks: ['3201', ...this.options.periodChecks] }),
      });
      this.queue.schedule(day);
      owed.push(day);
    }
    return owed;
  }

  private async tick(): Promise<void> {
    try {
      const owed = await this.requestOwedDays();
      if (owed.length > 0) this.logger.info({ days: owed }, 'reconciliation of closed days requested');
    } catch (err) {
      // The database away: the next occurrence asks again.
      this.logger.warn({ err }, 'closed days could not be looked at; trying at the next occurrence');
    }
    const next = CronExpressionParser.parse(this.options.cron, {
      currentDate: this.now(),
      tz: this.options.timeZone,
    })
      .next()
      .toDate();
    this.timer = setTimeout(() => void this.tick(), Math.max(1_000, next.getTime() - this.now().getTime()));
    this.timer.unref();
  }
}
