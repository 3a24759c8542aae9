import { type DashboardTables } from './dashboard-tables';
import { type ApplyContext, type ReadModelHandlers } from './read-model-handlers';

/** Each visit's reports (4101A, 4401, …) and where their upload stands. */
export function reportsReadModel(t: DashboardTables): ReadModelHandlers {
  const report = async (
    x: ApplyContext,
    d: { ipt_no: string; infno: string; report_ref: string },
    fields: Record<string, unknown>,
  ) => {
    const columns = Object.keys(fields);
    await x.m.query(
      `INSERT INTO ${t.reports} (ipt_no, infno, report_ref, updated_at${columns.map((c) => `, ${c}`).join('')})
       VALUES ($1, $2, $3, $4${columns.map((_, i) => `, $${i + 5}`).join('')})
       ON CONFLICT (ipt_no, infno, report_ref) DO UPDATE SET updated_at = EXCLUDED.updated_at
       ${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
      [d.ipt_no, d.infno, d.report_ref, x.at, ...Object.values(fields)],
    );
    x.changed('reports', d.ipt_no);
  };
  return {
    ReportUploaded: (d, x) =>
      report(x, d, { state: 'UPLOADED', reason: null, msgid: d.msgid, will_retry: null }),
    ReportPending: (d, x) => report(x, d, { state: 'PENDING', reason: d.reason, due_date: d.due_date }),
    ReportRejected: (d, x) =>
      report(x, d, {
        state: 'REJECTED',
        reason: d.err_msg,
        msgid: d.msgid ?? null,
        will_retry: d.will_retry,
        attempt: d.attempt,
      }),
  };
}
