import { CommandHandler, type EventStore } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { type CatalogueInfno } from '../lookup/catalogue-kinds';
import { type ScheduleCommand } from './download-schedule.commands';
import { downloadScheduleDecider } from './download-schedule.decider';
import { type ScheduleEvent } from './download-schedule.events';
import { type ScheduleState } from './download-schedule.state';

/** The schedule's own stream. */
export const SCHEDULE_STREAM = 'schedule-catalogue-downloads';

/** The scheduled downloads' stream, read and written through CommandHandler (shared by the replicas). */
export class DownloadScheduleWorkflow {
  private readonly schedule: CommandHandler<ScheduleCommand, ScheduleEvent, ScheduleState>;

  constructor(store: EventStore) {
    this.schedule = new CommandHandler(store, downloadScheduleDecider);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'download-schedule': this.schedule };
  }

  async start(at: Date): Promise<void> {
    await this.schedule.handle(SCHEDULE_STREAM, { type: 'StartSchedule', at: at.toISOString() });
  }

  /** The instant after which cron slots are owed (when the schedule started, or its last slot taken). */
  async slotsDoneUntil(): Promise<Date | null> {
    const { slotsDoneUntil } = (await this.schedule.aggregateStream(SCHEDULE_STREAM)).state;
    return slotsDoneUntil === null ? null : new Date(slotsDoneUntil);
  }

  /** Takes the slot for its downloads; false when another replica took it first. */
  async takeSlot(slot: Date, downloads: readonly CatalogueInfno[]): Promise<boolean> {
    const command = { type: 'StartScheduledDownloads', slot: slot.toISOString(), downloads } as const;
    const result = await this.schedule.handle(SCHEDULE_STREAM, command);
    return result.kind === 'handled' && result.newEvents.length > 0;
  }
}
