import {
  PlatformConfigError,
  platformClientConfigFromEnv,
  type PlatformClientConfig,
} from '@yb/platform-client';
import { hostname } from 'node:os';
import { z } from 'zod';

/** What every service reads from its environment at start; see serviceConfigFromEnv for the variables. */
export interface ServiceConfig {
  /** The service's name: logs, metrics, traces, Kafka client id, default schema and consumer group. */
  readonly serviceName: string;
  /**
   * This process's name among the service's replicas, the same after a restart of the process (REPLICA_ID;
   * default the service and the host, a pod's name in Kubernetes): the leases it holds on shared work carry it, so
   * a restarted process takes back at once what its killed predecessor held (PendingWorkLeases).
   */
  readonly replicaId: string;
  readonly kafkaBrokers: readonly string[];
  /** The service's own consumer group (one per service; tests give each run its own). */
  readonly consumerGroup: string;
  /** Prepended to every topic name (empty in production; tests isolate their topics with it). */
  readonly topicPrefix: string;
  readonly databaseUrl: string;
  /** Connections in the service's PostgreSQL pool. */
  readonly databasePoolSize: number;
  /**
   * Visits (record keys) the consumer handles at the same time. A handler that holds a visit's lock while it
   * calls the platform (admission) holds a connection per visit: keep it below databasePoolSize.
   */
  readonly consumerKeyConcurrency: number;
  /** The service's own PostgreSQL schema: events, outbox, inbox, checkpoints, platform call journal. */
  readonly schema: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly platform: PlatformClientConfig;
  /** How long handled-message and platform-call records are kept (InboxAndJournalRetention). */
  readonly retention: RetentionConfig;
}

export interface RetentionConfig {
  /** Inbox records (handled message ids) are kept this many days (INBOX_RETENTION_DAYS, default 14). */
  readonly inboxDays: number;
  /**
   * Settled platform calls are kept this many days (PLATFORM_CALL_JOURNAL_RETENTION_DAYS, default 180);
   * unsettled ones are kept until settled.
   */
  readonly platformCallJournalDays: number;
  /**
   * A kept dead-letter payload is deleted this many days after a person replayed or resolved its dead letter
   * (DEAD_LETTER_PAYLOAD_RETENTION_DAYS, default 30); one not yet dealt with is kept.
   */
  readonly deadLetterPayloadDays: number;
}

/**
 * 14 days: a message is redelivered when a consumer restarts before committing its offset (seconds to
 * hours), or when a topic is replayed from the broker's log (the default 7-day retention of Kafka
 * topics); twice the longest of these leaves room for an offset reset done late. The journal's 180 days
 * cover a half year of monthly clearing (清算) and reconciliation disputes over a call's request and answer.
 * A replayed dead letter's payload is kept 30 days: the replay's own outcome (handled, or dead-lettered again)
 * shows within minutes, and a month leaves a person time to compare the two.
 */
export const DEFAULT_RETENTION: RetentionConfig = {
  inboxDays: 14,
  platformCallJournalDays: 180,
  deadLetterPayloadDays: 30,
};

export interface ServiceConfigDefaults {
  /** e.g. `admission`. */
  serviceName: string;
  /** The HTTP port when HTTP_PORT is not set, e.g. 8781. */
  httpPort: number;
}

/** A configuration variable is missing or wrong; `variable` names the environment variable to fix. */
export class ServiceConfigError extends Error {
  override readonly name = 'ServiceConfigError';

  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`configuration: ${variable} ${problem}`);
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const retentionDays = z
  .string()
  .regex(/^[1-9]\d{0,4}$/, { message: 'must be a whole number of days (at least 1)' })
  .transform(Number);

const environmentSchema = z.object({
  KAFKA_BROKERS: z
    .string({ required_error: 'is required (comma-separated host:port list)' })
    .transform((text) => text.split(',').map((b) => b.trim()))
    .refine((brokers) => brokers.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), {
      message: 'must be a comma-separated list of host:port',
    }),
  KAFKA_CONSUMER_GROUP: z.string().min(1).optional(),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, { message: 'may hold only letters, digits, ".", "_" and "-"' })
    .optional(),
  DATABASE_URL: z
    .string({ required_error: 'is required (postgres://user@host:port/database)' })
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// connection URL' }),
  DATABASE_POOL_SIZE: z
    .string()
    .regex(/^\d{1,3}$/, { message: 'must be a whole number' })
    .transform(Number)
    .refine((size) => size >= 2 && size <= 200, { message: 'must be between 2 and 200' })
    .optional(),
  CONSUMER_KEY_CONCURRENCY: z
    .string()
    .regex(/^\d{1,3}$/, { message: 'must be a whole number' })
    .transform(Number)
    .refine((keys) => keys >= 1 && keys <= 199, { message: 'must be between 1 and 199' })
    .optional(),
  SERVICE_SCHEMA: z
    .string()
    .regex(SCHEMA_NAME, { message: 'must be a lower-case PostgreSQL identifier (a-z, 0-9, _)' })
    .optional(),
  HTTP_HOST: z.string().min(1).optional(),
  HTTP_PORT: z
    .string()
    .regex(/^\d{1,5}$/, { message: 'must be a port number' })
    .transform(Number)
    .refine((port) => port <= 65535, { message: 'must be a port number (0-65535)' })
    .optional(),
  REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:@#/-]{1,200}$/, {
      message: 'may hold only letters, digits and . _ : @ # / - (at most 200)',
    })
    .optional(),
  INBOX_RETENTION_DAYS: retentionDays.optional(),
  PLATFORM_CALL_JOURNAL_RETENTION_DAYS: retentionDays.optional(),
  DEAD_LETTER_PAYLOAD_RETENTION_DAYS: retentionDays.optional(),
});

/**
 * Reads and validates the service's configuration; throws ServiceConfigError naming the variable.
 *
 *   KAFKA_BROKERS          host:port[,host:port…] (required)
 *   KAFKA_CONSUMER_GROUP   the service's consumer group (default: the service name)
 *   KAFKA_TOPIC_PREFIX     prefix of every topic name (default none)
 *   DATABASE_URL           postgres://… (required; a secret: environment only)
 *   DATABASE_POOL_SIZE     connections in the service's pool (default 10)
 *   CONSUMER_KEY_CONCURRENCY  visits handled at the same time (default 8; below DATABASE_POOL_SIZE)
 *   SERVICE_SCHEMA         the service's PostgreSQL schema (default: the service name, "-" → "_")
 *   HTTP_HOST, HTTP_PORT   where health and metrics are served (default 0.0.0.0 and the service's port)
 *   REPLICA_ID             this replica's name, unique among the service's live processes and kept across a restart
 *                          (default `<service>@<hostname>`; the chart sets the pod's name, the test harness one per replica)
 *   INBOX_RETENTION_DAYS   days an inbox record is kept (default 14; see DEFAULT_RETENTION for why)
 *   PLATFORM_CALL_JOURNAL_RETENTION_DAYS  days a settled platform call is kept (default 180)
 *   DEAD_LETTER_PAYLOAD_RETENTION_DAYS    days a kept dead-letter payload outlives its replay or resolution (30)
 *   NHSA_*                 the platform client's variables (platformClientConfigFromEnv in @yb/platform-client)
 */
export function serviceConfigFromEnv(
  defaults: ServiceConfigDefaults,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceConfigError(String(issue.path[0]), issue.message);
  }
  const vars = parsed.data;
  const databasePoolSize = vars.DATABASE_POOL_SIZE ?? 10;
  const consumerKeyConcurrency = vars.CONSUMER_KEY_CONCURRENCY ?? 8;
  if (consumerKeyConcurrency >= databasePoolSize) {
    throw new ServiceConfigError(
      'CONSUMER_KEY_CONCURRENCY',
      `must be below DATABASE_POOL_SIZE (${databasePoolSize}): a visit being handled may hold a connection for its lock and need another`,
    );
  }
  let platform: PlatformClientConfig;
  try {
    platform = platformClientConfigFromEnv(env);
  } catch (err) {
    if (err instanceof PlatformConfigError) throw new ServiceConfigError(err.field, err.detail);
    throw err;
  }
  return {
    serviceName: defaults.serviceName,
    replicaId: vars.REPLICA_ID ?? `${defaults.serviceName}@${hostname()}`,
    kafkaBrokers: vars.KAFKA_BROKERS,
    consumerGroup: vars.KAFKA_CONSUMER_GROUP ?? defaults.serviceName,
    topicPrefix: vars.KAFKA_TOPIC_PREFIX ?? '',
    databaseUrl: vars.DATABASE_URL,
    databasePoolSize,
    consumerKeyConcurrency,
    schema: vars.SERVICE_SCHEMA ?? defaults.serviceName.replace(/-/g, '_'),
    httpHost: vars.HTTP_HOST ?? '0.0.0.0',
    httpPort: vars.HTTP_PORT ?? defaults.httpPort,
    platform,
    retention: {
      inboxDays: vars.INBOX_RETENTION_DAYS ?? DEFAULT_RETENTION.inboxDays,
      platformCallJournalDays:
        vars.PLATFORM_CALL_JOURNAL_RETENTION_DAYS ?? DEFAULT_RETENTION.platformCallJournalDays,
      deadLetterPayloadDays:
        vars.DEAD_LETTER_PAYLOAD_RETENTION_DAYS ?? DEFAULT_RETENTION.deadLetterPayloadDays,
    },
  };
}

/** The topic's name in this deployment (the contracts' name behind KAFKA_TOPIC_PREFIX). */
export function topicName(config: Pick<ServiceConfig, 'topicPrefix'>, topic: string): string {
  return `${config.topicPrefix}${topic}`;
}
