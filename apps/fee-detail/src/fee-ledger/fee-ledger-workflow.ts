import { type Envelope } from '@yb/contracts';
import {
  CommandHandler,
  type AggregatedStream,
  type CommandHandlerOptions,
  type EventStore,
  type GroupHandled,
  type HandleCommandResult,
  type PendingWorkLease,
  type PendingWorkSweep,
} from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { feeResultMessages } from '../outbound/fee-result-messages';
import { FeeDetailLedger } from './fee-ledger.decider';
import { type FeeLedgerCommand } from './fee-ledger.commands';
import { type FeeLedgerEvent } from './fee-ledger.events';
import { type FeeLedgerState } from './fee-ledger.state';
import { nextPlatformStep } from './next-platform-step';

/** The ledgers' streams, and so the visits' marks of owed work (the uploader's leases are on them). */
export const FEE_LEDGER_STREAM_PREFIX = 'fee-ledger-';

/** One stream per HIS visit. */
export const feeLedgerStream = (ipt_no: string) => `${FEE_LEDGER_STREAM_PREFIX}${ipt_no}`;

export interface ExecuteOptions {
  /** The consumed message: recorded in the inbox with the events, and the cause of the results. */
  message?: Pick<Envelope, 'id' | 'correlationId'>;
  /** The handler that consumed it (the inbox's consumer name). */
  consumer?: string;
  /**
   * The uploader's own step, under the visit's lease: a ledger it leaves owing nothing clears the visit's mark
   * (and lease) in the same append (CommandHandler's clearsOwedWork).
   */
  byUploader?: boolean;
}

/**
 * Runs ledger commands against the event store: events, result messages (outbox) and inbox in one append,
 * with the mark of a visit that owes the platform something (the uploader's durable to-do list). Each
 * visit's ledger is kept in memory by version (CommandHandler), so a message reads only the events
 * appended since the last one, however long the stay.
 */
export class FeeLedgerWorkflow {
  private readonly ledgers: CommandHandler<FeeLedgerCommand, FeeLedgerEvent, FeeLedgerState>;

  /**
   * `resultTopic`: where the fee results go (insurance.inpatient; a unique topic in tests); `cacheSize`: how
   * many visits' ledgers stay in memory (CommandHandler's default unless given).
   */
  constructor(
    private readonly store: EventStore,
    private readonly resultTopic: string,
    options: CommandHandlerOptions = {},
  ) {
    this.ledgers = new CommandHandler(store, FeeDetailLedger, options);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'fee-ledger': this.ledgers };
  }

  execute(
    ipt_no: string,
    command: FeeLedgerCommand,
    options: ExecuteOptions = {},
  ): Promise<HandleCommandResult<FeeLedgerEvent, FeeLedgerState>> {
    const { message, consumer, byUploader } = options;
    return this.ledgers.handle(feeLedgerStream(ipt_no), command, {
      ...(message && consumer && { inboxMessageId: message.id, inboxConsumer: consumer }),
      outbox: (events, state) =>
        feeResultMessages(events, state, { ipt_no, topic: this.resultTopic, causedBy: message }),
      owesWork: (state) => nextPlatformStep(state) !== null,
      clearsOwedWork: byUploader,
    });
  }

  /**
   * The consumed messages of one visit, in order, as one append (CommandHandler.handleAll): each message's
   * command decided on the state the previous ones left, its results caused by it and continuing its trace,
   * every message in the inbox. A command the ledger refuses is reported with those after it undecided.
   * `opensLedger`: the first message opens the visit's ledger (not read first); `takeLease`: the uploader's lease
   * to take with the visit's mark, for a caller that hands the visit to the uploader right after.
   */
  executeAll(
    ipt_no: string,
    items: readonly {
      command: FeeLedgerCommand;
      message: Pick<Envelope, 'id' | 'correlationId'>;
      traceparent: string | null;
    }[],
    consumer: string,
    { opensLedger = false, takeLease }: { opensLedger?: boolean; takeLease?: PendingWorkLease } = {},
  ): Promise<GroupHandled<FeeLedgerEvent, FeeLedgerState>> {
    return this.ledgers.handleAll(
      feeLedgerStream(ipt_no),
      items.map(({ command, message, traceparent }) => ({
        command,
        inboxMessageId: message.id,
        traceparent,
        outbox: (events, state) =>
          feeResultMessages(events, state, { ipt_no, topic: this.resultTopic, causedBy: message }),
      })),
      {
        inboxConsumer: consumer,
        owesWork: (state) => nextPlatformStep(state) !== null,
        opensStream: opensLedger,
        takeLease,
      },
    );
  }

  /**
   * The visit's ledger as stored now (events appended by other processes included), with its version; with
   * `knownVersion` (what a lease's claim saw), a ledger held at that version is current without a read.
   */
  load(ipt_no: string, knownVersion?: number): Promise<AggregatedStream<FeeLedgerState>> {
    return this.ledgers.aggregateStream(feeLedgerStream(ipt_no), knownVersion);
  }

  /** The visits marked as owing the platform something, oldest mark first (a sweep's: those no replica is on). */
  async owedVisits(sweep?: PendingWorkSweep): Promise<string[]> {
    return (await this.store.pendingWork(FEE_LEDGER_STREAM_PREFIX, undefined, sweep)).map((stream) =>
      stream.slice(FEE_LEDGER_STREAM_PREFIX.length),
    );
  }

  /** The visit owes nothing as of `version`: its mark goes unless a later append made it again. */
  async clearOwed(ipt_no: string, version: number): Promise<void> {
    await this.store.clearPendingWork(feeLedgerStream(ipt_no), version);
  }
}
