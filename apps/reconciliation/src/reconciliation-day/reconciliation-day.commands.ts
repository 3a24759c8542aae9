import { type SettlementGroup } from '../settlement-ledger/ledger-row';
import {
  type Difference,
  type DifferenceResolution,
  type GroupTotals,
  type PeriodInfno,
  type PersonAction,
  type RunCheck,
  type StepSubject,
} from './reconciliation-day.events';

/** Commands of one settlement day's reconciliation (stream per stmt_date). */
export type ReconciliationDayCommand =
  /** The schedule after the day closed, or a person (ReconcileDay); `checks` absent: 3201. */
  | { type: 'RequestReconciliation'; requested_by: string; checks?: readonly RunCheck[] }
  | {
      type: 'RecordGroupCheck';
      group: SettlementGroup;
      ours: GroupTotals;
      stmt_rslt: string;
      stmt_rslt_dscr?: string;
    }
  | {
      type: 'RecordDetailComparison';
      clr_type: string;
      setl_optins: string;
      file_qury_no: string;
      result_file_qury_no: string;
      differences: readonly Difference[];
    }
  | {
      type: 'RecordPeriodCheck';
      infno: PeriodInfno;
      begntime: string;
      endtime: string;
      listed: number;
      ours: number;
      differences: readonly Difference[];
    }
  | { type: 'RecordStepRefused'; infno: string; subject: StepSubject; reason: string }
  /**
   * The service adopting the platform's row; a person explaining the difference (with why), adopting the
   * platform's amounts, or reversing our row (with why).
   */
  | ({ type: 'RecordResolution' } & DifferenceResolution)
  /** A person's action, carried out by the worker (off the consumer path, resumed after a restart). */
  | { type: 'RequestAction'; setl_id: string; action: PersonAction }
  /** The worker could not carry it out (5203 refused, the row is gone): the request ends. */
  | { type: 'RecordActionRefused'; setl_id: string; reason: string }
  | { type: 'CompleteRun' };
