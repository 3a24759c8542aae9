import { CommandHandler, type EventStore, type GroupHandled } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { LEDGER_STREAM_PREFIX } from './ledger-rows';
import { type SettlementLedgerCommand } from './settlement-ledger.commands';
import { SettlementLedger } from './settlement-ledger.decider';
import { type SettlementLedgerEvent } from './settlement-ledger.events';
import { type SettlementLedgerState } from './settlement-ledger.state';

/** The visits' settlement ledgers in the event store (stream per HIS visit). */
export class SettlementLedgerWorkflow {
  private readonly ledgers: CommandHandler<
    SettlementLedgerCommand,
    SettlementLedgerEvent,
    SettlementLedgerState
  >;

  constructor(store: EventStore) {
    this.ledgers = new CommandHandler(store, SettlementLedger);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'settlement-ledger': this.ledgers };
  }

  /** A visit's consumed messages in order, as one append with their inbox rows. */
  executeAll(
    ipt_no: string,
    items: readonly { command: SettlementLedgerCommand; messageId: string; traceparent: string | null }[],
    consumer: string,
  ): Promise<GroupHandled<SettlementLedgerEvent, SettlementLedgerState>> {
    return this.ledgers.handleAll(
      `${LEDGER_STREAM_PREFIX}${ipt_no}`,
      items.map(({ command, messageId, traceparent }) => ({
        command,
        inboxMessageId: messageId,
        traceparent,
      })),
      { inboxConsumer: consumer },
    );
  }

  /**
   * The service's or a person's change to a visit's ledger: a platform row adopted, the platform's amounts
   * adopted, a row reversed (each a no-op when done already).
   */
  async apply(
    ipt_no: string,
    command: Extract<
      SettlementLedgerCommand,
      { type: 'AdoptPlatformRow' | 'AdoptPlatformAmounts' | 'ReverseLocally' }
    >,
  ): Promise<void> {
    await this.ledgers.handle(`${LEDGER_STREAM_PREFIX}${ipt_no}`, command);
  }
}
