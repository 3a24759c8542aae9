import { type AppendOptions, type EventStore } from './event-store';
import { ExpectedVersionConflictError } from './errors';
import { type OutboxMessage } from './outbox-message';
import { type DuplicateMessage } from './recorded-event';

/** An event as a decider sees it, in the newest shape of its type (see NewEvent.schemaVersion). */
export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion?: number;
}

/** An aggregate as pure functions: what a command decides given the state, and how events build state. */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface HandleCommandOptions<Event extends DomainEvent, State> extends Pick<
  AppendOptions,
  'inboxMessageId' | 'inboxConsumer'
> {
  /** How many times to re-read and re-decide after another writer appended first (default 3). */
  retries?: number;
  /** The messages to publish for the decided events (written to the outbox in the same transaction). */
  outbox?: (events: readonly Event[], state: State) => OutboxMessage[];
}

export interface CommandHandled<Event, State> {
  readonly kind: 'handled';
  readonly newEvents: Event[];
  readonly state: State;
  readonly nextExpectedVersion: number;
  /** 1 when the first decision was appended; more when other writers won earlier attempts. */
  readonly attempts: number;
}

export type HandleCommandResult<Event, State> = CommandHandled<Event, State> | DuplicateMessage;

/**
 * Reads the stream, decides, and appends expecting the version it read; when another writer appended
 * in between, decides again on the fresh state (at most `retries` more times). A message already in
 * the inbox is reported as DuplicateMessage before deciding, so a redelivery is not judged against
 * the state it produced. Errors thrown by `decide` (business rules) propagate unchanged.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: Pick<EventStore, 'readStream' | 'appendToStream' | 'isMessageProcessed'>,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions<Event, State> = {},
): Promise<HandleCommandResult<Event, State>> {
  const retries = options.retries ?? 3;
  const { inboxMessageId, inboxConsumer } = options;
  if (inboxMessageId !== undefined && inboxConsumer !== undefined) {
    if (await store.isMessageProcessed(inboxMessageId, inboxConsumer)) {
      return { kind: 'duplicate-message', messageId: inboxMessageId, consumer: inboxConsumer };
    }
  }
  for (let attempt = 1; ; attempt++) {
    const recorded = await store.readStream(streamId);
    const state = recorded
      .map((e) => ({ type: e.type, data: e.data }) as Event)
      .reduce((s, e) => decider.evolve(s, e), decider.initialState());
    const version = recorded.length === 0 ? 0 : recorded[recorded.length - 1].streamVersion;
    const newEvents = decider.decide(command, state);
    const newState = newEvents.reduce((s, e) => decider.evolve(s, e), state);
    const outbox = options.outbox?.(newEvents, newState) ?? [];
    if (newEvents.length === 0 && outbox.length === 0 && inboxMessageId === undefined) {
      return { kind: 'handled', newEvents, state: newState, nextExpectedVersion: version, attempts: attempt };
    }
    try {
      const result = await store.appendToStream(streamId, version, newEvents, {
        outbox,
        inboxMessageId,
        inboxConsumer,
      });
      if (result.kind === 'duplicate-message') return result;
      return {
        kind: 'handled',
        newEvents,
        state: newState,
        nextExpectedVersion: result.nextExpectedVersion,
        attempts: attempt,
      };
    } catch (err) {
      if (!(err instanceof ExpectedVersionConflictError) || attempt > retries) throw err;
    }
  }
}
