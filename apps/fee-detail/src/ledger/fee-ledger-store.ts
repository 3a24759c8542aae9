import { type Envelope } from '@yb/contracts';
import { handleCommand, type EventStore, type HandleCommandResult } from '@yb/event-store';
import { feeResultMessages } from '../messages/fee-result-messages';
import { FeeDetailLedger } from './fee-ledger.decider';
import { type FeeLedgerCommand } from './fee-ledger.commands';
import { type FeeLedgerEvent } from './fee-ledger.events';
import { type FeeLedgerState } from './fee-ledger.state';

/** One stream per HIS visit. */
export const feeLedgerStream = (ipt_no: string) => `fee-ledger-${ipt_no}`;

export interface ExecuteOptions {
  /** The consumed message: recorded in the inbox with the events, and the cause of the results. */
  message?: Pick<Envelope, 'id' | 'correlationId'>;
  /** The handler that consumed it (the inbox's consumer name). */
  consumer?: string;
}

/** Runs ledger commands against the event store: events, result messages (outbox) and inbox in one append. */
export class FeeLedgerStore {
  /** `resultTopic`: where the fee results go (insurance.inpatient; a unique topic in tests). */
  constructor(
    private readonly store: EventStore,
    private readonly resultTopic: string,
  ) {}

  execute(
    ipt_no: string,
    command: FeeLedgerCommand,
    options: ExecuteOptions = {},
  ): Promise<HandleCommandResult<FeeLedgerEvent, FeeLedgerState>> {
    const { message, consumer } = options;
    return handleCommand(this.store, FeeDetailLedger, feeLedgerStream(ipt_no), command, {
      ...(message && consumer && { inboxMessageId: message.id, inboxConsumer: consumer }),
      outbox: (events, state) =>
        feeResultMessages(events, state, { ipt_no, topic: this.resultTopic, causedBy: message }),
    });
  }

  async read(ipt_no: string): Promise<FeeLedgerState> {
    const recorded = await this.store.readStream(feeLedgerStream(ipt_no));
    return recorded
      .map((e) => ({ type: e.type, data: e.data }) as FeeLedgerEvent)
      .reduce(FeeDetailLedger.evolve, FeeDetailLedger.initialState());
  }
}
