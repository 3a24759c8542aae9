/** A download of the catalogue began, from the local cursor (rows updated after it). */
export interface DownloadStarted {
  readonly type: 'DownloadStarted';
  readonly data: {
    readonly run_id: string;
    readonly from_cursor: string;
    readonly trigger: 'schedule' | 'operator' | 'start';
    readonly requested_by?: string;
    readonly at: string;
  };
}

/** One page is in the lookup table: after a crash the download goes on with the page after it. */
export interface PageLoaded {
  readonly type: 'PageLoaded';
  readonly data: {
    readonly run_id: string;
    readonly page_num: number;
    readonly rows: number;
    readonly rejected: number;
    readonly problems: readonly string[];
    readonly pages?: number;
    readonly newest?: string;
  };
}

/** Every page is loaded: the catalogue's version is now the newest updt_time loaded. */
export interface DownloadCompleted {
  readonly type: 'DownloadCompleted';
  readonly data: {
    readonly run_id: string;
    readonly rows: number;
    readonly pages: number;
    readonly cursor: string;
  };
}

/** The platform refused a page (a business answer): the run ends, the cursor stays. */
export interface DownloadRefused {
  readonly type: 'DownloadRefused';
  readonly data: { readonly run_id: string; readonly page_num: number; readonly err_msg: string };
}

export type DownloadEvent = DownloadStarted | PageLoaded | DownloadCompleted | DownloadRefused;
