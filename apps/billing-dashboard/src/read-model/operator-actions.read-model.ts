import { type DashboardTables } from './dashboard-tables';
import { type ReadModelHandlers } from './read-model-handlers';

/** What people asked for from the dashboard, by whom (the commands left through the outbox). */
export function operatorActionsReadModel(t: DashboardTables): ReadModelHandlers {
  return {
    OperatorActionRequested: async (action, x) => {
      await x.m.query(
        `INSERT INTO ${t.operatorActions}
           (message_id, action, command_type, topic, ipt_no, target, requested_by, requested_role, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (message_id) DO NOTHING`,
        [
          action.message_id,
          action.action,
          action.command_type,
          action.topic,
          action.ipt_no,
          JSON.stringify(action.target),
          action.requested_by.username,
          action.requested_by.role,
          x.at,
        ],
      );
      x.changed('operator-actions', action.ipt_no);
    },
  };
}
