import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/** Reporting's latest backlog per interface (waiting, overdue, rejected, uploaded today). */
export function reportBacklogReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    ReportBacklogSummarized: async (d, x) => {
      for (const row of d.by_infno) {
        await x.m.query(
          `INSERT INTO ${t.reportBacklog} (infno, run_date, as_of, waiting, overdue, rejected, uploaded_today, reasons)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (infno) DO UPDATE SET run_date = EXCLUDED.run_date, as_of = EXCLUDED.as_of,
             waiting = EXCLUDED.waiting, overdue = EXCLUDED.overdue, rejected = EXCLUDED.rejected,
             uploaded_today = EXCLUDED.uploaded_today, reasons = EXCLUDED.reasons
           WHERE ${t.reportBacklog}.as_of <= EXCLUDED.as_of`,
          [
            row.infno,
            d.run_date,
            d.as_of,
            row.waiting,
            row.overdue,
            row.rejected,
            row.uploaded_today,
            JSON.stringify(row.reasons),
          ],
        );
      }
      x.changed('report-backlog');
    },
  };
}
