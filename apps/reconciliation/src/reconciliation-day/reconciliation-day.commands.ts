import { type SettlementGroup } from '../settlement-ledger/ledger-row';
import {
  type Difference,
  type GroupTotals,
  type PeriodInfno,
  type Resolution,
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
  /** The service adopting the platform's row, or a person explaining the difference (with why). */
  | {
      type: 'RecordResolution';
      setl_id: string;
      resolution: Resolution;
      resolved_by: string;
      explanation?: string;
    }
  | { type: 'CompleteRun' };
