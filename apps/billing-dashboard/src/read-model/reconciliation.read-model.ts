import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/** 对账: each day's groups (3201), the differences 3202 or a 5262 / 5267 period check found (差账) and how each was resolved, the run's end. */
export function reconciliationReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    ReconciliationGroupChecked: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.reconciliationGroups} (stmt_date, insutype, clr_type, setl_optins, run, setl_cnt,
           medfee_sumamt, fund_pay_sumamt, acct_pay, balanced, stmt_rslt, stmt_rslt_dscr, checked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (stmt_date, insutype, clr_type, setl_optins) DO UPDATE SET run = EXCLUDED.run,
           setl_cnt = EXCLUDED.setl_cnt, medfee_sumamt = EXCLUDED.medfee_sumamt,
           fund_pay_sumamt = EXCLUDED.fund_pay_sumamt, acct_pay = EXCLUDED.acct_pay, balanced = EXCLUDED.balanced,
           stmt_rslt = EXCLUDED.stmt_rslt, stmt_rslt_dscr = EXCLUDED.stmt_rslt_dscr, checked_at = EXCLUDED.checked_at
         WHERE ${t.reconciliationGroups}.run <= EXCLUDED.run`,
        [
          d.stmt_date,
          d.insutype,
          d.clr_type,
          d.setl_optins,
          d.run,
          d.ours.fixmedins_setl_cnt,
          d.ours.medfee_sumamt,
          d.ours.fund_pay_sumamt,
          d.ours.acct_pay,
          d.balanced,
          d.stmt_rslt,
          d.stmt_rslt_dscr ?? null,
          x.at,
        ],
      );
      x.changed('reconciliation');
    },
    ReconciliationDifferenceFound: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.reconciliationDifferences} (stmt_date, setl_id, run, insutype, clr_type, setl_optins, kind,
           suggested_action, refd_setl_flag, mdtrt_id, msgid, ours_medfee_sumamt, ours_fund_pay_sumamt,
           ours_acct_pay, platform_medfee_sumamt, platform_fund_pay_sumamt, platform_acct_pay, found_at, found_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         ON CONFLICT (stmt_date, setl_id) DO UPDATE SET run = EXCLUDED.run, insutype = EXCLUDED.insutype,
           kind = EXCLUDED.kind, suggested_action = EXCLUDED.suggested_action, found_by = EXCLUDED.found_by,
           ours_medfee_sumamt = EXCLUDED.ours_medfee_sumamt, ours_fund_pay_sumamt = EXCLUDED.ours_fund_pay_sumamt,
           ours_acct_pay = EXCLUDED.ours_acct_pay, platform_medfee_sumamt = EXCLUDED.platform_medfee_sumamt,
           platform_fund_pay_sumamt = EXCLUDED.platform_fund_pay_sumamt,
           platform_acct_pay = EXCLUDED.platform_acct_pay
         WHERE ${t.reconciliationDifferences}.run <= EXCLUDED.run`,
        [
          d.stmt_date,
          d.setl_id,
          d.run,
          d.insutype ?? null,
          d.clr_type,
          d.setl_optins,
          d.kind,
          d.suggested_action,
          d.refd_setl_flag,
          d.mdtrt_id ?? null,
          d.msgid ?? null,
          d.ours?.medfee_sumamt ?? null,
          d.ours?.fund_pay_sumamt ?? null,
          d.ours?.acct_pay ?? null,
          d.platform?.medfee_sumamt ?? null,
          d.platform?.fund_pay_sumamt ?? null,
          d.platform?.acct_pay ?? null,
          x.at,
          d.found_by ?? '3202',
        ],
      );
      x.changed('reconciliation');
    },
    ReconciliationDifferenceResolved: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.reconciliationDifferences} SET resolution = $3, resolved_by = $4, explanation = $5,
           resolved_at = $6 WHERE stmt_date = $1 AND setl_id = $2`,
        [d.stmt_date, d.setl_id, d.resolution, d.resolved_by, d.explanation ?? null, x.at],
      );
      x.changed('reconciliation');
    },
    ReconciliationCompleted: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.reconciliationRuns} (stmt_date, run, groups, balanced, differences, open_differences,
           completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (stmt_date) DO UPDATE SET run = EXCLUDED.run, groups = EXCLUDED.groups,
           balanced = EXCLUDED.balanced, differences = EXCLUDED.differences,
           open_differences = EXCLUDED.open_differences, completed_at = EXCLUDED.completed_at
         WHERE ${t.reconciliationRuns}.run <= EXCLUDED.run`,
        [d.stmt_date, d.run, d.groups, d.balanced, d.differences, d.open_differences, x.at],
      );
      x.changed('reconciliation');
    },
  };
}
