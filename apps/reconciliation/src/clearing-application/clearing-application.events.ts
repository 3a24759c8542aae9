import { type CLEARING_REFUSERS, type CLEARING_SCOPES, type Operator } from '@yb/contracts';

export type ClearingScope = (typeof CLEARING_SCOPES)[number];
export type ClearingRefuser = (typeof CLEARING_REFUSERS)[number];

/** One month's clearing application: what it is made for (stream per setlym × clr_type × setl_optins). */
export interface ClearingSubject {
  readonly setlym: string;
  readonly clr_type: string;
  readonly setl_optins: string;
}

/** The month's totals declared in an application (3202A / 1608's amounts), from our ledger. */
export interface DeclaredTotals {
  readonly psntime: number;
  readonly medfee_sumamt: string;
  readonly med_sumfee: string;
  readonly fund_appy_sum: string;
  readonly cash_payamt: string;
  readonly acct_pay: string;
}

/** The platform's own record (3205A) of an application whose answer we never read. */
export interface RecoveredApplication {
  readonly infno: string;
  readonly clr_stas?: string;
  readonly opt_time?: string;
  /** The re-sent application's refusal that the record explains. */
  readonly refusal: string;
}

/**
 * The platform's confirmation (3205A no longer listing the application) of a withdrawal whose answer was lost
 * and whose re-sending was refused.
 */
export interface ConfirmedWithdrawal {
  readonly infno: string;
  /** The re-sent withdrawal's refusal that the confirmation explains. */
  readonly refusal: string;
}

/** How far the month is reconciled, as the workflow read it from the days' reconciliations. */
export interface MonthReconciliation {
  /** Days with settlements of the application not reconciled (never, still running, a group unbalanced and its details never compared). */
  readonly unreconciled_days: readonly string[];
  /** Differences of those days, of this clr_type × setl_optins, that nobody resolved. */
  readonly open_differences: number;
}

export type ClearingApplicationEvent =
  | {
      type: 'ApplicationRequested';
      data: ClearingSubject & {
        scope: ClearingScope;
        infno: string;
        begndate: string;
        enddate: string;
        declared: DeclaredTotals;
        requested_by: Operator;
      };
    }
  /**
   * An application's or a withdrawal's call went unanswered (timeout, reset): the platform may have done it;
   * the worker asks again.
   */
  | { type: 'ApplicationAnswerLost'; data: { infno: string; msgid: string; reason: string } }
  | {
      type: 'Applied';
      data: {
        infno: string;
        clr_appy_evt_id: string;
        applied_by: Operator;
        /** The platform's record of an application whose answer was lost, found after its re-sending was refused. */
        recovered_by?: RecoveredApplication;
      };
    }
  | {
      type: 'ApplicationRefused';
      data: MonthReconciliation & {
        scope: ClearingScope;
        refused_by: ClearingRefuser;
        reason: string;
        requested_by: Operator;
      };
    }
  | { type: 'WithdrawalRequested'; data: { infno: string; requested_by: Operator } }
  | {
      type: 'Withdrawn';
      data: {
        infno: string;
        clr_appy_evt_id: string;
        withdrawn_by: Operator;
        /** A withdrawal whose answer was lost, confirmed after its re-sending was refused. */
        confirmed_by?: ConfirmedWithdrawal;
      };
    }
  | {
      type: 'WithdrawalRefused';
      data: { refused_by: ClearingRefuser; reason: string; requested_by: Operator };
    };
