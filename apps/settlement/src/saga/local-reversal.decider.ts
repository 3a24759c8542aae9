import { type LocalReversal, type MessageCause } from './saga.commands';
import { type SagaEvent } from './saga.events';
import { isBusy, type SagaState } from './saga.state';
import { queued } from './request-queue.decider';
import { refused, type At } from './saga-timeline.decider';

const REQUEST = 'SettlementReversedLocally';

/**
 * The billing office reversed one of the visit's settlements in our books (本地冲销: the platform does not hold
 * it). A standing settlement's saga leaves SETTLED for REVERSED_LOCALLY and the visit may be settled again; the
 * same reversal again is nothing new. A settlement the saga does not hold (a refund's row, another visit's) or
 * one that no longer stands is refused with the reason, for a person. While a saga runs it waits its turn, as a
 * cashier's request does: that saga may be cancelling the very settlement.
 */
export function recordLocalReversal(
  state: SagaState,
  reversal: LocalReversal,
  at: At,
  cause?: MessageCause,
): SagaEvent[] {
  const { setl_id } = reversal;
  const settlement = state.settlements.find((s) => s.setl_id === setl_id);
  if (settlement?.reversed_locally) return [];
  if (isBusy(state)) return [queued({ kind: 'reverse', reversal, cause: cause ?? null }, state, at)];
  if (!settlement) {
    const what =
      reversal.refd_setl_flag === '1'
        ? `a refund (2305, setl_id ${setl_id}): the saga holds the settlements it made, not their refunds; the settlement that refund cancelled is unchanged here, a person checks it on the platform (5203)`
        : `no settlement of this visit has setl_id ${setl_id}`;
    return [refused(REQUEST, `本地冲销 not taken: ${what}`, state.saga?.saga_id)];
  }
  if (settlement.cancelled) {
    return [
      refused(
        REQUEST,
        `本地冲销 not taken: settlement ${setl_id} was already cancelled (2305), it is not SETTLED`,
        settlement.saga_id,
      ),
    ];
  }
  const { username, role } = reversal.reversed_by;
  return [
    {
      type: 'SettlementReversedLocally',
      data: {
        saga_id: settlement.saga_id,
        // Its saga ended SETTLED with the 2304 answer (the latest saga, or a mid-way settlement's before it).
        seq: settlement.seq + 1,
        step: 'LOCAL_REVERSAL',
        attempt: 1,
        detail: `本地冲销 ${setl_id} by ${username} (${role}), 对账 ${reversal.stmt_date}: ${reversal.reason}`,
        setl_id,
        mid_setl_flag: settlement.mid_setl_flag,
        stmt_date: reversal.stmt_date,
        reason: reversal.reason,
        reversed_by: { username, role },
        reversed_at: at.now,
      },
    },
  ];
}
