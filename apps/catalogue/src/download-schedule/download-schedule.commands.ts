import { type CatalogueInfno } from '../lookup/catalogue-kinds';

export type ScheduleCommand =
  | { type: 'StartSchedule'; at: string }
  | { type: 'StartScheduledDownloads'; slot: string; downloads: readonly CatalogueInfno[] };
