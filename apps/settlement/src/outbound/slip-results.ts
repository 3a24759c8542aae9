import { createEnvelope, type MessageType } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { outboxMessageOf } from '@yb/service-runtime';
import { type SlipEvent } from '../slip/slip.events';
import { type SlipState } from '../slip/slip.decider';
import { type Cause } from './saga-results';

/** The slip's results on insurance.inpatient: the platform's document, or why it is not there (yet). */
export function slipMessages(
  topic: string,
  events: readonly SlipEvent[],
  state: SlipState,
  cause: Cause,
): OutboxMessage[] {
  const slip = state.slip;
  if (!slip) return [];
  const { ipt_no, mdtrt_id, setl_id } = slip;
  const message = (type: MessageType, data: unknown) =>
    outboxMessageOf(
      topic,
      createEnvelope({ type, schemaVersion: 1, key: ipt_no, data, ...(cause && { causedBy: cause }) }),
    );
  return events.flatMap((event) => {
    switch (event.type) {
      case 'SlipOwed':
        return [];
      case 'SlipPrinted':
        return [message('PlatformSlipPrinted', { ipt_no, mdtrt_id, setl_id, ...event.data })];
      case 'SlipAttemptFailed':
        return [message('PlatformSlipUnavailable', { ipt_no, setl_id, ...event.data })];
    }
  });
}
