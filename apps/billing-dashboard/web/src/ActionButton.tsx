import { useState } from 'react';
import { api, ApiError, type Row } from './api';
import { useDashboard } from './context';
import { type MessageKey } from './i18n';

/**
 * An operator action: asks for a comment, posts it, then says the command was sent (the result shows when the
 * service answers, through the live view). Not shown to viewers; the server refuses them anyway.
 */
export function ActionButton({
  label,
  route,
  body,
  commentField = 'comment',
  testId,
  onSent,
  confirm,
}: {
  label: MessageKey;
  route: string;
  body: Row;
  /** The body field the person's comment goes in; null: no comment asked, the click sends. */
  commentField?: string | null;
  testId: string;
  /** Called once the server accepted the request (e.g. to refetch what it changed). */
  onSent?: () => void;
  /** What the person confirms before the request is sent (shown in the dialog). */
  confirm?: MessageKey;
}) {
  const { t, session, expired } = useDashboard();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  if (session.role === 'viewer') return null;
  const send = async () => {
    try {
      const said = commentField === null ? {} : { [commentField]: comment };
      await api.post(route, { ...body, ...said, request_id: crypto.randomUUID() });
      setOutcome({ ok: true, text: t('sent') });
      setOpen(false);
      onSent?.();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return expired();
      setOutcome({
        ok: false,
        text: err instanceof ApiError && err.status === 403 ? t('forbidden') : String((err as Error).message),
      });
    }
  };
  return (
    <span>
      {!open && (
        <button
          className="action"
          onClick={() => (commentField === null && !confirm ? send() : setOpen(true))}
          data-testid={testId}
        >
          {t(label)}
        </button>
      )}
      {open && (
        <span className="dialog">
          {confirm && <span data-testid={`${testId}-confirm`}>{t(confirm)} </span>}
          {commentField !== null && (
            <input
              placeholder={t('comment')}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              data-testid={`${testId}-comment`}
            />
          )}
          <button
            className="action"
            disabled={commentField !== null && comment.trim() === ''}
            onClick={send}
            data-testid={`${testId}-send`}
          >
            {t(confirm ? 'confirm' : 'send')}
          </button>
          <button onClick={() => setOpen(false)}>{t('cancel')}</button>
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
