import { CommandHandler, type EventStore, type PendingWorkSweep } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { slipMessages } from '../outbound/slip-results';
import { type Cause } from '../outbound/saga-results';
import { slipDecider, slipOwed, type SlipState } from './slip.decider';
import { type SlipCommand, type SlipEvent } from './slip.events';

/** The slips' streams, and so the marks of owed YH03 calls (the worker's leases are on them). */
export const SLIP_STREAM_PREFIX = 'slip-';

/** Runs slip commands: events, results (outbox), inbox and the mark of an owed YH03 call in one append. */
export class SlipWorkflow {
  private readonly slips: CommandHandler<SlipCommand, SlipEvent, SlipState>;

  constructor(
    private readonly store: EventStore,
    private readonly resultTopic: string,
  ) {
    this.slips = new CommandHandler(store, slipDecider);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'settlement-slip': this.slips };
  }

  async execute(
    setl_id: string,
    command: SlipCommand,
    source?: { cause: NonNullable<Cause>; consumer: string },
  ): Promise<SlipState> {
    const result = await this.slips.handle(`${SLIP_STREAM_PREFIX}${setl_id}`, command, {
      ...(source && { inboxMessageId: source.cause.id, inboxConsumer: source.consumer }),
      outbox: (events, state) => slipMessages(this.resultTopic, events, state, source?.cause),
      owesWork: slipOwed,
    });
    // A redelivered message (its inbox row is there) changes nothing: the slip as stored.
    return result.kind === 'handled' ? result.state : (await this.load(setl_id)).state;
  }

  async load(setl_id: string): Promise<{ state: SlipState; version: number }> {
    return this.slips.aggregateStream(`${SLIP_STREAM_PREFIX}${setl_id}`);
  }

  async owed(sweep?: PendingWorkSweep): Promise<string[]> {
    return (await this.store.pendingWork(SLIP_STREAM_PREFIX, undefined, sweep)).map((s) =>
      s.slice(SLIP_STREAM_PREFIX.length),
    );
  }

  async clearOwed(setl_id: string, version: number): Promise<void> {
    await this.store.clearPendingWork(`${SLIP_STREAM_PREFIX}${setl_id}`, version);
  }
}
