/** What can be asked of one catalogue's download stream (`catalogue-<infno>`). */
export type DownloadCommand =
  | {
      readonly type: 'StartDownload';
      readonly run_id: string;
      /** `schedule` (the daily run), `operator` (a person asked), `start` (nothing held yet at start-up). */
      readonly trigger: 'schedule' | 'operator' | 'start';
      readonly requested_by?: string;
      readonly at: string;
    }
  | {
      readonly type: 'RecordPage';
      readonly run_id: string;
      readonly page_num: number;
      /** Rows the page held and the lookup table now holds (upserted by rid). */
      readonly rows: number;
      /** Rows the page held that could not be read (no code or no rid), with the first reasons. */
      readonly rejected: number;
      readonly problems: readonly string[];
      /** Pages the platform says the download has (undefined when it does not say). */
      readonly pages?: number;
      /** The newest updt_time of the page's rows (the next cursor once the run completes). */
      readonly newest?: string;
    }
  | {
      readonly type: 'RecordRefusal';
      readonly run_id: string;
      readonly page_num: number;
      readonly err_msg: string;
    };
