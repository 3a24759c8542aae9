import { type CatalogueInfno } from '../lookup/catalogue-kinds';

/** The schedule's stream: when it first ran, and each cron slot it started downloads for. */
export type ScheduleEvent =
  | { type: 'ScheduleStarted'; data: { at: string } }
  | { type: 'ScheduledDownloadsStarted'; data: { slot: string; downloads: readonly CatalogueInfno[] } };
