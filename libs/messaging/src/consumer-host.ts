import { type Context, type Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import {
  type Envelope,
  type MessageOf,
  type MessageType,
  MessageHeaders,
  TRACEPARENT_PATTERN,
  dlqTopic,
} from '@yb/contracts';
import {
  CompressionTypes,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
} from 'kafkajs';
import { maskIdentifiersInText } from '@yb/observability';
import { Keyring, identifierValuesOf } from '@yb/sealing';
import { registerCompressionCodecs } from './compression-codecs';
import {
  type DeadLetterInput,
  type DeadLetterPayloadStore,
  ORIGINAL_RECORD_LOCATION,
  deadLetterPointer,
  deadLetterRecord,
} from './dead-letter';
import { type DecodedRecord, decodeRecord } from './decode-record';
import { assertTopicsExist, ensureTopics } from './ensure-topics';
import { isInfrastructureError, isMessageTooLarge } from './error-kinds';
import { headersAsText } from './headers';
import { KafkaPublisher } from './kafka-publisher';
import { type MessagingLogger, stderrLogger } from './logger';
import { SkippedOffsets } from './skipped-offsets';
import {
  DEFAULT_RETRY_POLICY,
  PermanentHandlerError,
  type RetryPolicy,
  retryDelayMs,
  validateRetryPolicy,
} from './retry-policy';
import { contextFromTraceparent, deliveredTraceparent } from './trace-context';

/** A validated message handed to a handler, with where it came from. */
export interface ConsumedMessage<T extends MessageType = MessageType> {
  /**
   * Its `traceparent` is the context the record was delivered in: the record's traceparent header (the
   * producer's span, e.g. the outbox relay's) when it has one, else the payload's. Work a handler defers
   * (a queue, a timer) continues the trace from it.
   */
  readonly envelope: MessageOf<T>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string>>;
  /** 1 on first delivery to the handler, then 2, 3… on retries. */
  readonly attempt: number;
}

/**
 * Handles one message. It must resolve only after its effects are durable (its database transaction,
 * with the inbox row, committed): the offset is committed after it resolves. It may run more than
 * once for one message (redelivery after a crash), so its effects must be idempotent on envelope.id.
 */
export type MessageHandler<T extends MessageType = MessageType> = (
  message: ConsumedMessage<T>,
) => Promise<void>;

/** A message of a key group (see MessageGroupHandler), with the context of its own consumer span. */
export interface GroupedMessage<T extends MessageType = MessageType> extends ConsumedMessage<T> {
  /**
   * The context of this record's consumer span. The group handler runs in the first record's; what is done
   * for this record alone continues its own trace from here (e.g. the traceparent of the outbox rows it
   * causes, currentTraceparent(traceContext)).
   */
  readonly traceContext: Context;
}

/**
 * Handles the consecutive records of one key in a batch at once (e.g. one transaction for all of them,
 * CommandHandler.handleAll), in offset order: the records between them of types it does not handle are
 * skipped, invalid ones dead-lettered, and a record of a type another handler takes ends the group. It must
 * resolve only after the effects of every message are durable: all of them are then done with. When it
 * throws, the first `count` messages last passed to `done(count)` are done with and the others go through
 * the one-record path, one at a time in order: this handler called with a group of one (there `done` means
 * nothing), retried with backoff and dead-lettered when it keeps failing. As with MessageHandler, it may
 * see a message again after a crash, so its effects must be idempotent on envelope.id.
 */
export type MessageGroupHandler<T extends MessageType = MessageType> = (
  messages: readonly GroupedMessage<T>[],
  done: (count: number) => void,
) => Promise<void>;

export interface KafkaConsumerHostOptions {
  kafka: Kafka;
  /** One consumer group per service. */
  groupId: string;
  /** The topics the service reads; they must exist (their `.dlq` twins are created if missing). */
  topics: readonly string[];
  retry?: Partial<RetryPolicy>;
  /** Partitions processed at the same time (default 3). */
  partitionsConsumedConcurrently?: number;
  /**
   * Keys (visits) processed at the same time, across all the partitions' batches in hand (default 8); a key's
   * records are always processed one after the other, in offset order. Bounded host-wide so that handlers
   * holding a database connection while taking another (a visit lock) cannot take the whole pool (10).
   */
  keysConsumedConcurrently?: number;
  /**
   * How long the broker waits without a heartbeat before it gives a member's partitions to others (default 6 s,
   * the broker's group.min.session.timeout.ms): a killed service's partitions move on, or its restart resumes
   * them, within that. Heartbeats go every heartbeatIntervalMs (default 1 s) while a batch is processed too, so a
   * long handler does not lose the membership.
   */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /**
   * How long the offset of a batch it skipped whole (no record of a type it handles) waits for another commit to
   * go with before it is committed by itself (default 100 ms): see SkippedOffsets.
   */
  skippedCommitDelayMs?: number;
  /** Where dead letters are sent; the host creates and owns one when absent. */
  publisher?: KafkaPublisher;
  /**
   * Keeps the payload of a dead letter too large for its topic even compressed; without one, the dead letter
   * points at the original record (readable until the original topic's retention drops it).
   */
  deadLetterPayloads?: DeadLetterPayloadStore;
  /**
   * Seals dead letters' payloads on their topic (default: the services' keyring, NHSA_JOURNAL_KEYS; without keys
   * they go clear, which is for development only).
   */
  keyring?: Keyring;
  logger?: MessagingLogger;
  /** Told of every record moved to a dead-letter topic, after the send succeeded (e.g. to count them). */
  onDeadLetter?: (deadLetter: { topic: string; reason: DeadLetterReason }) => void;
  /** Told of every crash of the kafkajs consumer (e.g. to count them); the host restarts it. */
  onCrash?: (error: Error) => void;
}

/**
 * What the consumer is doing, for readiness and metrics. `consuming`: in the group (joined at start, or a fetch
 * answered since the last crash); `starting`: joining; `restarting`: crashed and being started again (by kafkajs
 * itself for a retriable error, by the host otherwise); `stopped`: not started, or stopped.
 */
export interface ConsumerHealth {
  state: 'stopped' | 'starting' | 'consuming' | 'restarting';
  /** The last crash, while the consumer has not fetched since. */
  crash?: { error: string; at: Date };
  /**
   * Records whose handler is waiting out an infrastructure fault (PostgreSQL or the broker unreachable), since
   * when, and the last such error; absent when none is.
   */
  waiting?: { records: number; since: Date; error: string };
}

/**
 * Why a record went to the dead-letter topic: refused at the edge (not JSON, bad envelope, unknown type or
 * version, key ≠ envelope.key, data not matching its schema), refused by its handler (PermanentHandlerError),
 * or still failing after the last retry.
 */
export type DeadLetterReason = 'invalid' | 'refused' | 'exhausted';

const tracer = trace.getTracer('@yb/messaging');

const DEFAULT_KEYS_CONSUMED_CONCURRENTLY = 8;
const DEFAULT_SESSION_TIMEOUT_MS = 6_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
/**
 * Fetches wait at most this long for records: a stopping consumer waits for the fetch in flight before it leaves
 * its group, so this bounds how long its partitions stay unserved (kafkajs's default is 5 s).
 */
const MAX_FETCH_WAIT_MS = 500;
/**
 * How long the offset of a batch the service skipped whole waits for a commit to go with (SkippedOffsets): short,
 * as it is also how long another replica's reader of the group's committed offsets may wait for it.
 */
const DEFAULT_SKIPPED_COMMIT_DELAY_MS = 100;
/** A crashed consumer is started again after 1 s, doubling up to 30 s while it keeps crashing before it fetches. */
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;

/**
 * The service's consumer loop, owned here rather than by NestJS's Kafka transport, which commits
 * messages that have no handler, retries a failing handler forever and shares one consumer across
 * topics. Per batch of a partition: the records grouped by key (the visit), the groups run concurrently,
 * each group's records in offset order; per record: skip by its type header or validate at the edge → skip
 * types the service does not handle → run the handler in a consumer span (child of the producer's
 * traceparent) with bounded retries → dead-letter what cannot be handled; then one offset commit for the
 * batch, up to the first record not done with (a batch skipped whole goes with the next commit: SkippedOffsets).
 * A plain class (wrapped by MessagingModule for NestJS) so that any service, HTTP or not, runs it, and tests drive
 * it without an application.
 */
export class KafkaConsumerHost {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly groupHandlers = new Map<string, MessageGroupHandler>();
  private readonly retry: RetryPolicy;
  /** One per key being processed, shared by the partitions' batches. */
  private readonly keySlots: Slots;
  private readonly logger: MessagingLogger;
  private readonly ownsPublisher: boolean;
  private readonly publisher: KafkaPublisher;
  /** Seals dead letters' payloads. */
  private readonly keyring: Keyring;
  private consumer: Consumer | undefined;
  /** The offsets of skipped batches waiting to be committed by `consumer`. */
  private skipped: SkippedOffsets | undefined;
  /** Aborted on stop, so that a message waiting between retries is left for redelivery. */
  private stopping = new AbortController();
  /** The batches being processed (one per partition at most), awaited by stop(). */
  private readonly inFlight = new Set<Promise<void>>();
  private state: ConsumerHealth['state'] = 'stopped';
  private crash: ConsumerHealth['crash'];
  private restartTimer: NodeJS.Timeout | undefined;
  /** A restart under way, awaited by stop() so that it does not leave a consumer behind. */
  private restarting: Promise<void> | undefined;
  private restartDelayMs = RESTART_FIRST_DELAY_MS;
  /** Records waiting out an infrastructure fault now, since when, and the last such error. */
  private readonly waiting = { records: 0, since: new Date(0), error: '' };

  constructor(private readonly options: KafkaConsumerHostOptions) {
    if (options.topics.length === 0) throw new Error('KafkaConsumerHost needs at least one topic');
    this.retry = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    const keys = options.keysConsumedConcurrently ?? DEFAULT_KEYS_CONSUMED_CONCURRENTLY;
    if (!Number.isInteger(keys) || keys < 1) {
      throw new Error(`keysConsumedConcurrently must be an integer ≥ 1, got ${keys}`);
    }
    this.keySlots = new Slots(keys);
    this.logger = options.logger ?? stderrLogger;
    this.ownsPublisher = options.publisher === undefined;
    this.publisher = options.publisher ?? new KafkaPublisher(options.kafka);
    this.keyring = options.keyring ?? Keyring.fromEnv();
    registerCompressionCodecs();
  }

  /** Registers the handler of a message type; types without a handler are skipped (and committed). */
  handle<T extends MessageType>(type: T, handler: MessageHandler<T>): this {
    if (this.consumer) throw new Error(`cannot register a handler for ${type} after start()`);
    if (this.handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
    this.handlers.set(type, handler as unknown as MessageHandler);
    return this;
  }

  /**
   * Registers the handler of key groups of these types (see MessageGroupHandler), which is also their
   * one-record handler (called with a group of one). One handler for several types groups their records
   * together; types without a handler are skipped (and committed).
   */
  handleGroup<T extends MessageType>(types: readonly T[], handler: MessageGroupHandler<T>): this {
    for (const [i, type] of types.entries()) {
      if (this.handlers.has(type) || types.indexOf(type) !== i) {
        throw new Error(`a handler for ${type} is already registered`);
      }
    }
    const group = handler as unknown as MessageGroupHandler;
    for (const type of types) {
      // In the one-record path the record's consumer span is the active context.
      this.handle(type, (message) =>
        group([{ ...message, traceContext: context.active() }], () => undefined),
      );
      this.groupHandlers.set(type, group);
    }
    return this;
  }

  get handledTypes(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Commits now the offsets of the batches it skipped whole, which otherwise wait up to `skippedCommitDelayMs` for
   * a commit to go with: for a reader of the group's committed offsets in this process that must not wait.
   */
  async commitSkippedOffsets(): Promise<void> {
    await this.skipped?.commitNow();
  }

  /** The consumer's state and any fault it is waiting out, for /health/ready and the metrics. */
  health(): ConsumerHealth {
    return {
      state: this.state,
      ...(this.crash && { crash: this.crash }),
      ...(this.waiting.records > 0 && {
        waiting: { records: this.waiting.records, since: this.waiting.since, error: this.waiting.error },
      }),
    };
  }

  async start(): Promise<void> {
    if (this.state !== 'stopped') throw new Error('KafkaConsumerHost already started');
    const { kafka, groupId, topics } = this.options;
    this.state = 'starting';
    this.crash = undefined;
    this.restartDelayMs = RESTART_FIRST_DELAY_MS;
    try {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await assertTopicsExist(admin, topics);
        await ensureTopics(admin, topics.map(dlqTopic));
      } finally {
        await admin.disconnect();
      }
      await this.publisher.connect();
      this.stopping = new AbortController();
      await this.runConsumer();
      // In the group with partitions assigned; a crash from here on says so (after a restart, only a fetch does).
      if (this.state === 'starting') this.state = 'consuming';
    } catch (err) {
      this.state = 'stopped';
      await this.consumer?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      throw err;
    }
    this.logger.info({ groupId, topics, handles: this.handledTypes }, 'consumer started');
  }

  /**
   * Stops fetching, lets the messages in hand finish and commit their offsets, then leaves the group (at once: the
   * broker gives its partitions to the other members without waiting for the session timeout) and disconnects. A
   * message waiting between retries is not committed and will be redelivered.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.stopping.abort();
    clearTimeout(this.restartTimer);
    await this.restarting;
    const consumer = this.consumer;
    if (consumer) {
      // Pausing stops fetching while the group stays joined, so the messages in hand can still commit.
      consumer.pause(this.options.topics.map((topic) => ({ topic })));
      await Promise.allSettled([...this.inFlight]);
      await this.skipped?.commitNow();
      await consumer.disconnect();
      this.consumer = undefined;
    }
    if (this.ownsPublisher) await this.publisher.disconnect();
    this.logger.info({ groupId: this.options.groupId }, 'consumer stopped');
  }

  /**
   * Creates, subscribes and runs a kafkajs consumer, watching it: in the group and fetching → `consuming`; a crash
   * → `restarting`, and started again here when kafkajs does not restart it itself (a non-retriable error, e.g. a
   * record it cannot decode): a live process that consumes nothing is what must never be.
   */
  private async runConsumer(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const sessionTimeout = this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    const heartbeatInterval = this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout,
      heartbeatInterval,
      maxWaitTimeInMs: MAX_FETCH_WAIT_MS,
    });
    this.consumer = consumer;
    const skipped = new SkippedOffsets(
      (offsets) => consumer.commitOffsets(offsets),
      this.options.skippedCommitDelayMs ?? DEFAULT_SKIPPED_COMMIT_DELAY_MS,
      (err) =>
        this.logger.warn({ groupId, error: (err as Error).message }, 'committing skipped batches failed'),
    );
    this.skipped = skipped;
    // The partitions are assigned again: what this member skipped is its next owner's to read (and skip) again.
    consumer.on(consumer.events.REBALANCING, () => skipped.drop());
    consumer.on(consumer.events.GROUP_JOIN, () => skipped.drop());
    consumer.on(consumer.events.FETCH, () => {
      if (this.consumer !== consumer || this.state === 'stopped') return;
      this.state = 'consuming';
      this.crash = undefined;
      this.restartDelayMs = RESTART_FIRST_DELAY_MS;
    });
    consumer.on(consumer.events.CRASH, ({ payload: { error, restart } }) => {
      skipped.drop();
      if (this.consumer !== consumer || this.state === 'stopped') return;
      this.state = 'restarting';
      this.crash = { error: error.message, at: new Date() };
      this.options.onCrash?.(error);
      this.logger.error(
        { groupId, error: error.message, errorName: error.name, restartedBy: restart ? 'kafkajs' : 'host' },
        'consumer crashed; it will be started again',
      );
      if (!restart) this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // Only what is done with is resolved, so kafkajs fetches again from the first record left undone.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async (payload) => {
        // Fetched before stop() paused the topics: leave it uncommitted for the next consumer.
        if (this.stopping.signal.aborted) return;
        // kafkajs heartbeats only when asked: a handler that takes longer than the session timeout must not cost
        // the membership. A failing heartbeat (a rebalance) is seen by the batch's own next heartbeat.
        const beat = setInterval(() => payload.heartbeat().catch(() => undefined), heartbeatInterval);
        const work = this.processBatch(skipped, payload);
        this.inFlight.add(work);
        try {
          await work;
        } finally {
          clearInterval(beat);
          this.inFlight.delete(work);
        }
      },
    });
  }

  private scheduleRestart(): void {
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, RESTART_MAX_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      this.restarting = (async () => {
        await this.consumer?.disconnect().catch(() => undefined);
        await this.runConsumer();
      })()
        .catch((err: unknown) => {
          // Could not even join (the broker unreachable): try again later, still not consuming.
          if (this.state === 'stopped') return;
          this.crash = { error: (err as Error).message, at: new Date() };
          this.logger.error(
            { groupId: this.options.groupId, error: (err as Error).message },
            'consumer restart failed',
          );
          this.scheduleRestart();
        })
        .finally(() => (this.restarting = undefined));
    }, delay);
  }

  /**
   * Runs a partition's batch: its keys concurrently (bounded host-wide), each key's records in offset order,
   * then commits once, up to the first record not done with. A key stops at a record left for redelivery (stop
   * during a retry wait), so that it is not overtaken; every key stops starting records on stop(), on a
   * rebalance (the partition may be another member's by now) and after an error, which is rethrown once the
   * records in hand finished and the done ones were committed (kafkajs then fetches again from the first
   * undone record).
   */
  private async processBatch(
    skipped: SkippedOffsets,
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload,
  ): Promise<void> {
    const { topic, partition, messages } = batch;
    const done = messages.map(() => false);
    let skips = 0;
    let failure: { error: unknown } | undefined;
    const mayStart = () =>
      failure === undefined && !this.stopping.signal.aborted && isRunning() && !isStale();

    /** One record through the one-record path; false when the key must stop (at it, or after an error). */
    const processOne = async (i: number): Promise<boolean> => {
      if (!mayStart()) return false;
      if (!(await this.process(topic, partition, messages[i], heartbeat))) return false;
      done[i] = true;
      // Rate-limited by kafkajs (heartbeatInterval): a long batch keeps the group membership alive.
      await heartbeat();
      return true;
    };
    /** A key group to its handler; the records it did not report done one at a time, in order. */
    const processGroup = async (group: PendingGroup): Promise<boolean> => {
      if (!mayStart()) return false;
      const handled = await this.processGroup(topic, partition, group);
      for (const { index } of group.records.slice(0, handled)) done[index] = true;
      await heartbeat();
      for (const { index } of group.records.slice(handled)) if (!(await processOne(index))) return false;
      return true;
    };
    const processKey = async (indexes: readonly number[]) => {
      let group: PendingGroup | undefined;
      try {
        for (const i of indexes) {
          if (!mayStart()) return;
          const route = this.route(messages[i]);
          if (route.to === 'skip') {
            done[i] = true;
            skips += 1;
            continue;
          }
          if (route.to === 'dead-letter') {
            // Nothing waits for an invalid record: the group around it goes on.
            if (!(await processOne(i))) return;
            continue;
          }
          const record = { index: i, record: messages[i] };
          if (route.to === 'group' && group?.handler === route.handler) {
            group.records.push({ ...record, decoded: route.decoded });
            continue;
          }
          // Anything else comes after the records before it of its key: the pending group goes first.
          if (group && !(await processGroup(group))) return;
          group = undefined;
          if (route.to === 'group') {
            group = { handler: route.handler, records: [{ ...record, decoded: route.decoded }] };
          } else if (!(await processOne(i))) return;
        }
        if (group) await processGroup(group);
      } catch (error) {
        failure ??= { error };
      }
    };
    await Promise.all(
      [...indexesByKey(messages).values()].map((indexes) => this.keySlots.run(() => processKey(indexes))),
    );

    const undone = done.indexOf(false);
    if (undone !== 0) {
      const allDone = undone === -1;
      const last = messages[allDone ? messages.length - 1 : undone - 1].offset;
      resolveOffset(last);
      // Past the batch's control records too when every record is done (kafkajs filters them out).
      const next = BigInt(allDone ? batch.lastOffset() : last) + 1n;
      const offset = { topic, partition, offset: next.toString() };
      if (skips === messages.length) skipped.reached(offset);
      else await skipped.commitAlong(offset);
    }
    if (failure) throw failure.error;
  }

  /**
   * Which way a record goes when the service has group handlers: decoded here only when its type header
   * does not already say (a record without the header, or of a grouped type).
   */
  private route(record: KafkaMessage): Route {
    const headers = headersAsText(record.headers);
    const type = headers[MessageHeaders.messageType];
    if (type !== undefined && !this.groupHandlers.has(type)) {
      return this.handlers.has(type) ? { to: 'one' } : { to: 'skip' };
    }
    // Without group handlers, the one-record path decodes it (once).
    if (this.groupHandlers.size === 0) return { to: 'one' };
    const decoded = decodeRecord(
      { key: record.key, value: record.value, headers },
      (t) => this.handlers.has(t),
      this.keyring,
    );
    if (decoded.outcome === 'skip') return { to: 'skip' };
    if (decoded.outcome === 'invalid') return { to: 'dead-letter' };
    const handler = this.groupHandlers.get(decoded.envelope.type);
    return handler ? { to: 'group', handler, decoded } : { to: 'one' };
  }

  /**
   * Runs a key group's handler, each record in a consumer span of its own (the child of the context it was
   * delivered in, as in the one-record path, so that every message's trace goes on through the consumer;
   * a span per group with links would end each message's trace at the producer in backends that ignore
   * links, Zipkin among them). Returns how many records, from the first, are done with.
   */
  private async processGroup(topic: string, partition: number, group: PendingGroup): Promise<number> {
    const delivered = group.records.map(({ record, decoded }) => {
      const headers = headersAsText(record.headers);
      const traceparent = deliveredTraceparent(
        headers[MessageHeaders.traceparent] ?? decoded.envelope.traceparent,
        decoded.envelope.id,
      );
      const span = this.startConsumerSpan(topic, partition, record, decoded.envelope, traceparent);
      const message: GroupedMessage = {
        envelope: deliveredIn(decoded.message, traceparent),
        topic,
        partition,
        offset: record.offset,
        headers,
        attempt: 1,
        traceContext: trace.setSpan(context.active(), span),
      };
      return { span, message };
    });
    const messages = delivered.map((d) => d.message);
    let reported = 0;
    const done = (count: number) => {
      if (!Number.isInteger(count) || count < 0 || count > messages.length) {
        throw new RangeError(`done(count) takes an integer from 0 to ${messages.length}, got ${count}`);
      }
      reported = Math.max(reported, count);
    };
    try {
      await context.with(messages[0].traceContext, () => group.handler(messages, done));
      return messages.length;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const { span } of delivered.slice(reported)) {
        span.recordException(error);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: `group failed, handled alone: ${error.message}`,
        });
      }
      this.logger.warn(
        {
          topic,
          partition,
          offsets: messages.map((m) => m.offset),
          done: reported,
          error: error.message,
        },
        'group handler failed; its records not done are handled one at a time',
      );
      return reported;
    } finally {
      for (const { span } of delivered) span.end();
    }
  }

  /**
   * A record's CONSUMER span, the child of the context it was delivered in (its traceparent, derived from the
   * envelope id when the producer sent none: deliveredTraceparent).
   */
  private startConsumerSpan(
    topic: string,
    partition: number,
    record: KafkaMessage,
    envelope: Envelope | undefined,
    traceparent: string | undefined,
  ): Span {
    return tracer.startSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(record.offset),
          'messaging.consumer.group.name': this.options.groupId,
          // The visit (ipt_no): how an SRE finds a patient episode's traces. Never a patient identifier.
          ...(record.key && { 'messaging.kafka.message.key': record.key.toString('utf8') }),
          ...(envelope && { 'messaging.message.id': envelope.id, 'yb.message.type': envelope.type }),
        },
      },
      contextFromTraceparent(traceparent),
    );
  }

  /** Returns whether the record is done with (handled, skipped or dead-lettered) and may be committed. */
  private async process(
    topic: string,
    partition: number,
    record: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const headers = headersAsText(record.headers);
    const where = { topic, partition, offset: record.offset };
    const decoded = decodeRecord(
      { key: record.key, value: record.value, headers },
      (type) => this.handlers.has(type),
      this.keyring,
    );
    if (decoded.outcome === 'skip') return true;

    const traceparent = deliveredTraceparent(
      headers[MessageHeaders.traceparent] ?? decoded.envelope?.traceparent,
      decoded.envelope?.id,
    );
    const span = this.startConsumerSpan(topic, partition, record, decoded.envelope, traceparent);
    try {
      if (decoded.outcome === 'invalid') {
        await this.deadLetter(topic, partition, record, { class: 'invalid', text: decoded.reason }, 0);
        span.setStatus({ code: SpanStatusCode.ERROR, message: decoded.reason });
        return true;
      }
      const message = deliveredIn(decoded.message, traceparent);
      const handler = this.handlers.get(message.type) as MessageHandler;
      return await context.with(trace.setSpan(context.active(), span), () =>
        this.runWithRetries(handler, { envelope: message, ...where, headers }, record, heartbeat, span),
      );
    } finally {
      span.end();
    }
  }

  /**
   * Runs the handler until it succeeds, the record is dead-lettered, or the host stops (false: left for
   * redelivery). An infrastructure fault (PostgreSQL or the broker unreachable: isInfrastructureError) is waited
   * out, however long, with the same capped backoff, and is counted in health() meanwhile; only other failures use
   * up the attempts before the dead letter.
   */
  private async runWithRetries(
    handler: MessageHandler,
    delivery: Omit<ConsumedMessage, 'attempt'>,
    record: KafkaMessage,
    heartbeat: () => Promise<void>,
    span: ReturnType<typeof tracer.startSpan>,
  ): Promise<boolean> {
    const { topic, partition, envelope } = delivery;
    let failures = 0;
    let faults = 0;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await handler({ ...delivery, attempt });
          return true;
        } catch (err) {
          const error = err instanceof Error ? err : new Error(String(err));
          span.recordException(error);
          const log = {
            topic,
            partition,
            offset: delivery.offset,
            messageId: envelope.id,
            type: envelope.type,
            attempt,
          };
          let delay: number;
          // Judged on what was thrown: the wrapping above (a non-Error, or an Error of another realm such as
          // Jest's sandbox) keeps no code.
          if (isInfrastructureError(err)) {
            if (faults++ === 0) this.beginWaiting();
            this.waiting.error = error.message;
            delay = retryDelayMs(this.retry, faults);
            this.logger.warn(
              { ...log, delayMs: delay, error: error.message },
              'infrastructure unavailable; waiting it out',
            );
          } else {
            failures++;
            const permanent = error instanceof PermanentHandlerError;
            if (permanent || failures >= this.retry.maxAttempts) {
              const reason = permanent
                ? `handler refused the message: ${error.message}`
                : `handler failed ${failures} times; last error: ${error.message}`;
              span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
              const why = { class: permanent ? 'refused' : 'exhausted', text: reason } as const;
              await this.deadLetter(topic, partition, record, why, attempt);
              return true;
            }
            delay = retryDelayMs(this.retry, failures);
            this.logger.warn({ ...log, delayMs: delay, error: error.message }, 'handler failed; retrying');
          }
          await heartbeat();
          if (!(await this.sleepUnlessStopping(delay))) {
            this.logger.warn(log, 'stopping while a message waits for a retry; it will be redelivered');
            return false;
          }
        }
      }
    } finally {
      if (faults > 0) this.waiting.records--;
    }
  }

  private beginWaiting(): void {
    if (this.waiting.records++ === 0) this.waiting.since = new Date();
  }

  /**
   * Sends the dead letter, gzip-compressed (a record near the broker's size limit plus the reason would not fit
   * otherwise; gzip because every Kafka client reads it). Still too large: the payload is kept by the
   * deadLetterPayloads store (or left in the original record) and the dead letter goes without it, pointing there.
   * Any other failure propagates: the offset stays uncommitted and the record comes back.
   */
  private async deadLetter(
    topic: string,
    partition: number,
    record: KafkaMessage,
    why: { class: DeadLetterReason; text: string },
    attempts: number,
  ): Promise<void> {
    // The reason may quote the record (a handler's error, the platform's err_msg): ID and mobile numbers, and the
    // record's own identifier values (a name no pattern finds), are masked on the topic that everyone reads.
    const reason = maskIdentifiersInText(why.text, identifierValuesOf(jsonOf(record.value)));
    const input: DeadLetterInput = {
      topic,
      partition,
      offset: record.offset,
      key: record.key,
      value: record.value,
      headers: record.headers,
      groupId: this.options.groupId,
      reason,
      attempts,
      failedAt: new Date(),
    };
    let dead = deadLetterRecord(input, this.keyring);
    try {
      await this.publisher.publishRecords(dead.topic, [dead.message], CompressionTypes.GZIP);
    } catch (error) {
      if (!isMessageTooLarge(error)) throw error;
      const location = this.options.deadLetterPayloads
        ? await this.options.deadLetterPayloads.keep(input)
        : ORIGINAL_RECORD_LOCATION;
      dead = deadLetterPointer(input, location);
      await this.publisher.publishRecords(dead.topic, [dead.message], CompressionTypes.GZIP);
    }
    this.options.onDeadLetter?.({ topic, reason: why.class });
    this.logger.error(
      {
        topic,
        partition,
        offset: record.offset,
        deadLetterTopic: dead.topic,
        attempts,
        reasonClass: why.class,
        reason,
        ...(dead.message.value === null && { payloadBytes: record.value?.length ?? 0 }),
      },
      'message moved to the dead-letter topic',
    );
  }

  private sleepUnlessStopping(ms: number): Promise<boolean> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The record's payload as JSON; undefined when it is none (not JSON, or absent). */
function jsonOf(value: Buffer | null): unknown {
  try {
    return value === null ? undefined : (JSON.parse(value.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}

/** The message as handed to a handler: its traceparent is the context it was delivered in, when valid. */
function deliveredIn(
  message: MessageOf<MessageType>,
  traceparent: string | undefined,
): MessageOf<MessageType> {
  return traceparent && TRACEPARENT_PATTERN.test(traceparent) ? { ...message, traceparent } : message;
}

/** Where a record goes in its key's turn (see KafkaConsumerHost.route). */
type Route =
  | { to: 'skip' }
  | { to: 'dead-letter' }
  | { to: 'one' }
  | { to: 'group'; handler: MessageGroupHandler; decoded: Extract<DecodedRecord, { outcome: 'handle' }> };

/** Consecutive records of a key for one group handler, not yet handed over. */
interface PendingGroup {
  readonly handler: MessageGroupHandler;
  readonly records: {
    readonly index: number;
    readonly record: KafkaMessage;
    readonly decoded: Extract<DecodedRecord, { outcome: 'handle' }>;
  }[];
}

/** The positions of a batch's records by record key, each key's in offset order; keys in order of first record. */
function indexesByKey(messages: readonly KafkaMessage[]): Map<string | null, number[]> {
  const byKey = new Map<string | null, number[]>();
  messages.forEach((message, i) => {
    const key = message.key?.toString('latin1') ?? null;
    const indexes = byKey.get(key);
    if (indexes) indexes.push(i);
    else byKey.set(key, [i]);
  });
  return byKey;
}

/** At most `limit` pieces of work at once, started in the order they asked. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = limit;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
