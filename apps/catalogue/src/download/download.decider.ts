import { type Decider } from '@yb/event-store';
import { type DownloadCommand } from './download.commands';
import { type DownloadEvent } from './download.events';
import { evolveDownload, initialDownloadState, type DownloadState } from './download.state';

/** A command that does not fit the download's state (another run's page, a page out of order). */
export class DownloadCommandRefused extends Error {
  override readonly name = 'DownloadCommandRefused';
}

/**
 * One catalogue's downloads, pure. A start while a run is open changes nothing (the open run goes on: an
 * operator's click during the nightly run, or the schedule after a crash). A page recorded twice (a worker
 * that crashed after loading it, before recording it, loads it again) is a no-op; the run completes with the
 * page that is empty or the last the platform announced, and the cursor moves to the newest row loaded.
 */
export function decideDownload(command: DownloadCommand, state: DownloadState): DownloadEvent[] {
  switch (command.type) {
    case 'StartDownload': {
      if (state.run) return [];
      const { run_id, trigger, requested_by, at } = command;
      return [
        {
          type: 'DownloadStarted',
          data: { run_id, from_cursor: state.cursor, trigger, ...(requested_by && { requested_by }), at },
        },
      ];
    }
    case 'RecordPage': {
      const run = openRun(state, command.run_id);
      if (command.page_num < run.next_page) return [];
      if (command.page_num > run.next_page)
        throw new DownloadCommandRefused(`page ${command.page_num} before page ${run.next_page}`);
      const { run_id, page_num, rows, rejected, problems, pages, newest } = command;
      const loaded: DownloadEvent = {
        type: 'PageLoaded',
        data: {
          run_id,
          page_num,
          rows,
          rejected,
          problems,
          ...(pages !== undefined && { pages }),
          ...(newest && { newest }),
        },
      };
      const last = pages !== undefined ? page_num >= pages : rows + rejected === 0;
      if (!last) return [loaded];
      const after = evolveDownload(state, loaded).run!;
      return [
        loaded,
        {
          type: 'DownloadCompleted',
          data: { run_id, rows: after.rows, pages: page_num, cursor: after.newest },
        },
      ];
    }
    case 'RecordRefusal': {
      openRun(state, command.run_id);
      const { run_id, page_num, err_msg } = command;
      return [{ type: 'DownloadRefused', data: { run_id, page_num, err_msg } }];
    }
  }
}

function openRun(state: DownloadState, run_id: string) {
  if (!state.run || state.run.run_id !== run_id)
    throw new DownloadCommandRefused(`download ${run_id} is not the one running`);
  return state.run;
}

export const CatalogueDownload: Decider<DownloadCommand, DownloadEvent, DownloadState> = {
  decide: decideDownload,
  evolve: evolveDownload,
  initialState: () => initialDownloadState,
};
