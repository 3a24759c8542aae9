import { type ReactNode, useState } from 'react';
import { api, ApiError, query, type Paged, type Row } from './api';
import { ActionButton } from './ActionButton';
import { useDashboard, useLive } from './context';
import { type MessageKey } from './i18n';
import { Pager, StateTag } from './Lists';

const yesterday = () => new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
/** Last month in Beijing time, yyyy-MM (the month a billing office applies for). */
const lastMonth = () => {
  const now = new Date(Date.now() + 8 * 3600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

/** Hubei's period checks of a day (5262 本地, 5267 异地), each asked by its own button. */
function PeriodCheckButtons({ date }: { date: string }) {
  return (
    <>
      <ActionButton
        label="periodCheckLocal"
        route={`/api/reconciliation/${date}/run`}
        body={{ checks: ['5262'] }}
        commentField={null}
        testId="check-5262"
      />
      <ActionButton
        label="periodCheckCrossArea"
        route={`/api/reconciliation/${date}/run`}
        body={{ checks: ['5267'] }}
        commentField={null}
        testId="check-5267"
      />
    </>
  );
}

/** 对账: the reconciled days (groups balanced, differences open), and a day run (or checked) now by an operator. */
export function ReconciliationDays() {
  const { t } = useDashboard();
  const [page, setPage] = useState(1);
  const [date, setDate] = useState(yesterday);
  const { data } = useLive<Paged>(`/api/reconciliation${query({ page })}`);
  return (
    <>
      <div className="filters">
        <label>
          {t('stmtDate')}{' '}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="run-date" />
        </label>
        {date && (
          <>
            <ActionButton
              label="reconcileNow"
              route={`/api/reconciliation/${date}/run`}
              body={{}}
              commentField={null}
              testId="reconcile-day"
            />
            <PeriodCheckButtons date={date} />
          </>
        )}
      </div>
      <table data-testid="reconciliation-days">
        <thead>
          <tr>
            <th>{t('stmtDate')}</th>
            <th>{t('groups')}</th>
            <th>{t('balancedGroups')}</th>
            <th>{t('differences')}</th>
            <th>{t('openDifferences')}</th>
            <th>{t('run')}</th>
            <th>{t('completedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((d) => (
            <tr key={d.stmt_date} data-testid={`day-${d.stmt_date}`}>
              <td>
                <a href={`#/reconciliation/${d.stmt_date}`}>{d.stmt_date}</a>
              </td>
              <td>{d.groups}</td>
              <td>
                <span className={`state ${d.balanced === d.groups ? 'SETTLED' : 'FAILED'}`}>
                  {d.balanced} / {d.groups}
                </span>
              </td>
              <td>{d.differences}</td>
              <td>
                <span className={`state ${d.open_differences > 0 ? 'WAITING_FOR_PERSON' : 'SETTLED'}`}>
                  {d.open_differences}
                </span>
              </td>
              <td>{d.run}</td>
              <td>
                {d.completed_at ? new Date(d.completed_at).toLocaleString('zh-CN', { hour12: false }) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.items.length === 0 && <p>{t('nothing')}</p>}
      {data && <Pager data={data} setPage={setPage} />}
      <ClearingMonth />
      <Clearing />
    </>
  );
}

/**
 * 按月申请清算: the month's applications as apps/reconciliation holds them (every clr_type × setl_optins with
 * settlements), each applied for or withdrawn by an operator; the service's answer or error shows on the row.
 */
function ClearingMonth() {
  const { t, session } = useDashboard();
  const [month, setMonth] = useState(lastMonth);
  const setlym = month.replace('-', '');
  const { data, error, reload } = useLive<Row[]>(`/api/clearing/month${query({ setlym })}`);
  return (
    <section>
      <h2>{t('clearingOfMonth')}</h2>
      <div className="filters">
        <label>
          {t('setlym')}{' '}
          <input
            type="month"
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            data-testid="clearing-month"
          />
        </label>
      </div>
      {error && (
        <p className="error" data-testid="clearing-month-error">
          {error}
        </p>
      )}
      {data && data.length === 0 && <p>{t('nothing')}</p>}
      <ClearingTable
        testId="clearing-month-applications"
        rows={data ?? []}
        rowTestId={(a) => `month-${a.clr_type}-${a.setl_optins}`}
        stateExtra={(a) => a.pending && <span className="state">{t('callPending')}</span>}
        eventIdExtra={(a) =>
          a.status === 'APPLIED' && (
            <a
              href={`/api/clearing/printout.pdf${query({ setlym, clr_type: a.clr_type, setl_optins: a.setl_optins })}`}
              target="_blank"
              rel="noreferrer"
              data-testid={`printout-${a.clr_type}-${a.setl_optins}`}
            >
              {t('printForm')}
            </a>
          )
        }
        reasons={(a) => a.refusal}
        last={{
          cell: (a) =>
            session.role !== 'viewer' &&
            !a.pending && (
              <ClearingAction
                testId={`${a.status === 'APPLIED' ? 'withdraw' : 'apply'}-${a.clr_type}-${a.setl_optins}`}
                label={a.status === 'APPLIED' ? 'withdrawClearing' : 'applyClearing'}
                route={`/api/clearing/applications${a.status === 'APPLIED' ? '/withdrawal' : ''}`}
                body={{ setlym, clr_type: a.clr_type, setl_optins: a.setl_optins }}
                onAnswer={reload}
              />
            ),
        }}
      />
    </section>
  );
}

/**
 * 清算申请 rows, one per clr_type × setl_optins × scope (the month's with its action; every month's with who
 * acted): the columns both show, and what each adds to the state, the event id, the reasons and the last cell.
 */
function ClearingTable({
  testId,
  rows,
  rowTestId,
  withMonth = false,
  stateExtra,
  eventIdExtra,
  reasons,
  last,
}: {
  testId: string;
  rows: Row[];
  rowTestId: (a: Row) => string;
  withMonth?: boolean;
  stateExtra: (a: Row) => ReactNode;
  eventIdExtra?: (a: Row) => ReactNode;
  reasons: (a: Row) => ReactNode;
  last: { header?: MessageKey; cell: (a: Row) => ReactNode };
}) {
  const { t, l } = useDashboard();
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {withMonth && <th>{t('setlym')}</th>}
          <th>{t('clrType')}</th>
          <th>{t('setlOptins')}</th>
          <th>{t('scope')}</th>
          <th>{t('state')}</th>
          <th>{t('fundApplied')}</th>
          <th>{t('clearingEventId')}</th>
          <th>{t('reasons')}</th>
          <th>{last.header && t(last.header)}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={`${a.setlym}-${a.clr_type}-${a.setl_optins}-${a.scope}`} data-testid={rowTestId(a)}>
            {withMonth && <td>{a.setlym}</td>}
            <td>{l(`clr_type:${a.clr_type}`)}</td>
            <td>{a.setl_optins}</td>
            <td>{l(a.scope)}</td>
            <td data-testid="status">
              <StateTag code={a.status} /> {stateExtra(a)}
            </td>
            <td className="money">{a.declared?.fund_appy_sum}</td>
            <td>
              {a.clr_appy_evt_id} {eventIdExtra?.(a)}
            </td>
            <td data-testid="refusal">{reasons(a)}</td>
            <td>{last.cell(a)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One click: the dashboard asks apps/reconciliation at once; its refusal or fault is shown as it says it. */
function ClearingAction({
  testId,
  label,
  route,
  body,
  onAnswer,
}: {
  testId: string;
  label: 'applyClearing' | 'withdrawClearing';
  route: string;
  body: Row;
  onAnswer: () => void;
}) {
  const { t, expired } = useDashboard();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const send = async () => {
    setBusy(true);
    try {
      await api.post(route, { ...body, request_id: crypto.randomUUID() });
      setOutcome({ ok: true, text: t('clearingDone') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return expired();
      setOutcome({
        ok: false,
        text: err instanceof ApiError && err.status === 403 ? t('forbidden') : String((err as Error).message),
      });
    } finally {
      setBusy(false);
      onAnswer();
    }
  };
  return (
    <span>
      <button className="action" disabled={busy} onClick={send} data-testid={testId}>
        {t(label)}
      </button>
      {outcome && (
        <span className={outcome.ok ? 'notice' : 'error'} data-testid={`${testId}-outcome`}>
          {' '}
          {outcome.text}
        </span>
      )}
    </span>
  );
}

/** 清算申请记录: each month's application per clr_type × setl_optins × scope, and why one was refused. */
function Clearing() {
  const { t } = useDashboard();
  const { data } = useLive<Row[]>('/api/clearing');
  return (
    <section>
      <h2>{t('clearingHistory')}</h2>
      {data && data.length === 0 && <p>{t('nothing')}</p>}
      <ClearingTable
        testId="clearing"
        rows={data ?? []}
        rowTestId={(a) => `clearing-${a.setlym}-${a.scope}`}
        withMonth
        stateExtra={(a) => a.last_event.endsWith('Refused') && <StateTag code={a.last_event} />}
        reasons={(a) => (
          <>
            {a.reason}
            {(a.unreconciled_days ?? []).length > 0 && ` (${a.unreconciled_days.join(', ')})`}
          </>
        )}
        last={{ header: 'who', cell: (a) => a.acted_by }}
      />
    </section>
  );
}

/**
 * One day: each group's totals beside the platform's verdict (3201), each difference (3202 or a 5262 / 5267
 * period check) and its action.
 */
export function ReconciliationDay({ date }: { date: string }) {
  const { t, l } = useDashboard();
  const { data, error } = useLive<Row>(`/api/reconciliation/${date}`);
  if (error) return <p className="error">{error}</p>;
  if (!data) return null;
  return (
    <>
      <div className="filters">
        <a href="#/reconciliation">{t('back')}</a>
        <h2 data-testid="day-title">
          {t('reconciliation')} · {data.stmt_date}
        </h2>
        <ActionButton
          label="reconcileAgain"
          route={`/api/reconciliation/${date}/run`}
          body={{}}
          commentField={null}
          testId="reconcile-again"
        />
        <PeriodCheckButtons date={date} />
      </div>
      <section>
        <h2>{t('groups')}</h2>
        <table data-testid="groups">
          <thead>
            <tr>
              <th>{t('insutype')}</th>
              <th>{t('clrType')}</th>
              <th>{t('setlOptins')}</th>
              <th>{t('ourCount')}</th>
              <th>{t('medfee')}</th>
              <th>{t('fund')}</th>
              <th>{t('acct')}</th>
              <th>{t('platformVerdict')}</th>
            </tr>
          </thead>
          <tbody>
            {(data.groups as Row[]).map((g) => (
              <tr key={`${g.insutype}-${g.clr_type}-${g.setl_optins}`} data-testid={`group-${g.insutype}`}>
                <td>{l(g.insutype)}</td>
                <td>{l(`clr_type:${g.clr_type}`)}</td>
                <td>{g.setl_optins}</td>
                <td>{g.setl_cnt}</td>
                <td className="money">{g.medfee_sumamt}</td>
                <td className="money">{g.fund_pay_sumamt}</td>
                <td className="money">{g.acct_pay}</td>
                <td>
                  <span className={`state ${g.balanced ? 'SETTLED' : 'FAILED'}`}>
                    {t(g.balanced ? 'balanced' : 'unbalanced')}
                  </span>{' '}
                  {g.stmt_rslt_dscr}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="note">{t('platformTotalsNote')}</p>
      </section>
      <section>
        <h2>{t('differences')}</h2>
        {(data.differences as Row[]).length === 0 && <p>{t('nothing')}</p>}
        <table data-testid="differences">
          <thead>
            <tr>
              <th>{t('setlId')}</th>
              <th>{t('kind')}</th>
              <th>{t('suggestedAction')}</th>
              <th>{t('foundBy')}</th>
              <th>{t('ourMedfee')}</th>
              <th>{t('platformMedfee')}</th>
              <th>{t('ourFund')}</th>
              <th>{t('platformFund')}</th>
              <th>{t('state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(data.differences as Row[]).map((d) => (
              <tr key={d.setl_id} data-testid={`difference-${d.setl_id}`}>
                <td>{d.setl_id}</td>
                <td>{l(d.kind)}</td>
                <td>{l(d.suggested_action)}</td>
                <td data-testid="found-by">{l(`found_by:${d.found_by}`)}</td>
                <td className="money">{d.ours_medfee_sumamt ?? '—'}</td>
                <td className="money">{d.platform_medfee_sumamt ?? '—'}</td>
                <td className="money">{d.ours_fund_pay_sumamt ?? '—'}</td>
                <td className="money">{d.platform_fund_pay_sumamt ?? '—'}</td>
                <td data-testid="resolution">
                  {d.resolution ? (
                    <>
                      <StateTag code={d.resolution} /> {d.resolved_by} {d.explanation}
                    </>
                  ) : (
                    <StateTag code="OPEN_DIFFERENCE" />
                  )}
                </td>
                <td>
                  {!d.resolution && d.kind === 'AMOUNTS_DIFFER' && (
                    <ActionButton
                      label="adoptPlatformRecord"
                      route={`/api/reconciliation/${date}/differences/${d.setl_id}/adopt`}
                      body={{}}
                      commentField={null}
                      confirm="confirmAdopt"
                      testId={`adopt-${d.setl_id}`}
                    />
                  )}
                  {!d.resolution && d.kind === 'HOSPITAL_ONLY' && (
                    <ActionButton
                      label="reverseLocally"
                      route={`/api/reconciliation/${date}/differences/${d.setl_id}/reverse`}
                      body={{}}
                      commentField="reason"
                      confirm="confirmReverse"
                      testId={`reverse-${d.setl_id}`}
                    />
                  )}
                  {!d.resolution && (
                    <ActionButton
                      label="explain"
                      route={`/api/reconciliation/${date}/differences/${d.setl_id}/explain`}
                      body={{}}
                      commentField="explanation"
                      testId={`explain-${d.setl_id}`}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
