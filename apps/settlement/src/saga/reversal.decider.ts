import { type ReversalAnswer } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { isActive, type SagaState } from './saga.state';
import { retryPlatformStep } from './forward-steps.decider';
import { waitForPlatform } from './waiting-for-platform.decider';
import { Timeline, type At } from './saga-timeline.decider';

/** 2304 or 2305 got no answer: whether the platform applied it is unknown, so it is reversed (2601 冲正) first. */
export function reverseUnknown(b: Timeline, infno: string, msgid: string, reason: string): SagaEvent[] {
  b.started('REVERSAL', 1, {
    infno: '2601',
    omsgid: msgid,
    oinfno: infno,
    detail: `${infno} outcome unknown (${reason}): 2601 冲正 of ${msgid}`,
  });
  return b.events;
}

/** The 2601's answer: the original call is sent again, waited out, or left to a person (COMPENSATION_FAILED). */
export function recordReversal(state: SagaState, reversal: ReversalAnswer, at: At): SagaEvent[] {
  const saga = state.saga;
  const pending = saga?.pending;
  if (!isActive(saga) || pending?.kind !== 'reversal' || pending.omsgid !== reversal.omsgid) {
    throw new Error(`no 2601 of ${reversal.omsgid} is pending in this visit's saga`);
  }
  const b = new Timeline(saga);
  const step = pending.oinfno === '2304' ? 'SETTLEMENT' : 'SETTLEMENT_CANCEL';
  const base = { infno: '2601', msgid: reversal.reversal_msgid };
  const err = reversal.err_msg ?? '';
  // platform-client's one rule (reversalVerdict): only a business answer decides.
  switch (reversal.verdict) {
    case 'not-applied':
      if (reversal.status === 'REVERSED' || reversal.refusal === 'already-reversed') {
        b.answered('REVERSAL', 'SUCCEEDED', {
          ...base,
          detail: `${pending.oinfno} ${pending.omsgid} reversed${err ? ` (${err})` : ''}`,
          result: {
            kind: 'reversal',
            compensation: '2601',
            omsgid: pending.omsgid,
            oinfno: pending.oinfno,
            reason: pending.reason,
          },
        });
      } else {
        // Decided from the platform's answer: it never received the original, so nothing was applied.
        b.answered('REVERSAL', 'REJECTED', {
          ...base,
          detail: `the platform never received ${pending.omsgid} (${err}): nothing to reverse, safe to send again`,
        });
      }
      return retryPlatformStep(b, saga, step, pending.reason);
    case 'unanswered':
      b.answered('REVERSAL', 'UNKNOWN', {
        ...base,
        detail: `2601 got no answer either${err ? ` (${err})` : ''}`,
      });
      return waitForPlatform(
        b,
        'REVERSAL',
        pending,
        `2601 冲正 of ${pending.omsgid} got no answer`,
        at,
        '2601',
      );
    case 'needs-person':
      break;
  }
  const answer = err || '(no reason given)';
  b.answered('REVERSAL', 'REJECTED', { ...base, detail: answer });
  const settlementCall = pending.oinfno === '2304';
  return b.compensationFailed(step, {
    compensation: '2601',
    ...(reversal.reversal_msgid !== undefined && { msgid: reversal.reversal_msgid }),
    omsgid: pending.omsgid,
    oinfno: pending.oinfno,
    platform_answer: answer,
    platform_state: settlementCall
      ? `2304 ${pending.omsgid} may have been applied (${pending.reason}) and was not reversed`
      : `2305 ${pending.omsgid} may have cancelled settlement ${saga.cancel?.setl_id ?? ''} (${pending.reason}) and was not reversed`,
    suggested_action: settlementCall
      ? '在医保平台查询该就诊的结算记录 (medins_setl_id = omsgid)：已结算则撤销 (2305) 或登记该结算，确认后在看板上重试结算'
      : '在医保平台查询该结算是否已撤销，确认后在看板上重试撤销',
    ...(saga.cancel && { setl_id: saga.cancel.setl_id }),
  });
}
