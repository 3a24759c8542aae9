import { type Decider } from '@yb/event-store';
import { groupKey } from '../settlement-ledger/ledger-row';
import { type ReconciliationDayCommand } from './reconciliation-day.commands';
import {
  type DifferenceKind,
  type ReconciliationDayEvent,
  type Resolution,
} from './reconciliation-day.events';
import { evolveDay, initialDayState, pairKey, type ReconciliationDayState } from './reconciliation-day.state';

/** A person's action the day cannot take: dead-lettered with this reason. */
export class DayRefusal extends Error {
  override readonly name = 'DayRefusal';
}

/** The kind of difference each person's action applies to. */
const ACTION_KIND: Partial<Record<Resolution, DifferenceKind>> = {
  ADOPTED: 'AMOUNTS_DIFFER',
  REVERSED_LOCALLY: 'HOSPITAL_ONLY',
};

/**
 * Why a person's action on a difference cannot be taken (a difference the day never found, or of another kind),
 * or null. An action on a difference resolved already is not refused: it is a no-op.
 */
export function actionRefusal(
  state: ReconciliationDayState,
  setl_id: string,
  resolution: Resolution,
): string | null {
  const found = state.differences.get(setl_id);
  if (!found) return `no difference of settlement ${setl_id} was found on this day`;
  const kind = ACTION_KIND[resolution];
  if (kind && found.kind !== kind)
    return `settlement ${setl_id} is ${found.kind}; ${resolution} applies to ${kind} only`;
  return null;
}

/** Steps recorded outside a run (a late answer after the run completed) change nothing. */
function decide(command: ReconciliationDayCommand, state: ReconciliationDayState): ReconciliationDayEvent[] {
  const { run } = state;
  switch (command.type) {
    case 'RequestReconciliation': {
      const { requested_by, checks } = command;
      if (!state.running)
        return [
          {
            type: 'ReconciliationRequested',
            data: { run: run + 1, requested_by, ...(checks && { checks: [...new Set(checks)] }) },
          },
        ];
      // A run under way takes on what it lacks (a period check asked while the day's 3201 runs), once.
      const lacking = [...new Set(checks ?? ['3201' as const])].filter((c) => !state.checks.includes(c));
      return lacking.length === 0
        ? []
        : [{ type: 'ReconciliationChecksAdded', data: { run, requested_by, checks: lacking } }];
    }
    case 'RecordGroupCheck': {
      if (!state.running || !state.checks.includes('3201') || state.groups.has(groupKey(command.group)))
        return [];
      const { group, ours, stmt_rslt, stmt_rslt_dscr } = command;
      return [
        {
          type: 'GroupChecked',
          data: {
            run,
            ...group,
            ours,
            // 0 平; every other value (HN's 1 不平, JX's 1/2/3) sends the group to 3202.
            balanced: stmt_rslt === '0',
            stmt_rslt,
            ...(stmt_rslt_dscr !== undefined && { stmt_rslt_dscr }),
          },
        },
      ];
    }
    case 'RecordDetailComparison': {
      if (!state.running || !state.checks.includes('3201') || state.compared.has(pairKey(command))) return [];
      const { clr_type, setl_optins, file_qury_no, result_file_qury_no } = command;
      return [
        { type: 'DetailsCompared', data: { run, clr_type, setl_optins, file_qury_no, result_file_qury_no } },
        ...command.differences.map((difference) => ({
          type: 'DifferenceFound' as const,
          data: { ...difference, run },
        })),
      ];
    }
    case 'RecordPeriodCheck': {
      const { infno, begntime, endtime, listed, ours } = command;
      if (!state.running || !state.checks.includes(infno) || state.periodChecked.has(infno)) return [];
      return [
        { type: 'PeriodChecked', data: { run, infno, begntime, endtime, listed, ours } },
        ...command.differences.map((difference) => ({
          type: 'DifferenceFound' as const,
          data: { ...difference, found_by: infno, run },
        })),
      ];
    }
    case 'RecordStepRefused':
      if (!state.running || state.refused.has(command.subject)) return [];
      return [
        {
          type: 'StepRefused',
          data: { run, infno: command.infno, subject: command.subject, reason: command.reason },
        },
      ];
    case 'RecordResolution': {
      const refusal = actionRefusal(state, command.setl_id, command.resolution);
      if (refusal) throw new DayRefusal(refusal);
      if (state.differences.get(command.setl_id)!.resolved_by !== undefined) return [];
      const { type: _type, ...resolved } = command;
      return [{ type: 'DifferenceResolved', data: resolved }];
    }
    case 'RequestAction': {
      const refusal = actionRefusal(state, command.setl_id, command.action.resolution);
      if (refusal) throw new DayRefusal(refusal);
      const found = state.differences.get(command.setl_id)!;
      if (found.resolved_by !== undefined || found.requested !== undefined) return [];
      return [{ type: 'ActionRequested', data: { setl_id: command.setl_id, ...command.action } }];
    }
    case 'RecordActionRefused': {
      const found = state.differences.get(command.setl_id);
      if (found?.requested === undefined || found.resolved_by !== undefined) return [];
      return [{ type: 'ActionRefused', data: { setl_id: command.setl_id, reason: command.reason } }];
    }
    case 'CompleteRun': {
      if (!state.running) return [];
      const checked = state.checks.includes('3201') ? [...state.groups.values()] : [];
      const found = [...state.differences.values()].filter((d) => d.run === run);
      return [
        {
          type: 'ReconciliationCompleted',
          data: {
            run,
            groups: checked.length,
            balanced: checked.filter((g) => g.balanced).length,
            differences: found.length,
            open_differences: found.filter((d) => d.resolved_by === undefined).length,
          },
        },
      ];
    }
  }
}

/** One settlement day's reconciliation with the platform: runs, their 3201/3202 results and the differences. */
export const ReconciliationDay: Decider<
  ReconciliationDayCommand,
  ReconciliationDayEvent,
  ReconciliationDayState
> = {
  decide,
  evolve: evolveDay,
  initialState: initialDayState,
};
