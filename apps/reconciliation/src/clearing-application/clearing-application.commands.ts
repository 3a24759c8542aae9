import { type Operator } from '@yb/contracts';
import {
  type RecoveredApplication,
  type ClearingScope,
  type ConfirmedWithdrawal,
  type ClearingSubject,
  type DeclaredTotals,
  type MonthReconciliation,
} from './clearing-application.events';

/** Commands of one month's clearing application; the workflow reads the ledger and the days for the first. */
export type ClearingApplicationCommand =
  /** The billing office asks; the month's reconciliation and our totals as read now. */
  | {
      type: 'ApplyForClearing';
      subject: ClearingSubject;
      scope: ClearingScope;
      begndate: string;
      enddate: string;
      declared: DeclaredTotals;
      reconciliation: MonthReconciliation;
      requested_by: Operator;
    }
  | { type: 'RecordAnswerLost'; msgid: string; reason: string }
  | { type: 'RecordApplied'; clr_appy_evt_id: string; recovered_by?: RecoveredApplication }
  | { type: 'RecordApplicationRefused'; reason: string }
  | { type: 'WithdrawApplication'; requested_by: Operator }
  | { type: 'RecordWithdrawn'; confirmed_by?: ConfirmedWithdrawal }
  | { type: 'RecordWithdrawalRefused'; reason: string };
