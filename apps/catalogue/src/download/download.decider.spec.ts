import { DeciderSpecification } from '@yb/event-store';
import { CatalogueDownload, DownloadCommandRefused } from './download.decider';
import { type DownloadEvent } from './download.events';

const spec = DeciderSpecification.for(CatalogueDownload);
const AT = '2026-12-03T02:00:00.000Z';
const started = (run_id: string, from_cursor = ''): DownloadEvent => ({
  type: 'DownloadStarted',
  data: { run_id, from_cursor, trigger: 'schedule', at: AT },
});
const page = (run_id: string, page_num: number, rows: number, newest: string, pages = 3) =>
  ({ type: 'RecordPage', run_id, page_num, rows, rejected: 0, problems: [], pages, newest }) as const;
const loaded = (
  run_id: string,
  page_num: number,
  rows: number,
  newest: string,
  pages = 3,
): DownloadEvent => ({
  type: 'PageLoaded',
  data: { run_id, page_num, rows, rejected: 0, problems: [], pages, newest },
});

describe('a catalogue download', () => {
  it('starts from the cursor the last completed download left', () => {
    spec
      .given([
        started('r1'),
        loaded('r1', 1, 2, '2024-01-01 08:01:00', 1),
        {
          type: 'DownloadCompleted',
          data: { run_id: 'r1', rows: 2, pages: 1, cursor: '2024-01-01 08:01:00' },
        },
      ])
      .when({ type: 'StartDownload', run_id: 'r2', trigger: 'operator', requested_by: 'zhangli', at: AT })
      .then([
        {
          type: 'DownloadStarted',
          data: {
            run_id: 'r2',
            from_cursor: '2024-01-01 08:01:00',
            trigger: 'operator',
            requested_by: 'zhangli',
            at: AT,
          },
        },
      ]);
  });

  it('goes on with the open run when asked to start again', () => {
    spec
      .given([started('r1')])
      .when({ type: 'StartDownload', run_id: 'r2', trigger: 'operator', at: AT })
      .then([]);
  });

  it('records each page, and completes on the last announced page with the newest row as the cursor', () => {
    spec
      .given([started('r1')])
      .when(page('r1', 1, 1000, '2024-01-01 09:00:00'))
      .then([loaded('r1', 1, 1000, '2024-01-01 09:00:00')]);
    spec
      .given([
        started('r1'),
        loaded('r1', 1, 1000, '2024-01-01 09:00:00'),
        loaded('r1', 2, 1000, '2024-01-02 09:00:00'),
      ])
      .when(page('r1', 3, 5, '2024-01-02 10:00:00'))
      .then([
        loaded('r1', 3, 5, '2024-01-02 10:00:00'),
        {
          type: 'DownloadCompleted',
          data: { run_id: 'r1', rows: 2005, pages: 3, cursor: '2024-01-02 10:00:00' },
        },
      ]);
  });

  it('completes on an empty page, keeping the cursor when nothing was newer', () => {
    spec
      .given([started('r1', '2024-01-02 10:00:00')])
      .when({ type: 'RecordPage', run_id: 'r1', page_num: 1, rows: 0, rejected: 0, problems: [], pages: 0 })
      .then([
        {
          type: 'PageLoaded',
          data: { run_id: 'r1', page_num: 1, rows: 0, rejected: 0, problems: [], pages: 0 },
        },
        {
          type: 'DownloadCompleted',
          data: { run_id: 'r1', rows: 0, pages: 1, cursor: '2024-01-02 10:00:00' },
        },
      ]);
  });

  it('ignores a page recorded again after a crash, and refuses one that skips a page', () => {
    spec
      .given([started('r1'), loaded('r1', 1, 10, '2024-01-01 09:00:00')])
      .when(page('r1', 1, 10, '2024-01-01 09:00:00'))
      .then([]);
    spec
      .given([started('r1')])
      .when(page('r1', 2, 10, 'x'))
      .thenThrows(DownloadCommandRefused);
    spec
      .given([started('r1')])
      .when(page('r0', 1, 10, 'x'))
      .thenThrows(DownloadCommandRefused);
  });

  it('ends the run on a refusal, the cursor unchanged', () => {
    spec
      .given([started('r1', 'c')])
      .when({ type: 'RecordRefusal', run_id: 'r1', page_num: 1, err_msg: '交易编号[1312]不存在或未开通' })
      .then([
        {
          type: 'DownloadRefused',
          data: { run_id: 'r1', page_num: 1, err_msg: '交易编号[1312]不存在或未开通' },
        },
      ]);
  });
});
