import { type ConfirmationDecision } from './saga.commands';
import { type SagaEvent, type SettlementAmounts, type StepResult } from './saga.events';
import { evolveSaga, isActive, type Saga, type SagaState } from './saga.state';
import { nextAfter, startStep } from './forward-steps.decider';
import { refused, Timeline, type At } from './saga-timeline.decider';

/** The split of `result` (2303's) waits for a person until the confirmation deadline. */
export function awaitConfirmation(b: Timeline, result: StepResult, at: At): SagaEvent[] {
  const deadline = new Date(Date.parse(at.now) + b.saga.confirmation_timeout_ms).toISOString();
  const split = result.kind === 'pre-settlement' ? splitText(result.amounts) : '';
  b.confirmationRequested(`等待收费员确认预结算: ${split}`, deadline);
  return b.events;
}

/**
 * A cashier's decision on the split (dashboard or HIS). CONFIRM goes on to 2402/2304 — after 2303 again when
 * the cashier changed acct_used_flag, so that what is settled is what was confirmed; CANCEL stops the saga
 * before anything is applied on the platform (2303 is a trial).
 */
export function decideConfirmation(state: SagaState, decision: ConfirmationDecision, at: At): SagaEvent[] {
  const saga = state.saga;
  if (!isActive(saga) || saga.pending?.kind !== 'confirmation') {
    const where = saga ? `结算流程 ${saga.saga_id} 为 ${saga.status}` : '该住院没有结算流程';
    return [refused(decision.request, `没有等待确认的预结算 (${where})`, saga?.saga_id)];
  }
  if (decision.saga_id !== undefined && decision.saga_id !== saga.saga_id) {
    return [
      refused(
        decision.request,
        `结算流程 ${decision.saga_id} 不是等待确认的流程 (${saga.saga_id})：请按最新的预结算结果确认`,
        saga.saga_id,
      ),
    ];
  }
  const b = new Timeline(saga);
  const current = saga.acct_used_flag ?? saga.request!.acct_used_flag;
  const acct_used_flag = decision.acct_used_flag ?? current;
  const result: StepResult = {
    kind: 'confirmation',
    decision: decision.decision,
    acct_used_flag,
    by: decision.by,
    request: decision.request,
  };
  const comment = decision.comment ? `: ${decision.comment}` : '';
  if (decision.decision === 'CANCEL') {
    const reason = `收费员 ${decision.by} 取消结算 (预结算后，平台未结算)${comment}`;
    b.answered('CONFIRMATION', 'REJECTED', { detail: reason, result });
    return b.end('CANCELLED', 'CONFIRMATION', reason, false);
  }
  const account = acct_used_flag === '1' ? '使用个人账户' : '不使用个人账户';
  b.answered('CONFIRMATION', 'SUCCEEDED', {
    detail: `收费员 ${decision.by} 确认预结算 (${account})${comment}`,
    result,
  });
  const after = b.events.reduce(evolveSaga, state);
  if (acct_used_flag !== current) return startStep(b, after, 'PRE_SETTLEMENT', at);
  return nextAfter(b, after, 'CONFIRMATION', at);
}

/** No one confirmed before the deadline. */
export function confirmationTimedOut(saga: Saga): SagaEvent[] {
  // Never a 2304 nobody confirmed: the saga stops, and a person sees why (SettlementFailed, needs_person).
  const b = new Timeline(saga);
  const minutes = Math.round(saga.confirmation_timeout_ms / 60_000);
  const reason = `预结算结果 ${minutes} 分钟内无人确认：未办理结算 (no 2304 sent)；请收费员核对后重新发起结算`;
  b.answered('CONFIRMATION', 'TIMED_OUT', { detail: reason });
  return b.end('FAILED', 'CONFIRMATION', reason, true);
}

/** The split a cashier confirms: funds, personal account, cash, the hospital's part. */
function splitText(a: SettlementAmounts): string {
  const hospital = a.hosp_part_amt ?? '0.00';
  return `总额 ${a.medfee_sumamt}，基金 ${a.fund_pay_sumamt}，个人账户 ${a.acct_pay}，现金 ${a.psn_cash_pay}，医院负担 ${hospital}`;
}
