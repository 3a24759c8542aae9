import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Outcomes of a platform call, as the call journal records them. */
export type PlatformCallOutcome = 'succeeded' | 'rejected' | 'unknown';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Platform calls by interface number (infno) and outcome, with their latency. */
  readonly platformCalls: Counter<'infno' | 'outcome'>;
  readonly platformCallSeconds: Histogram<'infno' | 'outcome'>;
  /** Messages not yet consumed (high watermark − committed offset), per topic and partition of the group. */
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** Outbox rows not yet published to Kafka. */
  readonly outboxBacklog: Gauge;
  /** Messages moved to a dead-letter topic, by the topic they came from and the reason class (@yb/messaging's DeadLetterReason). */
  readonly deadLetters: Counter<'topic' | 'reason'>;
  /** Process instances (e.g. the discharge-settlement saga) by their current state. */
  readonly sagasByState: Gauge<'saga' | 'state'>;
  /** Keys (visits) a platform worker holds: running, waiting (scheduled) and failing (waiting for a retry). */
  readonly platformWork: Gauge<'worker' | 'state'>;
  /** Outbox rows Kafka refused as too large even compressed, kept in quarantine with the reason. */
  readonly outboxQuarantined: Gauge;
  /** 1 while the consumer is in its group and fetching; 0 while starting, restarting after a crash, or stopped. */
  readonly consumerUp: Gauge;
  /** Records whose handler waits out an infrastructure fault (PostgreSQL or the broker unreachable). */
  readonly consumerWaitingRecords: Gauge;
  /** Crashes of the Kafka consumer (each followed by a restart). */
  readonly consumerCrashes: Counter;
  /** Streams a command handler's cache holds, the events their states were folded from, and its bounds on both. */
  readonly streamCacheStreams: Gauge<'cache'>;
  readonly streamCacheEvents: Gauge<'cache'>;
  readonly streamCacheStreamsLimit: Gauge<'cache'>;
  readonly streamCacheEventsLimit: Gauge<'cache'>;
  /** A command handler's lookups of a stream's state by how they were served: held, read after held, read whole. */
  readonly streamCacheLookups: Counter<'cache' | 'served'>;
  /** States a cache forgot: evicted (to make room), too_long (more events than its bound, never kept). */
  readonly streamCacheForgotten: Counter<'cache' | 'why'>;
  /** Records one platform call. */
  observePlatformCall(infno: string, outcome: PlatformCallOutcome, seconds: number): void;
  /** The Prometheus text exposition, for GET /metrics. */
  metricsText(): Promise<string>;
}

/** A registry per application (never the global one), with the metrics every service shares. */
export function createMetrics(
  serviceName: string,
  options: { defaultMetrics?: boolean } = {},
): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const platformCalls = new Counter({
    name: 'yb_platform_calls_total',
    help: 'Calls to the insurance platform by infno and outcome',
    labelNames: ['infno', 'outcome'] as const,
    registers: [registry],
  });
  const platformCallSeconds = new Histogram({
    name: 'yb_platform_call_duration_seconds',
    help: 'Latency of calls to the insurance platform',
    labelNames: ['infno', 'outcome'] as const,
    // Most answers take 25–500 ms; settlements and report uploads take seconds; a call given up at the
    // timeout (NHSA_TIMEOUT_MS, 30 s by default; longer per interface in NHSA_CALL_POLICIES) has its own buckets.
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'yb_kafka_consumer_lag',
    help: "Messages not yet consumed by the service's group (high watermark - committed offset)",
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
  });
  const outboxBacklog = new Gauge({
    name: 'yb_outbox_backlog',
    help: 'Outbox rows not yet published to Kafka',
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'yb_dead_letters_total',
    help: 'Messages moved to a dead-letter topic, by original topic and reason (invalid, refused, exhausted)',
    labelNames: ['topic', 'reason'] as const,
    registers: [registry],
  });
  const sagasByState = new Gauge({
    name: 'yb_sagas_by_state',
    help: 'Saga (process manager) instances by current state',
    labelNames: ['saga', 'state'] as const,
    registers: [registry],
  });
  const platformWork = new Gauge({
    name: 'yb_platform_work_keys',
    help: 'Keys (visits) a platform worker holds, by state: running, waiting, failing (waiting for a retry)',
    labelNames: ['worker', 'state'] as const,
    registers: [registry],
  });
  const outboxQuarantined = new Gauge({
    name: 'yb_outbox_quarantined',
    help: 'Outbox rows Kafka refused as too large even compressed, held in quarantine with the reason',
    registers: [registry],
  });
  const consumerUp = new Gauge({
    name: 'yb_consumer_up',
    help: 'Whether the Kafka consumer is in its group and fetching (0: starting, restarting after a crash, stopped)',
    registers: [registry],
  });
  const consumerWaitingRecords = new Gauge({
    name: 'yb_consumer_waiting_records',
    help: 'Records whose handler is waiting out an infrastructure fault (PostgreSQL or the broker unreachable)',
    registers: [registry],
  });
  const consumerCrashes = new Counter({
    name: 'yb_consumer_crashes_total',
    help: 'Crashes of the Kafka consumer, each followed by a restart',
    registers: [registry],
  });
  const streamCacheGauge = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: ['cache'] as const, registers: [registry] });
  const streamCacheStreams = streamCacheGauge(
    'yb_stream_cache_streams',
    "Streams whose state a command handler's cache holds",
  );
  const streamCacheEvents = streamCacheGauge(
    'yb_stream_cache_events',
    "Events the states in a command handler's cache were folded from (what bounds its memory)",
  );
  const streamCacheStreamsLimit = streamCacheGauge(
    'yb_stream_cache_streams_limit',
    "The most streams a command handler's cache holds",
  );
  const streamCacheEventsLimit = streamCacheGauge(
    'yb_stream_cache_events_limit',
    "The most events a command handler's cache holds together (+Inf: no bound)",
  );
  const streamCacheLookups = new Counter({
    name: 'yb_stream_cache_lookups_total',
    help:
      "A command handler's lookups of a stream's state: held (no read), read_after_held (the newer events), " +
      'read_whole (not held: the whole stream, a cost that grows with its length)',
    labelNames: ['cache', 'served'] as const,
    registers: [registry],
  });
  const streamCacheForgotten = new Counter({
    name: 'yb_stream_cache_forgotten_total',
    help: "States a command handler's cache forgot: evicted (to make room), too_long (past its bound on events)",
    labelNames: ['cache', 'why'] as const,
    registers: [registry],
  });
  return {
    registry,
    platformWork,
    platformCalls,
    platformCallSeconds,
    consumerLag,
    outboxBacklog,
    deadLetters,
    sagasByState,
    outboxQuarantined,
    consumerUp,
    consumerWaitingRecords,
    consumerCrashes,
    streamCacheStreams,
    streamCacheEvents,
    streamCacheStreamsLimit,
    streamCacheEventsLimit,
    streamCacheLookups,
    streamCacheForgotten,
    observePlatformCall(infno, outcome, seconds) {
      platformCalls.inc({ infno, outcome });
      platformCallSeconds.observe({ infno, outcome }, seconds);
    },
    metricsText: () => registry.metrics(),
  };
}
