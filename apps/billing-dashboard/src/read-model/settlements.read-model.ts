import { type DashboardTables } from './dashboard-tables';
import { dateOf, type ReadModelHandlers } from './read-model-handlers';

/**
 * SQL: the settlement (columns of `alias`, else unqualified) still stands: neither cancelled on the platform (2305)
 * nor reversed in our books (本地冲销).
 */
export const standingSettlement = (alias?: string) => {
  const column = alias ? `${alias}.` : '';
  return `(${column}cancelled_by IS NULL AND ${column}reversed_locally_at IS NULL)`;
};

/** Settlements with each fund's share, and which later settlement cancelled them or who reversed them locally. */
export function settlementsReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    Settled: async (d, x) => {
      await x.m.query(
        `INSERT INTO ${t.settlements} (setl_id, ipt_no, mdtrt_id, setl_time, setl_on, mid_setl_flag, medfee_sumamt,
           fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, hifp_pay, fund_pay_sumamt, acct_pay,
           psn_cash_pay, hosp_part_amt, fund_shares)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (setl_id) DO NOTHING`,
        [
          d.setl_id,
          d.ipt_no,
          d.mdtrt_id,
          d.setl_time,
          dateOf(d.setl_time),
          d.mid_setl_flag,
          d.medfee_sumamt,
          d.fulamt_ownpay_amt,
          d.overlmt_selfpay,
          d.preselfpay_amt,
          d.inscp_scp_amt,
          d.hifp_pay,
          d.fund_pay_sumamt,
          d.acct_pay,
          d.psn_cash_pay,
          d.hosp_part_amt ?? null,
          JSON.stringify(d.fund_shares),
        ],
      );
      x.changed('settlements', d.ipt_no);
    },
    PlatformSlipPrinted: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.settlements} SET platform_slip = decode($2, 'base64'), platform_slip_type = $3,
           platform_slip_filename = $4, platform_slip_problem = NULL WHERE setl_id = $1`,
        [d.setl_id, d.document_base64, d.content_type, d.filename],
      );
      x.changed('settlements', d.ipt_no);
    },
    // Shown to a person until the slip comes (a retry) or for good (given up): the settlement itself stands.
    PlatformSlipUnavailable: async (d, x) => {
      const problem = `${d.retrying ? '稍后自动重试' : '已停止重试，请人工处理'}（第${d.attempts}次）：${d.reason}`;
      await x.m.query(
        `UPDATE ${t.settlements} SET platform_slip_problem = $2 WHERE setl_id = $1 AND platform_slip IS NULL`,
        [d.setl_id, problem],
      );
      x.changed('settlements', d.ipt_no);
    },
    SettlementCancelled: async (d, x) => {
      await x.m.query(`UPDATE ${t.settlements} SET cancelled_by = $2, cancelled_at = $3 WHERE setl_id = $1`, [
        d.init_setl_id,
        d.setl_id,
        x.at,
      ]);
      x.changed('settlements', d.ipt_no);
    },
    // The first reversal recorded stands (a redelivery changes nothing).
    SettlementLocalReversalRecorded: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.settlements} SET reversed_locally_at = $2, reversed_locally_by = $3, reversed_locally_reason = $4
         WHERE setl_id = $1 AND reversed_locally_at IS NULL`,
        [d.setl_id, x.at, d.reversed_by.username, d.reason],
      );
      x.changed('settlements', d.ipt_no);
    },
  };
}
