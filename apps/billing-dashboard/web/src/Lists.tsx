import { useState } from 'react';
import { query, type Paged, type Row } from './api';
import { ActionButton } from './ActionButton';
import { useDashboard, useLive } from './context';

const time = (value: string | null) =>
  value ? new Date(value).toLocaleString('zh-CN', { hour12: false }) : '';

export function StateTag({ code }: { code: string | null }) {
  const { l } = useDashboard();
  return code ? <span className={`state ${code}`}>{l(code)}</span> : null;
}

export function Pager({ data, setPage }: { data: Paged; setPage: (p: number) => void }) {
  const { t } = useDashboard();
  const pages = Math.max(1, Math.ceil(data.total / data.page_size));
  return (
    <div className="filters">
      <button disabled={data.page <= 1} onClick={() => setPage(data.page - 1)}>
        {t('prev')}
      </button>
      <span>
        {data.page} / {pages} ({data.total})
      </span>
      <button disabled={data.page >= pages} onClick={() => setPage(data.page + 1)}>
        {t('next')}
      </button>
    </div>
  );
}

/** The in-hospital list (or every visit), filtered by department, insurance type, state and admission dates. */
export function InHospital() {
  const { t, l } = useDashboard();
  const [filters, setFilters] = useState({
    department: '',
    insutype: '',
    state: '',
    from: '',
    to: '',
    all: false,
  });
  const [page, setPage] = useState(1);
  const route = `/api/visits${query({
    department: filters.department,
    insutype: filters.insutype,
    state: filters.state,
    from: filters.from,
    to: filters.to,
    in_hospital: filters.all ? undefined : 'true',
    page,
  })}`;
  const { data } = useLive<Paged>(route);
  const set = (change: Partial<typeof filters>) => {
    setFilters({ ...filters, ...change });
    setPage(1);
  };
  return (
    <>
      <div className="filters">
        <input
          placeholder={t('department')}
          value={filters.department}
          onChange={(e) => set({ department: e.target.value })}
        />
        <select value={filters.insutype} onChange={(e) => set({ insutype: e.target.value })}>
          <option value="">{t('allInsutypes')}</option>
          <option value="310">{l('310')}</option>
          <option value="390">{l('390')}</option>
        </select>
        <label>
          <input
            type="checkbox"
            checked={filters.all}
            onChange={(e) => set({ all: e.target.checked })}
            data-testid="all-visits"
          />{' '}
          {t('allStates')}
        </label>
        {filters.all && (
          <select value={filters.state} onChange={(e) => set({ state: e.target.value })}>
            <option value="">{t('allStates')}</option>
            {[
              'REGISTERED',
              'DISCHARGED',
              'PRE_SETTLED',
              'SETTLED',
              'SETTLEMENT_FAILED',
              'SETTLEMENT_CANCELLED',
              'REVERSED_LOCALLY',
            ].map((s) => (
              <option key={s} value={s}>
                {l(s)}
              </option>
            ))}
          </select>
        )}
        <label>
          {t('from')}{' '}
          <input type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label>
          {t('to')} <input type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
      </div>
      <table data-testid="visits">
        <thead>
          <tr>
            <th>{t('iptNo')}</th>
            <th>{t('patientId')}</th>
            <th>{t('department')}</th>
            <th>{t('bed')}</th>
            <th>{t('insutype')}</th>
            <th>{t('admittedAt')}</th>
            <th>{t('state')}</th>
            <th>{t('saga')}</th>
            <th>{t('feeTotal')}</th>
            <th>{t('lines')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((v) => (
            <tr key={v.visit_id} data-testid={`visit-${v.ipt_no}`}>
              <td>
                <a href={`#/visits/${v.visit_id}`}>{v.ipt_no}</a>
              </td>
              <td data-testid="certno">{v.mdtrt_cert_no}</td>
              <td>{v.dept_name}</td>
              <td>{v.bed}</td>
              <td>{l(v.insutype)}</td>
              <td>{v.begntime}</td>
              <td>
                <StateTag code={v.state} />
              </td>
              <td>
                <StateTag code={v.saga_state} />
              </td>
              <td className="money" data-testid="fee-total">
                {v.fee_total}
              </td>
              <td>{v.fee_line_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && <Pager data={data} setPage={setPage} />}
    </>
  );
}

/** What needs a person, oldest first. */
export function Queue() {
  const { t, l } = useDashboard();
  const { data } = useLive<Row[]>('/api/queue');
  return (
    <table data-testid="queue">
      <thead>
        <tr>
          <th>{t('kind')}</th>
          <th>{t('iptNo')}</th>
          <th>{t('department')}</th>
          <th>{t('since')}</th>
          <th>{t('detail')}</th>
        </tr>
      </thead>
      <tbody>
        {(data ?? []).length === 0 && (
          <tr>
            <td colSpan={5}>{t('nothing')}</td>
          </tr>
        )}
        {(data ?? []).map((q) => (
          <tr key={`${q.kind}-${q.ipt_no}-${q.ref}`} data-testid={`queue-${q.kind}-${q.ref}`}>
            <td>{l(q.kind)}</td>
            <td>{q.visit_id ? <a href={`#/visits/${q.visit_id}`}>{q.ipt_no}</a> : q.ipt_no}</td>
            <td>{q.dept_name}</td>
            <td>{time(q.since)}</td>
            <td>{q.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The report backlog per interface, then the uploads that wait or were refused. */
export function Reports() {
  const { t } = useDashboard();
  const { data: backlog } = useLive<Row[]>('/api/reports/backlog');
  const [state, setState] = useState('PENDING');
  const { data: reports } = useLive<Paged>(`/api/reports${query({ state, page_size: 100 })}`);
  const runDate = backlog?.[0]?.run_date ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return (
    <>
      <table data-testid="report-backlog">
        <thead>
          <tr>
            <th>{t('infno')}</th>
            <th>{t('waiting')}</th>
            <th>{t('overdue')}</th>
            <th>{t('rejected')}</th>
            <th>{t('uploadedToday')}</th>
            <th>{t('reasons')}</th>
          </tr>
        </thead>
        <tbody>
          {(backlog ?? []).map((b) => (
            <tr key={b.infno}>
              <td>{b.infno}</td>
              <td>{b.waiting}</td>
              <td>{b.overdue}</td>
              <td>{b.rejected}</td>
              <td>{b.uploaded_today}</td>
              <td>{b.reasons.map((r: Row) => `${r.reason} ×${r.count}`).join('；')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="filters">
        <select value={state} onChange={(e) => setState(e.target.value)}>
          <option value="PENDING">{t('waiting')}</option>
          <option value="REJECTED">{t('rejected')}</option>
          <option value="UPLOADED">{t('uploadedToday')}</option>
        </select>
        <ActionButton
          label="runUploads"
          route="/api/reports/run-uploads"
          body={{ run_date: runDate }}
          commentField={null}
          testId="run-uploads"
        />
      </div>
      <table data-testid="reports">
        <thead>
          <tr>
            <th>{t('iptNo')}</th>
            <th>{t('infno')}</th>
            <th>{t('reportRef')}</th>
            <th>{t('state')}</th>
            <th>{t('dueDate')}</th>
            <th>{t('reasons')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(reports?.items ?? []).map((r) => (
            <tr key={`${r.ipt_no}-${r.infno}-${r.report_ref}`}>
              <td>{r.visit_id ? <a href={`#/visits/${r.visit_id}`}>{r.ipt_no}</a> : r.ipt_no}</td>
              <td>{r.infno}</td>
              <td>{r.report_ref}</td>
              <td>
                <StateTag code={r.state} />
              </td>
              <td>{r.due_date}</td>
              <td>{r.reason}</td>
              <td>
                {r.visit_id && r.state !== 'UPLOADED' && (
                  <ActionButton
                    label="rerunReport"
                    route={`/api/visits/${r.visit_id}/reports/rerun`}
                    body={{ infno: r.infno, report_ref: r.report_ref }}
                    testId={`rerun-${r.infno}-${r.report_ref}`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Who asked for which action, when. */
export function OperatorActionsPage() {
  const { t, l } = useDashboard();
  const [page, setPage] = useState(1);
  const { data } = useLive<Paged>(`/api/operator-actions${query({ page })}`);
  return (
    <>
      <table data-testid="operator-actions">
        <thead>
          <tr>
            <th>{t('time')}</th>
            <th>{t('who')}</th>
            <th>{t('role')}</th>
            <th>{t('event')}</th>
            <th>{t('iptNo')}</th>
            <th>{t('detail')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((a) => (
            <tr key={a.message_id}>
              <td>{time(a.requested_at)}</td>
              <td>{a.requested_by}</td>
              <td>{l(a.requested_role)}</td>
              <td>{a.command_type}</td>
              <td>{a.visit_id ? <a href={`#/visits/${a.visit_id}`}>{a.ipt_no}</a> : a.ipt_no}</td>
              <td>
                {Object.entries(a.target)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join('；')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && <Pager data={data} setPage={setPage} />}
    </>
  );
}
