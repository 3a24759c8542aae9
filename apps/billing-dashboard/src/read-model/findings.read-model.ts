import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/** Audit findings (3101/3102) and who acknowledged them. */
export function findingsReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    AuditFindingsRaised: async (d, x) => {
      for (const f of d.findings) {
        await x.m.query(
          `INSERT INTO ${t.findings} (ipt_no, jr_id, infno, trig_scen, rule_id, rule_name, vola_cont, vola_amt,
             sev_deg, blocking, raised_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (ipt_no, jr_id) DO UPDATE SET infno = EXCLUDED.infno, trig_scen = EXCLUDED.trig_scen,
             rule_name = EXCLUDED.rule_name, vola_cont = EXCLUDED.vola_cont, vola_amt = EXCLUDED.vola_amt,
             sev_deg = EXCLUDED.sev_deg, blocking = EXCLUDED.blocking`,
          [
            d.ipt_no,
            f.jr_id,
            d.infno,
            d.trig_scen,
            f.rule_id,
            f.rule_name,
            f.vola_cont,
            f.vola_amt,
            f.sev_deg,
            f.blocking,
            x.at,
          ],
        );
      }
      x.changed('findings', d.ipt_no);
    },
    AuditFindingAcknowledged: async (d, x) => {
      await x.m.query(
        `UPDATE ${t.findings} SET acknowledged_by = $3, acknowledged_role = $4, acknowledged_at = $5, ack_comment = $6
         WHERE ipt_no = $1 AND jr_id = $2`,
        [d.ipt_no, d.jr_id, d.acknowledged_by.username, d.acknowledged_by.role, x.at, d.comment],
      );
      x.changed('findings', d.ipt_no);
    },
  };
}
