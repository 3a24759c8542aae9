import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/** Platform calls per minute, service and interface: counts, refusals, unknown outcomes, durations. */
export function platformHealthReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    PlatformCallCompleted: async (d, x) => {
      const failed = d.outcome === 'REJECTED' ? 1 : 0;
      const unknown = d.outcome === 'UNKNOWN' ? 1 : 0;
      await x.m.query(
        `INSERT INTO ${t.platformCalls} (minute, service, infno, calls, rejected, unknown, total_ms, max_ms)
         VALUES (date_trunc('minute', $1::timestamptz), $2, $3, 1, $4, $5, $6, $6)
         ON CONFLICT (minute, service, infno) DO UPDATE SET calls = ${t.platformCalls}.calls + 1,
           rejected = ${t.platformCalls}.rejected + EXCLUDED.rejected,
           unknown = ${t.platformCalls}.unknown + EXCLUDED.unknown,
           total_ms = ${t.platformCalls}.total_ms + EXCLUDED.total_ms,
           max_ms = greatest(${t.platformCalls}.max_ms, EXCLUDED.max_ms)`,
        [x.at, d.service, d.infno, failed, unknown, d.duration_ms],
      );
      x.changed('platform-health');
    },
  };
}
