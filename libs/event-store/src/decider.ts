import { type AppendOptions, type EventStore } from './event-store';
import { ExpectedVersionConflictError } from './errors';
import { LruCache } from './lru-cache';
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
  /** Whether the decided state owes work outside the store (AppendOptions.markPendingWork). */
  owesWork?: (state: State) => boolean;
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

/** What a command handler needs of the store (an EventStore; tests may wrap one). */
export type CommandHandlerStore = Pick<EventStore, 'readStream' | 'appendToStream' | 'isMessageProcessed'>;

export interface CommandHandlerOptions {
  /**
   * How many streams' states to keep in memory, least recently used evicted first (default 5,000: a large
   * hospital's open visits). 0 keeps none: every command reads its whole stream.
   */
  cacheSize?: number;
  /**
   * The most events the cached states may have folded together (default: no limit): a bound on memory when
   * streams grow long, as a state's size grows with its events. A stream longer than this is not cached.
   */
  cacheEvents?: number;
}

/** A stream's state folded up to a version. */
export interface AggregatedStream<State> {
  readonly state: State;
  /** The version of the last event folded in; 0 for a stream without events. */
  readonly version: number;
}

/**
 * Runs a decider's commands against streams of the store, keeping each stream's state (and the version it
 * was folded up to) in a bounded in-memory cache, so that a command reads only the events appended since
 * the stream was last loaded (usually the previous command's own) and the cost of a command does not grow
 * with the length of the stream.
 *
 * The cache is never trusted alone: every load reads the events after the cached version, so events
 * appended by another process are folded in; one appended between that read and this handler's append
 * fails the append's version check (ExpectedVersionConflictError), and the command is decided again on
 * the stream read afresh. Cached states are shared between commands, so `evolve` must not mutate its
 * input state (a decider's evolve returns a new state).
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  private readonly cache: LruCache<string, AggregatedStream<State>>;

  constructor(
    private readonly store: CommandHandlerStore,
    private readonly decider: Decider<Command, Event, State>,
    options: CommandHandlerOptions = {},
  ) {
    this.cache = new LruCache(options.cacheSize ?? 5_000, {
      maxWeight: options.cacheEvents,
      weigh: (aggregated) => aggregated.version,
    });
  }

  /**
   * Loads the stream's state, decides, and appends (with the outbox and inbox rows) expecting the loaded
   * version; when another writer appended in between, decides again on the stream read afresh (at most
   * `retries` more times). A message already in the inbox is reported as DuplicateMessage before
   * deciding, so a redelivery is not judged against the state it produced. Errors thrown by `decide`
   * (business rules) propagate unchanged.
   */
  async handle(
    streamId: string,
    command: Command,
    options: HandleCommandOptions<Event, State> = {},
  ): Promise<HandleCommandResult<Event, State>> {
    const retries = options.retries ?? 3;
    const { inboxMessageId, inboxConsumer } = options;
    if (inboxMessageId !== undefined && inboxConsumer !== undefined) {
      if (await this.store.isMessageProcessed(inboxMessageId, inboxConsumer)) {
        return { kind: 'duplicate-message', messageId: inboxMessageId, consumer: inboxConsumer };
      }
    }
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.aggregateStream(streamId);
      const newEvents = this.decider.decide(command, state);
      const newState = newEvents.reduce((s, e) => this.decider.evolve(s, e), state);
      const outbox = options.outbox?.(newEvents, newState) ?? [];
      if (newEvents.length === 0 && outbox.length === 0 && inboxMessageId === undefined) {
        return {
          kind: 'handled',
          newEvents,
          state: newState,
          nextExpectedVersion: version,
          attempts: attempt,
        };
      }
      try {
        const result = await this.store.appendToStream(streamId, version, newEvents, {
          outbox,
          inboxMessageId,
          inboxConsumer,
          markPendingWork: options.owesWork?.(newState) ?? false,
        });
        if (result.kind === 'duplicate-message') return result;
        // Not cached as decided: the next load folds these events as stored (jsonb orders an object's keys
        // its own way, and services hash what they build from state), so a cached state is always the one a
        // full read would give.
        return {
          kind: 'handled',
          newEvents,
          state: newState,
          nextExpectedVersion: result.nextExpectedVersion,
          attempts: attempt,
        };
      } catch (err) {
        if (!(err instanceof ExpectedVersionConflictError)) throw err;
        this.cache.delete(streamId);
        if (attempt > retries) throw err;
      }
    }
  }

  /** The stream's current state: the cached one caught up with the events appended after it. */
  async aggregateStream(streamId: string): Promise<AggregatedStream<State>> {
    const cached = this.cache.get(streamId);
    const after = cached?.version ?? 0;
    const recorded = await this.store.readStream(streamId, { afterVersion: after });
    if (cached && recorded.length === 0) return cached;
    let state = cached?.state ?? this.decider.initialState();
    for (const event of recorded)
      state = this.decider.evolve(state, { type: event.type, data: event.data } as Event);
    const aggregated = { state, version: recorded.at(-1)?.streamVersion ?? after };
    this.remember(streamId, aggregated);
    return aggregated;
  }

  /** Caches a state unless a newer one is cached already (loads of one stream may overlap). */
  private remember(streamId: string, aggregated: AggregatedStream<State>): void {
    const cached = this.cache.get(streamId);
    if (cached && cached.version > aggregated.version) return;
    this.cache.set(streamId, aggregated);
  }
}
