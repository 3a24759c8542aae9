import { useState } from 'react';
import { type Row } from './api';
import { ActionButton } from './ActionButton';
import { useDashboard, useLive } from './context';

const time = (value: string | null) =>
  value ? new Date(value).toLocaleString('zh-CN', { hour12: false }) : '';

/**
 * The dead letters (admin only): what the services refused and why, and the two things a person can do with one:
 * replay it to its original topic (once, whoever asks) or record that it was dealt with otherwise.
 */
export function DeadLettersPage() {
  const { t } = useDashboard();
  const [refresh, setRefresh] = useState(0);
  const { data, error } = useLive<{ items: Row[] }>(
    `/api/admin/dead-letters${refresh ? `?after=${refresh}` : ''}`,
  );
  if (error) return <div className="error">{error}</div>;
  const items = data?.items ?? [];
  return (
    <table data-testid="dead-letters">
      <thead>
        <tr>
          <th>{t('failedAt')}</th>
          <th>{t('originalTopic')}</th>
          <th>{t('messageType')}</th>
          <th>{t('iptNo')}</th>
          <th>{t('consumerGroup')}</th>
          <th>{t('attempts')}</th>
          <th>{t('reasons')}</th>
          <th>{t('disposition')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {data && items.length === 0 && (
          <tr>
            <td colSpan={9}>{t('noDeadLetters')}</td>
          </tr>
        )}
        {items.map((d) => (
          <tr key={`${d.topic}/${d.ref}`} data-testid={`dead-letter-${d.ref}`}>
            <td>{time(d.failed_at)}</td>
            <td>{d.original_topic}</td>
            <td>{d.message_type ?? '-'}</td>
            <td>{d.key ?? '-'}</td>
            <td>{d.consumer_group}</td>
            <td>{d.attempts}</td>
            <td>{d.reason}</td>
            <td>
              <Disposition row={d} />
            </td>
            <td>{!d.disposition && <DeadLetterActions row={d} onDone={() => setRefresh((r) => r + 1)} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Disposition({ row }: { row: Row }) {
  const { t } = useDashboard();
  const done = row.disposition;
  if (!done) return <span>{t('notHandled')}</span>;
  const what = done.action === 'replayed' ? t('replayed') : `${t('resolved')}: ${done.note}`;
  return (
    <span>
      {what} · {done.by} · {time(done.at)}
    </span>
  );
}

/** Replay (a click) or resolve (with a note): either once per dead letter, whoever asks first. */
function DeadLetterActions({ row, onDone }: { row: Row; onDone: () => void }) {
  const route = `/api/admin/dead-letters/${encodeURIComponent(row.topic)}/${row.ref}`;
  const testId = `dead-letter-${row.ref}`;
  return (
    <span>
      <ActionButton
        label="replay"
        route={`${route}/replay`}
        body={{}}
        commentField={null}
        testId={`${testId}-replay`}
        onSent={onDone}
      />{' '}
      <ActionButton
        label="resolve"
        route={`${route}/resolve`}
        body={{}}
        commentField="note"
        testId={`${testId}-resolve`}
        onSent={onDone}
      />
    </span>
  );
}
