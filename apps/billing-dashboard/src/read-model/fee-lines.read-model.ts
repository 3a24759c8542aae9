import { type DashboardTables } from './dashboard-tables';
import { type ApplyContext, type ReadModelHandlers } from './read-model-handlers';

/** Each visit's uploaded fee lines, and the visit's fee total and line count they add up to. */
export function feeLinesReadModel(t: DashboardTables): ReadModelHandlers {
  const refreshFeeTotal = async (x: ApplyContext, ipt_no: string) => {
    await x.m.query(
      `UPDATE ${t.visits} v SET fee_total = f.total, fee_line_count = f.lines
       FROM (SELECT coalesce(sum(det_item_fee_sumamt), 0) AS total, count(*)::int AS lines
             FROM ${t.feeLines} WHERE ipt_no = $1 AND NOT revoked) f
       WHERE v.ipt_no = $1`,
      [ipt_no],
    );
    x.changed('visits', ipt_no);
  };
  return {
    FeeLinesUploaded: async (d, x) => {
      for (const line of d.lines) {
        await x.m.query(
          `INSERT INTO ${t.feeLines} (ipt_no, feedetl_sn, det_item_fee_sumamt, revoked) VALUES ($1, $2, $3, false)
           ON CONFLICT (ipt_no, feedetl_sn) DO UPDATE SET det_item_fee_sumamt = EXCLUDED.det_item_fee_sumamt, revoked = false`,
          [d.ipt_no, line.feedetl_sn, line.det_item_fee_sumamt],
        );
      }
      await refreshFeeTotal(x, d.ipt_no);
    },
    FeeLinesRevoked: async (d, x) => {
      const all = d.feedetl_sns.includes('0000');
      await x.m.query(
        `UPDATE ${t.feeLines} SET revoked = true WHERE ipt_no = $1 AND ($2 OR feedetl_sn = ANY($3))`,
        [d.ipt_no, all, d.feedetl_sns],
      );
      await refreshFeeTotal(x, d.ipt_no);
    },
  };
}
