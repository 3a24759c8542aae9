import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/** The settlement sagas: each one's state and step, and the saga state on its visit. */
export function sagasReadModel(t: DashboardTables): ReadModelHandlers {
  const upsert = `INSERT INTO ${t.sagas} (saga_id, ipt_no, state, step, status, detail, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (saga_id) DO UPDATE SET state = EXCLUDED.state, step = EXCLUDED.step, status = EXCLUDED.status,
      detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at`;
  return {
    // A result that ends a saga without a progress event of its own moves the visit's latest saga.
    SettlementFailed: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.sagas} s SET state = 'FAILED', step = $2, detail = $3, updated_at = $4
         FROM ${t.visits} v WHERE v.ipt_no = $1 AND s.saga_id = v.saga_id`,
        [d.ipt_no, d.step, d.reason, x.at],
      );
      await x.m.query(
        `UPDATE ${t.visits} SET saga_state = 'FAILED' WHERE ipt_no = $1 AND saga_id IS NOT NULL`,
        [d.ipt_no],
      );
      x.changed('sagas', d.ipt_no);
    },
    SettlementSagaProgressed: async (d, x) => {
      await x.m.query(upsert, [d.saga_id, d.ipt_no, d.saga_state, d.step, d.status, d.detail, x.at]);
      x.changed('sagas', d.ipt_no);
    },
    SettlementCompensationFailed: async (d, x) => {
      const step =
        d.compensation === '2305'
          ? 'SETTLEMENT_CANCEL'
          : d.compensation === '2405'
            ? 'DISCHARGE_UNDO'
            : 'REVERSAL';
      await x.m.query(upsert, [
        d.saga_id,
        d.ipt_no,
        'COMPENSATION_FAILED',
        step,
        'REJECTED',
        d.suggested_action,
        x.at,
      ]);
      await x.m.query(`UPDATE ${t.visits} SET saga_state = 'COMPENSATION_FAILED' WHERE ipt_no = $1`, [
        d.ipt_no,
      ]);
      x.changed('sagas', d.ipt_no);
    },
  };
}
