import { dueSlot } from '@yb/service-runtime';
import { type DownloadScheduleWorkflow } from '../download-schedule/download-schedule-workflow';
import { type CatalogueInfno } from '../lookup/catalogue-kinds';

export interface ScheduleSettings {
  readonly cron: string;
  readonly timeZone: string;
  readonly downloads: readonly CatalogueInfno[];
  readonly scheduleCheckMs: number;
}

/**
 * Starts the scheduled downloads: every `scheduleCheckMs` it asks the schedule's stream whether a slot is due
 * and, when one is, takes it (of two replicas one does) and starts each download.
 */
export class DownloadScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly schedule: DownloadScheduleWorkflow,
    private readonly settings: ScheduleSettings,
    private readonly startDownload: (infno: CatalogueInfno, trigger: 'schedule') => Promise<void>,
    private readonly logger: { warn(obj: object, msg: string): void },
  ) {}

  async start(): Promise<void> {
    await this.schedule.start(new Date());
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
    const since = (await this.schedule.slotsDoneUntil()) ?? new Date(0);
    const slot = dueSlot(this.settings.cron, this.settings.timeZone, since, new Date());
    if (!slot || this.stopped) return;
    if (!(await this.schedule.takeSlot(slot, this.settings.downloads))) return; // another replica took it
    for (const infno of this.settings.downloads) await this.startDownload(infno, 'schedule');
  }
}
