import { type AppendOptions, type EventStore, type PendingWorkLease } from './event-store';
import { ExpectedVersionConflictError } from './errors';
import { LruCache } from './lru-cache';
import { type OutboxMessage } from './outbox-message';
import { asStoredJson } from './jsonb-order';
import { type DuplicateMessage, type DuplicateMessages } from './recorded-event';

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

export interface HandleCommandOptions<Event extends DomainEvent, State>
  extends HandleAllOptions<State>, Pick<AppendOptions, 'inboxMessageId'> {
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
  /** The append cleared the stream's mark of owed work (HandleAllOptions.clearsOwedWork). */
  readonly owedWorkCleared: boolean;
  /** The append's mark came with the lease HandleAllOptions.takeLease asked for. */
  readonly leaseTaken: boolean;
}

export type HandleCommandResult<Event, State> = CommandHandled<Event, State> | DuplicateMessage;

/** One command of a group handled together (CommandHandler.handleAll). */
export interface GroupCommand<Command, Event extends DomainEvent, State> {
  readonly command: Command;
  /** The message that caused it, recorded in the inbox with the group's events; one already there is not decided. */
  readonly inboxMessageId?: string;
  /** The messages to publish for its own events, given the state after them. */
  readonly outbox?: (events: readonly Event[], state: State) => OutboxMessage[];
  /**
   * The trace its outbox rows continue (its message's consumer span); absent, the context active when
   * handleAll was called.
   */
  readonly traceparent?: string | null;
}

export interface HandleAllOptions<State> {
  /** How many times to re-read and re-decide the group after another writer appended first (default 3). */
  retries?: number;
  /** Who handles the group's messages (the inbox's consumer); required when a command has an inboxMessageId. */
  inboxConsumer?: string;
  /** Whether the state after the group owes work outside the store (AppendOptions.markPendingWork). */
  owesWork?: (state: State) => boolean;
  /**
   * The group opens the stream (its first message is the one a stream begins with): a stream not held is decided
   * on the initial state at version 0 without a read. One that exists after all (a redelivery, say) fails the
   * append's version check, which writes nothing, and is decided again on a read.
   */
  opensStream?: boolean;
  /**
   * The caller is the stream's worker finishing its work (it holds the stream's lease, if any): when the decided
   * state owes no work (`owesWork` false), the append clears the stream's mark, lease and all
   * (AppendOptions.clearPendingWork), so the worker has nothing left to release (`owedWorkCleared`).
   */
  clearsOwedWork?: boolean;
  /**
   * When the state after the group owes work, the stream's lease for this holder comes with its mark if no lease
   * holds it (AppendOptions.takeLease): for a caller that hands the stream to its worker right after (`leaseTaken`).
   */
  takeLease?: PendingWorkLease;
}

/** What became of one command of a group. */
export type GroupCommandOutcome<Event, State> =
  /** Appended; `state` and `nextExpectedVersion` as they stand after its own events. */
  | {
      readonly kind: 'handled';
      readonly newEvents: Event[];
      readonly state: State;
      readonly nextExpectedVersion: number;
    }
  /** Its message was in the inbox already (or earlier in the group): not decided. */
  | DuplicateMessage
  /** `decide` (or its outbox) threw: nothing of it was written. */
  | { readonly kind: 'rejected'; readonly error: unknown }
  /** After a rejected command: not decided, nothing written, left to the caller in order. */
  | { readonly kind: 'not-handled' };

export interface GroupHandled<Event, State> {
  /** One per command, in the order given. */
  readonly outcomes: GroupCommandOutcome<Event, State>[];
  /**
   * How many commands, from the first, are done with (handled or duplicates): all of them, or those
   * before the rejected one.
   */
  readonly completed: number;
  /** The stream's state after the group's events. */
  readonly state: State;
  readonly nextExpectedVersion: number;
  /** 1 when the first decision was appended; more when other writers won earlier attempts. */
  readonly attempts: number;
  /** The append cleared the stream's mark of owed work (HandleAllOptions.clearsOwedWork). */
  readonly owedWorkCleared: boolean;
  /** The append's mark came with the lease HandleAllOptions.takeLease asked for. */
  readonly leaseTaken: boolean;
}

/** What a command handler needs of the store (an EventStore; tests may wrap one). */
export type CommandHandlerStore = Pick<EventStore, 'readStreamAndInbox' | 'appendToStream'>;

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

/**
 * How a command handler's stream cache has served it since it was made (CommandHandler.cacheUse): what an operator
 * needs to size the cache. Whole reads growing with the traffic mean states are forgotten before they are used
 * again, and each message then reads its stream from the start: its cost grows with the length of the stream.
 */
export interface StreamCacheUse {
  /** Streams whose states are held, and the events those states were folded from together. */
  readonly streams: number;
  readonly events: number;
  /** The bounds (CommandHandlerOptions.cacheSize, cacheEvents; Infinity: no bound on events). */
  readonly maxStreams: number;
  readonly maxEvents: number;
  /**
   * Lookups answered without a read: a state decided on as held (or as new, by a group that opens its stream) and
   * proved by the append's version check, or returned as held at a version a statement just saw.
   */
  readonly withoutRead: number;
  /** Reads of only the events after a held state's version (another process appended, or a state to confirm). */
  readonly readsAfterHeld: number;
  /** Reads of a whole stream: one not held (new to this process, forgotten to make room, or too long to keep). */
  readonly wholeReads: number;
  /** States forgotten to make room (least recently used first), and states not kept at all (longer than maxEvents). */
  readonly evicted: number;
  readonly notKept: number;
}

/** A stream's state folded up to a version. */
export interface AggregatedStream<State> {
  readonly state: State;
  /** The version of the last event folded in; 0 for a stream without events. */
  readonly version: number;
}

/**
 * Runs a decider's commands against streams of the store, keeping each stream's state (and the version it
 * was folded up to) in a bounded in-memory cache, so that a command on a stream it holds reads nothing,
 * one after another process's appends reads only those, and the cost of a command does not grow with the
 * length of the stream.
 *
 * A command on a cached stream is decided on the cached state without reading the stream: the append
 * expects the cached version, so events another process (another replica) appended meanwhile fail its
 * version check (ExpectedVersionConflictError), and the command is decided again on the events after the
 * cached version, read with the inbox. A stream not cached is read first (whole), unless the group opens
 * it (HandleAllOptions.opensStream: decided as new, the append proving it); so is one whose
 * decision writes nothing or refuses a command, as only an append proves the cached state current. After
 * an append the state decided is cached at the new version. Cached states are shared between commands,
 * so `evolve` must not mutate its input state (a decider's evolve returns a new state).
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  private readonly cache: LruCache<string, AggregatedStream<State>>;
  private readonly served = { withoutRead: 0, readsAfterHeld: 0, wholeReads: 0 };

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

  /** How the cache has served this handler so far, and what it holds. */
  cacheUse(): StreamCacheUse {
    const { evicted, refused } = this.cache.forgotten;
    return {
      streams: this.cache.size,
      events: this.cache.weight,
      maxStreams: this.cache.capacity,
      maxEvents: this.cache.weightLimit,
      ...this.served,
      evicted,
      notKept: refused,
    };
  }

  /**
   * Decides on the stream's state (the cached one, else as read) and appends (with the outbox and inbox
   * rows) expecting its version; when another writer appended first, decides again on the stream read
   * afresh (at most `retries` more times after a read). A message already in the inbox is reported as
   * DuplicateMessage, never as refused by the state it produced. Errors thrown by `decide` (business
   * rules) propagate unchanged.
   */
  async handle(
    streamId: string,
    command: Command,
    options: HandleCommandOptions<Event, State> = {},
  ): Promise<HandleCommandResult<Event, State>> {
    const { inboxMessageId, outbox, ...groupOptions } = options;
    const group = await this.handleAll(streamId, [{ command, inboxMessageId, outbox }], groupOptions);
    const [outcome] = group.outcomes;
    if (outcome.kind === 'handled') {
      const { attempts, owedWorkCleared, leaseTaken } = group;
      return { ...outcome, attempts, owedWorkCleared, leaseTaken };
    }
    if (outcome.kind === 'rejected') throw outcome.error;
    return outcome as DuplicateMessage;
  }

  /**
   * Decides several commands of one stream in order, each on the state the previous ones left, and appends
   * all their events, outbox rows and inbox rows in one transaction with one version check: what a
   * consumer does with one key's messages of a batch. The messages the inbox already holds are found by
   * the same query that reads the stream, or by the append (which then writes nothing), and reported as
   * duplicates.
   *
   * When `decide` (or a command's outbox) throws, the commands before it are appended and it is reported
   * `rejected`; the ones after it are `not-handled` (not decided, nothing written): deciding them on a
   * state without the rejected one would put them before it, and a caller passing it on to its retries
   * or dead letter must be able to hand the later ones after it, in order (`completed` says how many
   * are done). A version conflict re-reads the stream and decides the whole group again (at most
   * `retries` more times after a read; a conflict on the cached state is not counted); so does a message
   * the inbox holds that the decision did not know of.
   *
   * Each command is decided on the state as a read of the stream would give it (the previous commands'
   * events with their objects' keys in jsonb's order), so that a group decides as the same commands
   * handled one by one would.
   */
  async handleAll(
    streamId: string,
    commands: readonly GroupCommand<Command, Event, State>[],
    options: HandleAllOptions<State> = {},
  ): Promise<GroupHandled<Event, State>> {
    const retries = options.retries ?? 3;
    const { inboxConsumer } = options;
    const messageIds = [...new Set(commands.flatMap((c) => c.inboxMessageId ?? []))];
    // Recorded by other consumers after our read (found by the append): only ever grows, so the loop ends.
    const recordedMeanwhile = new Set<string>();
    let conflicts = 0;
    let attempts = 0;
    // Decided on without a read: the append's version check proves it current, or finds it stale.
    let trusted =
      this.cache.get(streamId) ??
      (options.opensStream ? { state: this.decider.initialState(), version: 0 } : undefined);
    for (;;) {
      const loaded = trusted
        ? { ...trusted, processed: new Set<string>() }
        : await this.load(streamId, messageIds, inboxConsumer);
      for (const id of recordedMeanwhile) loaded.processed.add(id);
      const decided = this.decideAll(commands, loaded, inboxConsumer);
      const nothingToWrite =
        decided.events.length === 0 && decided.outbox.length === 0 && decided.inboxMessageIds.length === 0;
      if (trusted && (nothingToWrite || decided.group.completed < commands.length)) {
        // Only an append proves the cached state current: a refusal (perhaps of a redelivery the inbox holds)
        // or a decision to write nothing is taken again on the stream and inbox as read.
        trusted = undefined;
        continue;
      }
      const handled = { ...decided.group, attempts: ++attempts, owedWorkCleared: false, leaseTaken: false };
      if (nothingToWrite) return handled;
      const owesWork = options.owesWork?.(decided.group.state) ?? false;
      const clearPendingWork = !owesWork && (options.clearsOwedWork ?? false);
      try {
        const result = await this.store.appendToStream(streamId, loaded.version, decided.events, {
          outbox: decided.outbox,
          ...(decided.inboxMessageIds.length > 0 && {
            inboxMessageIds: decided.inboxMessageIds,
            inboxConsumer,
          }),
          markPendingWork: owesWork,
          clearPendingWork,
          ...(owesWork && options.takeLease && { takeLease: options.takeLease }),
        });
        if (result.kind === 'appended') {
          if (trusted) this.served.withoutRead++;
          // The state decided is the one a read would fold (see decideAll): the next command starts from it.
          this.remember(streamId, { state: handled.state, version: handled.nextExpectedVersion });
          return { ...handled, owedWorkCleared: clearPendingWork, leaseTaken: result.leaseTaken };
        }
        for (const id of (result as DuplicateMessages).messageIds) recordedMeanwhile.add(id);
      } catch (err) {
        if (!(err instanceof ExpectedVersionConflictError)) throw err;
        // A stream behind the cache (restored, say) is read whole; one ahead of it, from the cached version on.
        if (err.actualVersion !== null && err.actualVersion < loaded.version) this.cache.delete(streamId);
        // A conflict on the cached state is how it is found stale, not a race lost after a read.
        if (!trusted && ++conflicts > retries) throw err;
      }
      trusted = undefined;
    }
  }

  /**
   * The stream's current state: the cached one caught up with the events appended after it. With `knownVersion`,
   * the stream's version as a statement saw it a moment ago (a lease's claim), a state cached at that version or
   * later is current as it is (an append by this process after that statement made it): no read.
   */
  async aggregateStream(streamId: string, knownVersion?: number): Promise<AggregatedStream<State>> {
    const cached = this.cache.get(streamId);
    if (cached && knownVersion !== undefined && cached.version >= knownVersion) {
      this.served.withoutRead++;
      return cached;
    }
    const { state, version } = await this.load(streamId, [], undefined);
    return { state, version };
  }

  /** The commands decided in order on the loaded state, up to the first one that throws. */
  private decideAll(
    commands: readonly GroupCommand<Command, Event, State>[],
    loaded: AggregatedStream<State> & { processed: ReadonlySet<string> },
    inboxConsumer: string | undefined,
  ) {
    const outcomes: GroupCommandOutcome<Event, State>[] = [];
    const events: Event[] = [];
    const outbox: OutboxMessage[] = [];
    const inboxMessageIds: string[] = [];
    let state = loaded.state;
    let completed = 0;
    let rejected = false;
    for (const { command, inboxMessageId, outbox: outboxOf, traceparent } of commands) {
      if (rejected) {
        // The later ones wait for the caller, after the rejected one.
        outcomes.push({ kind: 'not-handled' });
        continue;
      }
      if (
        inboxMessageId !== undefined &&
        (loaded.processed.has(inboxMessageId) || inboxMessageIds.includes(inboxMessageId))
      ) {
        // A redelivery, or the same message twice in the group (delivered twice in one batch).
        outcomes.push({
          kind: 'duplicate-message',
          messageId: inboxMessageId,
          consumer: inboxConsumer as string,
        });
        completed++;
        continue;
      }
      try {
        const newEvents = this.decider.decide(command, state);
        const newState = newEvents.reduce(
          (s, e) => this.decider.evolve(s, { type: e.type, data: asStoredJson(e.data) } as Event),
          state,
        );
        const messages = outboxOf?.(newEvents, newState) ?? [];
        outbox.push(...(traceparent === undefined ? messages : messages.map((m) => ({ traceparent, ...m }))));
        events.push(...newEvents);
        if (inboxMessageId !== undefined) inboxMessageIds.push(inboxMessageId);
        state = newState;
        outcomes.push({
          kind: 'handled',
          newEvents,
          state,
          nextExpectedVersion: loaded.version + events.length,
        });
        completed++;
      } catch (error) {
        outcomes.push({ kind: 'rejected', error });
        rejected = true;
      }
    }
    return {
      group: { outcomes, completed, state, nextExpectedVersion: loaded.version + events.length },
      events,
      outbox,
      inboxMessageIds,
    };
  }

  /**
   * The stream's current state (the cached one caught up with the events appended after it) and which of
   * the messages the inbox holds, in one read.
   */
  private async load(
    streamId: string,
    inboxMessageIds: readonly string[],
    inboxConsumer: string | undefined,
  ): Promise<AggregatedStream<State> & { processed: Set<string> }> {
    const cached = this.cache.get(streamId);
    const after = cached?.version ?? 0;
    if (cached) this.served.readsAfterHeld++;
    else this.served.wholeReads++;
    const { events: recorded, processedMessageIds } = await this.store.readStreamAndInbox(streamId, {
      afterVersion: after,
      inboxMessageIds,
      inboxConsumer,
    });
    const processed = new Set(processedMessageIds);
    if (cached && recorded.length === 0) return { ...cached, processed };
    let state = cached?.state ?? this.decider.initialState();
    for (const event of recorded)
      state = this.decider.evolve(state, { type: event.type, data: event.data } as Event);
    const aggregated = { state, version: recorded.at(-1)?.streamVersion ?? after };
    this.remember(streamId, aggregated);
    return { ...aggregated, processed };
  }

  /** Caches a state unless a newer one is cached already (loads of one stream may overlap). */
  private remember(streamId: string, aggregated: AggregatedStream<State>): void {
    const cached = this.cache.get(streamId);
    if (cached && cached.version > aggregated.version) return;
    this.cache.set(streamId, aggregated);
  }
}
