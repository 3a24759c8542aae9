import { useState } from 'react';
import { api, ApiError, type Row } from './api';
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

function DeadLetterActions({ row, onDone }: { row: Row; onDone: () => void }) {
  const { t, expired } = useDashboard();
  const [mode, setMode] = useState<'idle' | 'replay' | 'resolve'>('idle');
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const route = `/api/admin/dead-letters/${encodeURIComponent(row.topic)}/${row.ref}`;
  const send = async (action: 'replay' | 'resolve') => {
    try {
      const answer = await api.post<{ already: boolean }>(
        `${route}/${action}`,
        action === 'resolve' ? { note } : {},
      );
      setOutcome({
        ok: true,
        text: t(answer.already ? 'alreadyDone' : action === 'replay' ? 'replayedNow' : 'sent'),
      });
      setMode('idle');
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return expired();
      setOutcome({
        ok: false,
        text: err instanceof ApiError && err.status === 403 ? t('forbidden') : String((err as Error).message),
      });
    }
  };
  const testId = `dead-letter-${row.ref}`;
  return (
    <span>
      {mode === 'idle' && (
        <>
          <button className="action" onClick={() => setMode('replay')} data-testid={`${testId}-replay`}>
            {t('replay')}
          </button>{' '}
          <button onClick={() => setMode('resolve')} data-testid={`${testId}-resolve`}>
            {t('resolve')}
          </button>
        </>
      )}
      {mode === 'replay' && (
        <span className="dialog">
          {t('confirmReplay')}
          <button className="action" onClick={() => send('replay')} data-testid={`${testId}-replay-send`}>
            {t('replay')}
          </button>
          <button onClick={() => setMode('idle')}>{t('cancel')}</button>
        </span>
      )}
      {mode === 'resolve' && (
        <span className="dialog">
          <input
            placeholder={t('resolveNote')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            data-testid={`${testId}-note`}
          />
          <button
            className="action"
            disabled={note.trim() === ''}
            onClick={() => send('resolve')}
            data-testid={`${testId}-resolve-send`}
          >
            {t('send')}
          </button>
          <button onClick={() => setMode('idle')}>{t('cancel')}</button>
        </span>
      )}
      {outcome && (
        <span className={outcome.ok ? 'notice' : 'error'} data-testid={`${testId}-outcome`}>
          {' '}
          {outcome.text}
        </span>
      )}
    </span>
  );
}
