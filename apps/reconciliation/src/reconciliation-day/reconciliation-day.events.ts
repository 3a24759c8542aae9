import {
  type DIFFERENCE_FINDERS,
  type DIFFERENCE_KINDS,
  type RECONCILIATION_CHECKS,
  type RESOLUTIONS,
  type SUGGESTED_ACTIONS,
  type Operator,
} from '@yb/contracts';
import { type SettlementGroup } from '../settlement-ledger/ledger-row';

/** Our totals of one group for the day, as 3201 is sent them. */
export interface GroupTotals {
  readonly fixmedins_setl_cnt: number;
  readonly medfee_sumamt: string;
  readonly fund_pay_sumamt: string;
  readonly acct_pay: string;
}

export interface RowAmounts {
  readonly medfee_sumamt: string;
  readonly fund_pay_sumamt: string;
  readonly acct_pay: string;
}

export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];
export type SuggestedAction = (typeof SUGGESTED_ACTIONS)[number];
export type Resolution = (typeof RESOLUTIONS)[number];
/** What a run asks: 3201 (and 3202 where unbalanced), Hubei's 5262 / 5267 period checks. */
export type RunCheck = (typeof RECONCILIATION_CHECKS)[number];
export type PeriodInfno = Exclude<RunCheck, '3201'>;
export type DifferenceFinder = (typeof DIFFERENCE_FINDERS)[number];

/** One settlement row that differs between our ledger and the platform's (3202's result file). */
export interface Difference {
  readonly setl_id: string;
  readonly clr_type: string;
  readonly setl_optins: string;
  readonly insutype?: string;
  readonly kind: DifferenceKind;
  readonly suggested_action: SuggestedAction;
  /** Which comparison found it (absent in days recorded before the period checks: 3202). */
  readonly found_by?: DifferenceFinder;
  readonly refd_setl_flag: '0' | '1';
  readonly mdtrt_id?: string;
  readonly psn_no?: string;
  /** The platform's msgid of the row (2601's omsgid for a row only the platform holds). */
  readonly msgid?: string;
  readonly ours?: RowAmounts;
  readonly platform?: RowAmounts;
}

/** The visit of a row a person reversed in our books (what the settlement saga is told). */
export interface ReversedRow {
  readonly ipt_no: string;
  readonly mdtrt_id: string;
  readonly refd_setl_flag: '0' | '1';
}

/** How a difference was resolved, by whom (the service, or a person with the role the dashboard checked). */
export interface DifferenceResolution {
  readonly setl_id: string;
  readonly resolution: Resolution;
  readonly resolved_by: string;
  readonly role?: Operator['role'];
  /** A person's reason (explained, reversed). */
  readonly explanation?: string;
  /** The row reversed in our books (REVERSED_LOCALLY): what the settlement saga is told. */
  readonly reversed?: ReversedRow;
}

/**
 * A person's action on a difference: adopt the platform's amounts (AMOUNTS_DIFFER), or reverse our row in our
 * books (HOSPITAL_ONLY; the visit's row as it was when asked, whose ledger the worker changes).
 */
export type PersonAction =
  | { resolution: 'ADOPTED'; requested_by: Operator }
  | { resolution: 'REVERSED_LOCALLY'; requested_by: Operator; reason: string; reversed: ReversedRow };

/** A 3201 group or a 3202 pair (clr_type × setl_optins), as a step's subject. */
export type StepSubject = string;

export type ReconciliationDayEvent =
  /** `checks` absent: 3201 (days recorded before the period checks). */
  | {
      type: 'ReconciliationRequested';
      data: { run: number; requested_by: string; checks?: readonly RunCheck[] };
    }
  /** A request while a run is under way: the run takes on the checks it lacked. */
  | {
      type: 'ReconciliationChecksAdded';
      data: { run: number; requested_by: string; checks: readonly RunCheck[] };
    }
  /** 5262 / 5267: the platform's list of the window (every page) compared with our rows of the same scope. */
  | {
      type: 'PeriodChecked';
      data: {
        run: number;
        infno: PeriodInfno;
        begntime: string;
        endtime: string;
        listed: number;
        ours: number;
      };
    }
  | {
      type: 'GroupChecked';
      data: SettlementGroup & {
        run: number;
        ours: GroupTotals;
        balanced: boolean;
        stmt_rslt: string;
        stmt_rslt_dscr?: string;
      };
    }
  | {
      type: 'DetailsCompared';
      data: {
        run: number;
        clr_type: string;
        setl_optins: string;
        file_qury_no: string;
        result_file_qury_no: string;
      };
    }
  | { type: 'DifferenceFound'; data: Difference & { run: number } }
  | {
      type: 'DifferenceResolved';
      data: DifferenceResolution;
    }
  /** A person's action on a difference, for the worker to carry out (5203 and our row, or our row reversed). */
  | { type: 'ActionRequested'; data: PersonAction & { setl_id: string } }
  /** The action could not be carried out (e.g. 5203 refused): it ends, a person may ask again. */
  | { type: 'ActionRefused'; data: { setl_id: string; reason: string } }
  /** The platform refused a step (infcode ≠ 0): the run goes on without it, a person sees why. */
  | { type: 'StepRefused'; data: { run: number; infno: string; subject: StepSubject; reason: string } }
  | {
      type: 'ReconciliationCompleted';
      data: { run: number; groups: number; balanced: number; differences: number; open_differences: number };
    };
