import { isLater } from '../lookup/lookup-rows';
import { type DownloadEvent } from './download.events';

export interface RunningDownload {
  readonly run_id: string;
  readonly from_cursor: string;
  readonly trigger: 'schedule' | 'operator' | 'start';
  readonly requested_by?: string;
  readonly at: string;
  /** The page to ask for next (1-based). */
  readonly next_page: number;
  readonly rows: number;
  readonly newest: string;
}

export interface DownloadState {
  /** The newest updt_time held: the next download asks for rows updated after it ('' before the first). */
  readonly cursor: string;
  readonly run?: RunningDownload;
  /** Completed downloads (each a new local version). */
  readonly versions: number;
  readonly last?: {
    readonly run_id: string;
    readonly outcome: 'completed' | 'refused';
    readonly rows: number;
    readonly detail?: string;
    /** What started it, who asked and when (the version published once it completes). */
    readonly trigger: 'schedule' | 'operator' | 'start';
    readonly requested_by?: string;
    readonly started_at: string;
  };
}

export const initialDownloadState: DownloadState = { cursor: '', versions: 0 };

const later = (a: string, b: string | undefined) => (b !== undefined && isLater(b, a) ? b : a);

const startOf = ({ trigger, requested_by, at }: RunningDownload) => ({
  trigger,
  ...(requested_by && { requested_by }),
  started_at: at,
});

export function evolveDownload(state: DownloadState, event: DownloadEvent): DownloadState {
  switch (event.type) {
    case 'DownloadStarted': {
      const { run_id, from_cursor, trigger, requested_by, at } = event.data;
      return {
        ...state,
        run: {
          run_id,
          from_cursor,
          trigger,
          ...(requested_by && { requested_by }),
          at,
          next_page: 1,
          rows: 0,
          newest: from_cursor,
        },
      };
    }
    case 'PageLoaded': {
      const run = state.run!;
      return {
        ...state,
        run: {
          ...run,
          next_page: event.data.page_num + 1,
          rows: run.rows + event.data.rows,
          newest: later(run.newest, event.data.newest),
        },
      };
    }
    case 'DownloadCompleted': {
      const { run_id, rows, cursor } = event.data;
      return {
        cursor,
        versions: state.versions + 1,
        last: { run_id, outcome: 'completed', rows, ...startOf(state.run!) },
      };
    }
    case 'DownloadRefused':
      return {
        ...state,
        run: undefined,
        last: {
          run_id: event.data.run_id,
          outcome: 'refused',
          rows: state.run?.rows ?? 0,
          detail: event.data.err_msg,
          ...startOf(state.run!),
        },
      };
  }
}
