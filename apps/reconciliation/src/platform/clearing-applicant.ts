import { type Operator } from '@yb/contracts';
import { type ProjectionRunner } from '@yb/event-store';
import { type CallOptions, type Input3205A, type PlatformClient } from '@yb/platform-client';
import {
  clearingKey,
  subjectOf,
  type ClearingApplicationWorkflow,
} from '../clearing-application/clearing-application-workflow';
import {
  type ClearingSubject,
  type DeclaredTotals,
} from '../clearing-application/clearing-application.events';
import { type ClearingApplicationState } from '../clearing-application/clearing-application.state';
import { declaredTotals, monthPeriod, monthReconciliation } from '../clearing-application/clearing-month';
import { type ReconciliationDayWorkflow } from '../reconciliation-day/reconciliation-day-workflow';
import {
  ourStandingApplication,
  type PlatformClearingRecord,
} from '../clearing-application/standing-application';
import { type LedgerRows } from '../settlement-ledger/ledger-rows';
import { type Answer, answerOf } from './statement-calls';

/** The month's application form: our record and the platform's (3205A). */
export interface ClearingPrintout extends ClearingSubject {
  readonly scope: 'LOCAL' | 'CROSS_AREA';
  readonly clr_appy_evt_id: string;
  readonly begndate: string;
  readonly enddate: string;
  readonly declared: DeclaredTotals;
  readonly applied_by: string;
  readonly platform: PlatformClearingRecord;
}

/** One month's application as the billing office lists it. */
export interface ClearingApplicationView extends ClearingSubject {
  readonly scope: 'LOCAL' | 'CROSS_AREA';
  readonly state: ClearingApplicationState;
}

/**
 * The month's clearing applications with the platform: an application is asked with the month read from our
 * ledger (totals to the fen) and the days' reconciliations, and made (3202A / 1608) or withdrawn (3204A /
 * 1618) by the worker, off the request path. A call without an answer (timeout, unreachable) is retried by
 * the worker, never recorded as a refusal.
 */
export class ClearingApplicant {
  constructor(
    private readonly applications: ClearingApplicationWorkflow,
    private readonly days: ReconciliationDayWorkflow,
    private readonly rows: LedgerRows,
    private readonly projection: Pick<ProjectionRunner, 'catchUp'>,
    private readonly client: PlatformClient,
    /** Our own area (NHSA_MDTRTAREA_ADMVS): its agency clears our local insured; every other is 异地. */
    private readonly ownArea: string,
  ) {}

  scopeOf(setl_optins: string): 'LOCAL' | 'CROSS_AREA' {
    return setl_optins === this.ownArea ? 'LOCAL' : 'CROSS_AREA';
  }

  /** Every clr_type × setl_optins the month has settlements of (or an application for), with its state. */
  async list(setlym: string): Promise<ClearingApplicationView[]> {
    const { begndate, enddate } = monthPeriod(setlym);
    await this.projection.catchUp();
    const pairs = await this.rows.pairsIn(begndate, enddate);
    return Promise.all(
      pairs.map(async (pair) => {
        const subject = { setlym, ...pair };
        const { state } = await this.applications.load(subject);
        return { ...subject, scope: this.scopeOf(pair.setl_optins), state };
      }),
    );
  }

  /** Records the office's request with the month as it stands; the caller hands the key to the worker. */
  async apply(subject: ClearingSubject, requested_by: Operator): Promise<ClearingApplicationState> {
    const { begndate, enddate } = monthPeriod(subject.setlym);
    await this.projection.catchUp();
    const month = await this.rows.periodOf(subject, begndate, enddate);
    const days = await Promise.all(
      month.days.map(async (stmt_date) => ({ stmt_date, state: (await this.days.load(stmt_date)).state })),
    );
    return this.applications.execute(subject, {
      type: 'ApplyForClearing',
      subject,
      scope: this.scopeOf(subject.setl_optins),
      begndate,
      enddate,
      declared: declaredTotals(month.count, month.sums),
      reconciliation: monthReconciliation(subject, days),
      requested_by,
    });
  }

  load(subject: ClearingSubject): ReturnType<ClearingApplicationWorkflow['load']> {
    return this.applications.load(subject);
  }

  withdraw(subject: ClearingSubject, requested_by: Operator): Promise<ClearingApplicationState> {
    return this.applications.execute(subject, { type: 'WithdrawApplication', requested_by });
  }

  /**
   * The worker's run: each call the application owes, its answer recorded; then its mark cleared. An
   * application is a write: asked again after an answer was lost, the platform refuses it as standing, and
   * its own record of it (3205A), with our totals, is recorded as the application made.
   */
  async drive(key: string): Promise<void> {
    const subject = subjectOf(key);
    for (;;) {
      const { state, version } = await this.applications.load(subject);
      if (state.pending === null) return void (await this.applications.clearOwed(subject, version));
      await this.perform(subject, state);
    }
  }

  /**
   * The month's application form (3205A 申请单打印): our record of the standing or last application and the
   * platform's record of it by its clr_appy_evt_id. A read, asked on the request (nothing is recorded).
   */
  async printout(subject: ClearingSubject): Promise<Answer<ClearingPrintout>> {
    const { state } = await this.applications.load(subject);
    if (state.clr_appy_evt_id === undefined || state.applied === undefined)
      return { kind: 'refused', reason: '该月尚未申请清算，没有清算申请单' };
    const input: Input3205A = {
      data: {
        clr_optins: subject.setl_optins,
        clr_ym: subject.setlym,
        clr_type: subject.clr_type,
        clr_appy_evt_id: state.clr_appy_evt_id,
      },
    };
    const options = { visitKey: `clearing:${clearingKey(subject)}`, insuplc_admdvs: subject.setl_optins };
    const answer = answerOf('3205A', clearingKey(subject), await this.client.call('3205A', input, options));
    if (answer.kind === 'refused') return answer;
    const platform = answer.value.clr_appys.find((r) => r.clr_appy_evt_id === state.clr_appy_evt_id);
    if (!platform) return { kind: 'refused', reason: `3205A 未返回清算申请[${state.clr_appy_evt_id}]` };
    return {
      kind: 'answered',
      value: {
        ...subject,
        scope: this.scopeOf(subject.setl_optins),
        clr_appy_evt_id: state.clr_appy_evt_id,
        begndate: state.applied.begndate,
        enddate: state.applied.enddate,
        declared: state.applied.declared,
        applied_by: state.applied.applied_by.username,
        platform,
      },
    };
  }

  /**
   * 3205A: the application the platform holds for the month that is ours (our totals), if any. Without an
   * answer the worker asks again; a refusal means it holds none we can see.
   */
  private async standingApplication(
    subject: ClearingSubject,
    state: ClearingApplicationState,
    options: CallOptions,
  ): Promise<PlatformClearingRecord | undefined> {
    const input: Input3205A = {
      data: { clr_optins: subject.setl_optins, clr_ym: subject.setlym, clr_type: subject.clr_type },
    };
    const answer = answerOf('3205A', clearingKey(subject), await this.client.call('3205A', input, options));
    if (answer.kind === 'refused') return undefined;
    return ourStandingApplication(answer.value.clr_appys, subject, state.declared!);
  }

  /**
   * 3205A of the month's standing applications: true while ours is among them, or when the platform refuses
   * the query (nothing confirms the withdrawal then). Without an answer the worker asks again.
   */
  private async stillStanding(
    subject: ClearingSubject,
    clr_appy_evt_id: string,
    options: CallOptions,
  ): Promise<boolean> {
    const input: Input3205A = {
      data: { clr_optins: subject.setl_optins, clr_ym: subject.setlym, clr_type: subject.clr_type },
    };
    const answer = answerOf('3205A', clearingKey(subject), await this.client.call('3205A', input, options));
    return (
      answer.kind === 'refused' || answer.value.clr_appys.some((r) => r.clr_appy_evt_id === clr_appy_evt_id)
    );
  }

  private async perform(subject: ClearingSubject, state: ClearingApplicationState): Promise<void> {
    const { pending } = state;
    const key = clearingKey(subject);
    // The agency goes in the envelope as its insured's area (异地: theirs).
    const options = { visitKey: `clearing:${key}`, insuplc_admdvs: subject.setl_optins };
    if (pending?.kind === 'apply') {
      const infno = pending.infno as '3202A' | '1608';
      const input = {
        data: {
          clr_type: subject.clr_type,
          setlym: subject.setlym,
          ...state.declared!,
          begndate: state.begndate!,
          enddate: state.enddate!,
          clr_optins: subject.setl_optins,
        },
      };
      const result = await this.client.call(infno, input, options);
      if (result.status === 'UNKNOWN') {
        await this.applications.execute(subject, {
          type: 'RecordAnswerLost',
          msgid: result.msgid,
          reason: result.reason,
        });
      }
      const answer = answerOf(infno, key, result);
      if (answer.kind === 'answered') {
        await this.applications.execute(subject, {
          type: 'RecordApplied',
          clr_appy_evt_id: answer.value.result.clr_appy_evt_id,
        });
        return;
      }
      // Refused after an answer was lost, or applied with an answer we cannot read: the platform may hold it.
      const standing =
        pending.answer_lost || result.status === 'APPLIED_UNREADABLE'
          ? await this.standingApplication(subject, state, options)
          : undefined;
      await this.applications.execute(
        subject,
        standing
          ? {
              type: 'RecordApplied',
              clr_appy_evt_id: standing.clr_appy_evt_id,
              recovered_by: {
                infno: '3205A',
                ...(standing.clr_stas !== undefined && { clr_stas: standing.clr_stas }),
                ...(standing.opt_time !== undefined && { opt_time: standing.opt_time }),
                refusal: answer.reason,
              },
            }
          : { type: 'RecordApplicationRefused', reason: answer.reason },
      );
      return;
    }
    if (pending?.kind === 'withdraw') {
      const infno = pending.infno as '3204A' | '1618';
      const input = { data: { clr_appy_evt_id: state.clr_appy_evt_id!, clr_optins: subject.setl_optins } };
      const result = await this.client.call(infno, input, options);
      if (result.status === 'UNKNOWN')
        await this.applications.execute(subject, {
          type: 'RecordAnswerLost',
          msgid: result.msgid,
          reason: result.reason,
        });
      const answer = answerOf(infno, key, result);
      if (answer.kind === 'answered')
        return void (await this.applications.execute(subject, { type: 'RecordWithdrawn' }));
      // Refused after an answer was lost (e.g. 已撤销): withdrawn if the platform no longer lists it standing.
      const gone =
        pending.answer_lost === true && !(await this.stillStanding(subject, state.clr_appy_evt_id!, options));
      await this.applications.execute(
        subject,
        gone
          ? { type: 'RecordWithdrawn', confirmed_by: { infno: '3205A', refusal: answer.reason } }
          : { type: 'RecordWithdrawalRefused', reason: answer.reason },
      );
    }
  }
}
