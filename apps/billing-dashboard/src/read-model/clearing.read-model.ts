import { type DataOf } from '@yb/contracts';
import { type DashboardTables } from './dashboard-tables';
import { type ApplyContext, type ReadModelHandlers } from './read-model-handlers';

type ClearingMessage =
  | DataOf<'ClearingApplied'>
  | DataOf<'ClearingApplicationRefused'>
  | DataOf<'ClearingApplicationWithdrawn'>
  | DataOf<'ClearingWithdrawalRefused'>;

/**
 * 清算申请: each application (month × clr_type × setl_optins × scope) as its latest message left it; a refusal
 * keeps the application's event id and declared totals (the status it names is the one that stands).
 */
export function clearingReadModel(t: DashboardTables): ReadModelHandlers {
  const upsert = async (event: string, d: ClearingMessage, x: ApplyContext) => {
    const field = <K extends string>(key: K) => (d as Partial<Record<K, unknown>>)[key];
    const who =
      field<'applied_by' | 'withdrawn_by' | 'requested_by'>('applied_by') ??
      field('withdrawn_by') ??
      field('requested_by');
    await x.m.query(
      `INSERT INTO ${t.clearingApplications} (setlym, clr_type, setl_optins, scope, status, last_event, infno,
         clr_appy_evt_id, begndate, enddate, declared, refused_by, reason, unreconciled_days, open_differences,
         acted_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (setlym, clr_type, setl_optins, scope) DO UPDATE SET status = EXCLUDED.status,
         last_event = EXCLUDED.last_event, infno = coalesce(EXCLUDED.infno, ${t.clearingApplications}.infno),
         clr_appy_evt_id = coalesce(EXCLUDED.clr_appy_evt_id, ${t.clearingApplications}.clr_appy_evt_id),
         begndate = coalesce(EXCLUDED.begndate, ${t.clearingApplications}.begndate),
         enddate = coalesce(EXCLUDED.enddate, ${t.clearingApplications}.enddate),
         declared = coalesce(EXCLUDED.declared, ${t.clearingApplications}.declared),
         refused_by = EXCLUDED.refused_by, reason = EXCLUDED.reason,
         unreconciled_days = EXCLUDED.unreconciled_days, open_differences = EXCLUDED.open_differences,
         acted_by = EXCLUDED.acted_by, updated_at = EXCLUDED.updated_at`,
      [
        d.setlym,
        d.clr_type,
        d.setl_optins,
        d.scope,
        d.status,
        event,
        field('infno') ?? null,
        field('clr_appy_evt_id') ?? null,
        field('begndate') ?? null,
        field('enddate') ?? null,
        field('declared') ? JSON.stringify(field('declared')) : null,
        field('refused_by') ?? null,
        field('reason') ?? null,
        field('unreconciled_days') ?? null,
        field('open_differences') ?? null,
        (who as { username: string } | undefined)?.username ?? null,
        x.at,
      ],
    );
    x.changed('clearing');
  };
  return {
    ClearingApplied: (d, x) => upsert('ClearingApplied', d, x),
    ClearingApplicationRefused: (d, x) => upsert('ClearingApplicationRefused', d, x),
    ClearingApplicationWithdrawn: (d, x) => upsert('ClearingApplicationWithdrawn', d, x),
    ClearingWithdrawalRefused: (d, x) => upsert('ClearingWithdrawalRefused', d, x),
  };
}
