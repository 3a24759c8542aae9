import { type FeeTotalsAnswer } from './saga.commands';
import { type PolicyAmounts, type SagaEvent } from './saga.events';
import { type SagaState } from './saga.state';
import { nextAfter } from './forward-steps.decider';
import { awaiting, Timeline, type At } from './saga-timeline.decider';

/** fee-detail's totals: agreed, the saga goes on (with the policy-range sums for 2303); else it fails. */
export function recordFeeTotals(
  state: SagaState,
  causation_id: string,
  answer: FeeTotalsAnswer,
  at: At,
): SagaEvent[] {
  const saga = awaiting(state, 'FEE_RECONCILIATION', causation_id);
  if (!saga) return [];
  const b = new Timeline(saga);
  if (answer.agreed) {
    const resync = answer.resynchronised ? ', re-synchronised first' : '';
    const policy = policyAmountsOf(answer);
    b.answered('FEE_RECONCILIATION', 'SUCCEEDED', {
      detail: `HIS ${answer.his_sumamt} = platform ${answer.platform_sumamt} (${answer.line_count} lines${resync})`,
      ...(policy && { result: { kind: 'fee-totals', policy } }),
    });
    return nextAfter(b, state, 'FEE_RECONCILIATION', at);
  }
  const reason = answer.reason ?? `HIS ${answer.his_sumamt} ≠ platform ${answer.platform_sumamt}`;
  b.answered('FEE_RECONCILIATION', 'REJECTED', { detail: reason });
  return b.end('FAILED', 'FEE_RECONCILIATION', reason, true);
}

/** The four policy-range sums, when fee-detail gave all of them (an older fee-detail gives none). */
function policyAmountsOf(answer: FeeTotalsAnswer): PolicyAmounts | null {
  const { fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt } = answer;
  if (
    fulamt_ownpay_amt === undefined ||
    overlmt_selfpay === undefined ||
    preselfpay_amt === undefined ||
    inscp_scp_amt === undefined
  )
    return null;
  return { fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt };
}
