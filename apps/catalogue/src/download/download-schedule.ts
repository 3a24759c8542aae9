import { CronExpressionParser } from 'cron-parser';
import { ExpectedVersionConflictError, type EventStore } from '@yb/event-store';
import { type CatalogueInfno } from '../lookup/catalogue-kinds';

/** The schedule's own stream: when it first ran, and each slot it started downloads for. */
export const SCHEDULE_STREAM = 'schedule-catalogue-downloads';

export type ScheduleEvent =
  | { type: 'ScheduleStarted'; data: { at: string } }
  | { type: 'ScheduledDownloadsStarted'; data: { slot: string; downloads: readonly CatalogueInfno[] } };

/**
 * The latest cron occurrence at or before `now` later than `since` (the last slot run, or when the schedule
 * first started), if any: several slots missed while the service was down are one run (a download catches up
 * anyway).
 */
export function dueSlot(cron: string, timeZone: string, since: Date, now: Date): Date | null {
  const latest = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timeZone })
    .prev()
    .toDate();
  return latest.getTime() > since.getTime() ? latest : null;
}

export interface ScheduleSettings {
  readonly cron: string;
  readonly timeZone: string;
  readonly downloads: readonly CatalogueInfno[];
  readonly scheduleCheckMs: number;
}

/**
 * Starts the scheduled downloads: every `scheduleCheckMs` it reads the schedule's stream and, when a slot is
 * due, records it (expecting the stream's version, so that of two replicas one wins) and starts each download.
 */
export class DownloadScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly settings: ScheduleSettings,
    private readonly startDownload: (infno: CatalogueInfno, trigger: 'schedule') => Promise<void>,
    private readonly logger: { warn(obj: object, msg: string): void },
  ) {}

  async start(): Promise<void> {
    const events = await this.events();
    if (!events.some((e) => e.type === 'ScheduleStarted')) {
      await this.store.appendToStream(SCHEDULE_STREAM, 'any', [
        { type: 'ScheduleStarted', data: { at: new Date().toISOString() } },
      ]);
    }
    this.next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private next(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.check()
        .catch((err: unknown) =>
          this.logger.warn(
            { error: (err as Error).message },
            'scheduled catalogue downloads: tried again later',
          ),
        )
        .finally(() => this.next());
    }, this.settings.scheduleCheckMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const recorded = await this.store.readStream(SCHEDULE_STREAM);
    const since = recorded
      .map((e) => {
        const event = { type: e.type, data: e.data } as ScheduleEvent;
        return event.type === 'ScheduleStarted' ? event.data.at : event.data.slot;
      })
      .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a), new Date(0).toISOString());
    const slot = dueSlot(this.settings.cron, this.settings.timeZone, new Date(since), new Date());
    if (!slot || this.stopped) return;
    const lastVersion = recorded.length === 0 ? 0 : Number(recorded[recorded.length - 1].streamVersion);
    try {
      await this.store.appendToStream(SCHEDULE_STREAM, lastVersion, [
        {
          type: 'ScheduledDownloadsStarted',
          data: { slot: slot.toISOString(), downloads: this.settings.downloads },
        },
      ]);
    } catch (err) {
      if (err instanceof ExpectedVersionConflictError) return; // another replica took the slot
      throw err;
    }
    for (const infno of this.settings.downloads) await this.startDownload(infno, 'schedule');
  }

  private async events(): Promise<ScheduleEvent[]> {
    return (await this.store.readStream(SCHEDULE_STREAM)).map(
      (e) => ({ type: e.type, data: e.data }) as ScheduleEvent,
    );
  }
}
