import { businessDate, dueSlot } from '@yb/service-runtime';
import { type ReportUploads } from '../platform/report-uploads';
import { type ReportWorkflow } from '../report/report-workflow';
import { type ReportingConfig } from '../reporting-config';

interface Logger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Starts the scheduled runs: every `scheduleCheckMs` it computes, from the runs recorded in the event store,
 * whether a cron slot is owed, and runs it. A slot counts as done only when its run completed, so a crash
 * or a restart after a missed slot runs it on the next check. Stopping lets the report in hand finish. Every
 * replica checks; the slot is asked for again under the uploads' lock, so a slot runs once across replicas.
 */
export class ReportScheduler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly reports: ReportWorkflow,
    private readonly uploads: ReportUploads,
    private readonly config: ReportingConfig,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.reports.recordRun({ type: 'StartSchedule', at: new Date().toISOString() });
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.current = this.check()
        .catch((err: unknown) => this.logger.error({ err }, 'scheduled report run failed; tried again later'))
        .finally(() => this.schedule());
    }, this.config.scheduleCheckMs);
  }

  private async check(): Promise<void> {
    const slot = await this.dueSlot();
    if (!slot || this.stopping) return;
    const run = {
      run_date: businessDate(slot, this.config.timeZone),
      trigger: 'schedule',
      scheduled_for: slot.toISOString(),
    };
    const result = await this.uploads.run(run, {
      shouldStop: () => this.stopping,
      stillDue: async () => (await this.dueSlot())?.getTime() === slot.getTime(),
    });
    if (!result.notDue) this.logger.info({ ...run, ...result }, 'scheduled report run finished');
  }

  /** The cron slot owed now, from the runs recorded (by any replica); null when none is. */
  private async dueSlot(): Promise<Date | null> {
    const { slotsDoneUntil } = await this.reports.readRuns();
    const since = slotsDoneUntil ? new Date(slotsDoneUntil) : new Date();
    return dueSlot(this.config.cron, this.config.timeZone, since, new Date());
  }
}
