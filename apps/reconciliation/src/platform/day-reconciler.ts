import { type ProjectionRunner } from '@yb/event-store';
import { shanghaiDateTime } from '@yb/platform-client';
import Decimal from 'decimal.js';
import { groupKey, type LedgerRow } from '../settlement-ledger/ledger-row';
import { type LedgerRows } from '../settlement-ledger/ledger-rows';
import { type SettlementLedgerWorkflow } from '../settlement-ledger/settlement-ledger-workflow';
import { compareDetails, comparePeriod, totalsOf } from './compare-details';
import { dayWindow, type SettlementWindowSource } from './settlement-window';
import { type StatementCalls } from './statement-calls';
import {
  nextReconciliationStep,
  type ReconciliationStep,
} from '../reconciliation-day/next-reconciliation-step';
import { type ReconciliationDayWorkflow } from '../reconciliation-day/reconciliation-day-workflow';
import { pairKey } from '../reconciliation-day/reconciliation-day.state';

/** Who the service records as having resolved what it resolves itself. */
export const SERVICE_ACTOR = 'reconciliation';

/**
 * Drives a settlement day's run with the platform, one recorded step at a time, so that a crash or a restart
 * resumes after the last step recorded: 3201 per group, 3202 (9101 → 3202 → 9102) per unbalanced
 * clr_type × setl_optins, Hubei's 5262 / 5267 of the day's window (our rows of its scope compared by setl_id),
 * 5203 and adoption for each row only the platform holds, then the run's end. Run by
 * the worker, off the consumer path; a platform that cannot be asked makes the run wait (the worker retries).
 */
export class DayReconciler {
  constructor(
    private readonly days: ReconciliationDayWorkflow,
    private readonly ledgers: SettlementLedgerWorkflow,
    private readonly rows: LedgerRows,
    private readonly projection: Pick<ProjectionRunner, 'catchUp'>,
    private readonly platform: StatementCalls,
    private readonly periods: SettlementWindowSource,
    /** Our own area (NHSA_MDTRTAREA_ADMVS): its agency's rows are 5262's, every other agency's 5267's. */
    private readonly ownArea: string,
  ) {}

  async drive(stmt_date: string): Promise<void> {
    for (;;) {
      const { state, version } = await this.days.load(stmt_date);
      // Every settlement recorded so far (and every row adopted by the previous step) is in the totals.
      await this.projection.catchUp();
      const step = nextReconciliationStep(state, await this.rows.knownGroups());
      if (step === null) {
        await this.days.clearOwed(stmt_date, version);
        return;
      }
      await this.perform(stmt_date, step);
    }
  }

  private async perform(stmt_date: string, step: ReconciliationStep): Promise<void> {
    switch (step.kind) {
      case 'check-group': {
        const { group } = step;
        const totals = totalsOf(await this.rows.rowsOf(stmt_date, group));
        const answer = await this.platform.checkTotals(stmt_date, group, totals);
        const { cash_payamt: _cash, ...ours } = totals;
        await this.days.execute(
          stmt_date,
          answer.kind === 'answered'
            ? { type: 'RecordGroupCheck', group, ours, ...answer.value }
            : { type: 'RecordStepRefused', infno: '3201', subject: groupKey(group), reason: answer.reason },
        );
        return;
      }
      case 'compare-details': {
        const pair = { clr_type: step.clr_type, setl_optins: step.setl_optins };
        const rows = await this.rows.rowsOf(stmt_date, pair);
        const answer = await this.platform.compareDetails(stmt_date, pair, rows, totalsOf(rows));
        await this.days.execute(
          stmt_date,
          answer.kind === 'answered'
            ? {
                type: 'RecordDetailComparison',
                ...pair,
                file_qury_no: answer.value.file_qury_no,
                result_file_qury_no: answer.value.result_file_qury_no,
                differences: compareDetails(pair, rows, answer.value.result),
              }
            : { type: 'RecordStepRefused', infno: '3202', subject: pairKey(pair), reason: answer.reason },
        );
        return;
      }
      case 'check-period': {
        const { infno } = step;
        const window = dayWindow(stmt_date);
        const answer = await this.periods.list(infno, window);
        if (answer.kind === 'refused') {
          await this.days.execute(stmt_date, {
            type: 'RecordStepRefused',
            infno,
            subject: infno,
            reason: answer.reason,
          });
          return;
        }
        const local = infno === '5262';
        const ours = (await this.rows.rowsOf(stmt_date)).filter(
          (row) => (row.setl_optins === this.ownArea) === local,
        );
        await this.days.execute(stmt_date, {
          type: 'RecordPeriodCheck',
          infno,
          ...window,
          listed: answer.value.length,
          ours: ours.length,
          differences: comparePeriod(ours, answer.value),
        });
        return;
      }
      case 'look-up':
        await this.adoptPlatformRow(stmt_date, step.setl_id);
        return;
      case 'person-action':
        await this.carryOut(stmt_date, step.setl_id);
        return;
      case 'complete':
        await this.days.execute(stmt_date, { type: 'CompleteRun' });
        return;
    }
  }

  /**
   * A person's action on a difference, recorded with who asked: our row reversed in the visit's ledger (nothing
   * sent to the platform), or the platform's record of a row whose amounts differ adopted — 5203 gives the
   * platform's amounts, our row takes them (both sides' kept) — then the difference resolved by that person.
   */
  private async carryOut(stmt_date: string, setl_id: string): Promise<void> {
    const action = (await this.days.load(stmt_date)).state.differences.get(setl_id)!.requested!;
    const by = action.requested_by;
    const at = shanghaiDateTime(new Date());
    const resolved = {
      type: 'RecordResolution',
      setl_id,
      resolution: action.resolution,
      resolved_by: by.username,
      role: by.role,
    } as const;
    if (action.resolution === 'REVERSED_LOCALLY') {
      const { reason, reversed } = action;
      await this.ledgers.apply(reversed.ipt_no, { type: 'ReverseLocally', setl_id, reason, by, at });
      await this.days.execute(stmt_date, { ...resolved, explanation: reason, reversed });
      return;
    }
    const refuse = (reason: string) =>
      this.days.execute(stmt_date, { type: 'RecordActionRefused', setl_id, reason });
    const ours = await this.rows.rowOf(setl_id);
    if (!ours) return void (await refuse(`settlement ${setl_id} is no longer in our ledger`));
    const answer = await this.platform.settlement(
      stmt_date,
      { psn_no: ours.psn_no, setl_id, mdtrt_id: ours.mdtrt_id },
      ours.setl_optins,
    );
    if (answer.kind === 'refused') return void (await refuse(answer.reason));
    const s = answer.value.setlinfo;
    if (s.setl_id !== setl_id) return void (await refuse(`5203 answered settlement ${s.setl_id}`));
    await this.ledgers.apply(ours.ipt_no, {
      type: 'AdoptPlatformAmounts',
      setl_id,
      platform: {
        medfee_sumamt: s.medfee_sumamt,
        fund_pay_sumamt: s.fund_pay_sumamt,
        acct_pay: s.acct_pay,
        cash_payamt: s.cash_payamt ?? ours.cash_payamt,
      },
      by,
      at,
    });
    await this.days.execute(stmt_date, resolved);
  }

  /** A row only the platform holds: 5203 confirms it, and it joins the visit's ledger as the platform has it. */
  private async adoptPlatformRow(stmt_date: string, setl_id: string): Promise<void> {
    const difference = (await this.days.load(stmt_date)).state.differences.get(setl_id)!;
    const refuse = (reason: string) =>
      this.days.execute(stmt_date, { type: 'RecordStepRefused', infno: '5203', subject: setl_id, reason });
    if (!difference.psn_no) return void (await refuse("3202's result row names no psn_no; 5203 needs it"));
    const answer = await this.platform.settlement(
      stmt_date,
      { psn_no: difference.psn_no, setl_id, ...(difference.mdtrt_id && { mdtrt_id: difference.mdtrt_id }) },
      difference.setl_optins,
    );
    if (answer.kind === 'refused') return void (await refuse(answer.reason));
    const s = answer.value.setlinfo;
    const ipt_no = (await this.rows.visitOf(s.mdtrt_id)) ?? `mdtrt-${s.mdtrt_id}`;
    const fen = (amount: string) => new Decimal(amount).toFixed(2);
    const row: LedgerRow = {
      setl_id: s.setl_id,
      ipt_no,
      mdtrt_id: s.mdtrt_id,
      psn_no: s.psn_no,
      insutype: s.insutype,
      clr_type: s.clr_type,
      setl_optins: s.clr_optins ?? difference.setl_optins,
      setl_time: s.setl_time,
      medfee_sumamt: fen(s.medfee_sumamt),
      fund_pay_sumamt: fen(s.fund_pay_sumamt),
      acct_pay: fen(s.acct_pay),
      cash_payamt: fen(s.cash_payamt ?? '0'),
      refd_setl_flag: s.refd_setl_flag === '1' ? '1' : '0',
      ...(s.medins_setl_id && { medins_setl_id: s.medins_setl_id }),
      source: 'platform',
    };
    await this.ledgers.apply(ipt_no, { type: 'AdoptPlatformRow', row });
    await this.days.execute(stmt_date, {
      type: 'RecordResolution',
      setl_id,
      resolution: 'PLATFORM_RECORD_ADOPTED',
      resolved_by: SERVICE_ACTOR,
    });
  }
}
