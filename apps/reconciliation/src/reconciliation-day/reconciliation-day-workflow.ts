import { type Envelope } from '@yb/contracts';
import { CommandHandler, type AggregatedStream, type EventStore } from '@yb/event-store';
import { type StreamCaches } from '@yb/service-runtime';
import { dayResultMessages } from '../outbound/day-results';
import { type ReconciliationDayCommand } from './reconciliation-day.commands';
import { ReconciliationDay } from './reconciliation-day.decider';
import { type ReconciliationDayEvent } from './reconciliation-day.events';
import { pendingActions, type ReconciliationDayState } from './reconciliation-day.state';

const STREAM_PREFIX = 'reconciliation-day-';

/**
 * The settlement days' reconciliations in the event store (stream per stmt_date): events, result messages and
 * the mark of a day whose run owes the platform calls, in one append.
 */
export class ReconciliationDayWorkflow {
  private readonly days: CommandHandler<
    ReconciliationDayCommand,
    ReconciliationDayEvent,
    ReconciliationDayState
  >;

  constructor(
    private readonly store: EventStore,
    private readonly resultTopic: string,
  ) {
    this.days = new CommandHandler(store, ReconciliationDay);
  }

  /** Its command handler's cache, under the name /metrics reports it by (StreamCacheMetrics). */
  streamCaches(): StreamCaches {
    return { 'reconciliation-day': this.days };
  }

  async execute(
    stmt_date: string,
    command: ReconciliationDayCommand,
    message?: { envelope: Pick<Envelope, 'id' | 'correlationId'>; consumer: string },
  ): Promise<ReconciliationDayState> {
    const result = await this.days.handle(`${STREAM_PREFIX}${stmt_date}`, command, {
      ...(message && { inboxMessageId: message.envelope.id, inboxConsumer: message.consumer }),
      outbox: (events) => dayResultMessages(events, stmt_date, this.resultTopic, message?.envelope),
      owesWork: (state) => state.running || pendingActions(state).length > 0,
    });
    return result.kind === 'handled' ? result.state : (await this.load(stmt_date)).state;
  }

  load(stmt_date: string): Promise<AggregatedStream<ReconciliationDayState>> {
    return this.days.aggregateStream(`${STREAM_PREFIX}${stmt_date}`);
  }

  /** The days whose run owes the platform calls, oldest mark first. */
  async owedDays(): Promise<string[]> {
    return (await this.store.pendingWork(STREAM_PREFIX)).map((stream) => stream.slice(STREAM_PREFIX.length));
  }

  async clearOwed(stmt_date: string, version: number): Promise<void> {
    await this.store.clearPendingWork(`${STREAM_PREFIX}${stmt_date}`, version);
  }
}
