import { type PlatformAnswer } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { isActive, type SagaState } from './saga.state';
import { compensateOrFail } from './compensation.decider';
import { awaitConfirmation } from './confirmation.decider';
import { nextAfter, retryPlatformStep, startStep } from './forward-steps.decider';
import { resultOf, successText } from './platform-results.decider';
import { reverseUnknown } from './reversal.decider';
import { waitForPlatform } from './waiting-for-platform.decider';
import { attemptOf, Timeline, type At } from './saga-timeline.decider';

/** Sends of 2303, 2304 or 2305 in one saga (each 2304/2305 after a 2601 of the previous one) before it fails. */
export const MAX_PLATFORM_ATTEMPTS = 3;

/** The platform's refusal of 2303/2304 when medfee_sumamt differs from its uploaded total (which it names). */
const TOTALS_DIFFER = /已上传费用明细总额\[(-?\d+(?:\.\d+)?)\]/;

/** 2303, 2304 or 2305 answered: the saga goes on, waits for a person, fails, compensates, or reverses. */
export function recordPlatformAnswer(state: SagaState, answer: PlatformAnswer, at: At): SagaEvent[] {
  const saga = state.saga;
  const pending = saga?.pending;
  if (!isActive(saga) || pending?.kind !== 'platform' || pending.infno !== answer.infno) {
    throw new Error(
      `no ${answer.infno} is pending in this visit's saga (pending: ${saga?.pending?.step ?? 'none'})`,
    );
  }
  const b = new Timeline(saga);
  const step = pending.step;
  const { msgid, infno } = answer;
  if (answer.status === 'SUCCEEDED') {
    const result = resultOf(answer, saga, at.now);
    b.answered(step, 'SUCCEEDED', { infno, msgid, detail: successText(result), result });
    if (step === 'SETTLEMENT') return b.end('SETTLED', 'SETTLEMENT', 'settled', false);
    if (step === 'PRE_SETTLEMENT' && saga.confirmation_required && !saga.confirmed) {
      return awaitConfirmation(b, result, at);
    }
    return nextAfter(b, state, step, at);
  }
  if (answer.status === 'APPLIED_UNREADABLE') {
    // Never retried nor reversed: a 2304 the platform made stands there. A person records it from the platform
    // (the raw answer is in the journal under msgid); the saga stops here instead of losing it.
    const missing = answer.missing.join('; ');
    b.answered(step, 'APPLIED_UNREADABLE', { infno, msgid, detail: `平台已受理，应答缺少: ${missing}` });
    return b.appliedUnreadable(step, { infno, msgid, missing: answer.missing });
  }
  if (answer.status === 'REJECTED') {
    b.answered(step, 'REJECTED', { infno, msgid, detail: answer.err_msg });
    if (step === 'SETTLEMENT') return compensateOrFail(b, state, step, answer.err_msg, at);
    const drift = TOTALS_DIFFER.exec(answer.err_msg);
    if (step === 'PRE_SETTLEMENT' && drift && attemptOf(saga, 'FEE_RECONCILIATION') === 1) {
      // The platform holds another total than the HIS (差账): fee-detail re-synchronises once, then 2303 again.
      return startStep(b, state, 'FEE_RECONCILIATION', at, drift[1]);
    }
    return b.end('FAILED', step, answer.err_msg, step === 'PRE_SETTLEMENT');
  }
  b.answered(step, 'UNKNOWN', { infno, msgid, detail: answer.reason });
  if (step === 'PRE_SETTLEMENT') {
    // 2303 is a trial that changes nothing on the platform: sending it again is safe, at once a few times, then
    // after waiting (silence is not an answer: the saga never fails on it).
    if (attemptOf(saga, step) < MAX_PLATFORM_ATTEMPTS) return retryPlatformStep(b, saga, step, answer.reason);
    return waitForPlatform(b, step, pending, `2303 got no answer (${answer.reason})`, at, infno);
  }
  return reverseUnknown(b, infno, msgid, answer.reason);
}
