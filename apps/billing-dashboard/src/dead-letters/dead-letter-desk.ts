import { Inject, Injectable, NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import { ALL_TOPICS, MessageHeaders, dlqTopic } from '@yb/contracts';
import { headersAsText } from '@yb/messaging';
import { maskIdentifiersInText } from '@yb/observability';
import {
  DeadLetters,
  SERVICE_CONFIG,
  maskedPayload,
  parseRef,
  topicName,
  type DeadLetter,
  type Replay,
  type ServiceConfig,
} from '@yb/service-runtime';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { type DashboardConfig } from '../dashboard-config';
import { DASHBOARD_CONFIG } from '../dashboard-topics';

/** A dead letter as the admin page lists it: where, when, why, and what a person did with it. */
export interface DeadLetterRow {
  topic: string;
  ref: string;
  original_topic: string;
  failed_at: string;
  consumer_group: string;
  attempts: number;
  message_type: string | null;
  key: string | null;
  /** Masked: a reason may quote a request or an answer. */
  reason: string;
  payload_location: string | null;
  disposition: {
    action: Replay['action'];
    by: string;
    at: string;
    replayed_as: string | null;
    note: string | null;
  } | null;
}

/**
 * The dashboard's side of the dead letters (admin only): the same library and the same books as `npm run dlq`
 * (`<DLQ_SCHEMA>.replays`), so that a dead letter is replayed once whether a person uses the page or the command.
 * Only the product's own dead-letter topics are read. Who acted is recorded as `dashboard:<user>`.
 */
@Injectable()
export class DeadLetterDesk implements OnApplicationShutdown {
  private readonly db: Pool;
  private readonly deadLetters: DeadLetters;
  readonly topics: readonly string[];

  constructor(
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(DASHBOARD_CONFIG) dashboard: DashboardConfig,
  ) {
    // Its own two connections: a replay holds one across the send to Kafka.
    this.db = new Pool({ connectionString: config.databaseUrl, max: 2 });
    // An idle connection lost (a failover) is replaced by the pool; unheard, its 'error' would end the process.
    this.db.on('error', () => undefined);
    this.deadLetters = new DeadLetters(kafka, this.db, dashboard.deadLetterSchema);
    this.topics = ALL_TOPICS.map((topic) => topicName(config, dlqTopic(topic)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.end();
  }

  async list(): Promise<DeadLetterRow[]> {
    const perTopic = await Promise.all(
      (await this.existing()).map(async (topic) =>
        (await this.deadLetters.list(topic)).map(({ deadLetter, replay }) => row(topic, deadLetter, replay)),
      ),
    );
    return perTopic.flat().sort((a, b) => b.failed_at.localeCompare(a.failed_at));
  }

  async show(
    topic: string,
    ref: string,
  ): Promise<DeadLetterRow & { headers: Record<string, string>; payload: string }> {
    const { deadLetter, replay } = await this.deadLetters.get(this.known(topic), checkedRef(ref));
    return {
      ...row(topic, deadLetter, replay),
      headers: headersAsText(deadLetter.originalHeaders),
      payload: maskedPayload(await this.deadLetters.payloadOf(deadLetter)),
    };
  }

  async replay(
    topic: string,
    ref: string,
    user: string,
  ): Promise<{ already: boolean; dead_letter: DeadLetterRow }> {
    const done = await this.deadLetters.replay(this.known(topic), checkedRef(ref), `dashboard:${user}`);
    return { already: done.already, dead_letter: row(topic, done.deadLetter, done.replayed) };
  }

  async resolve(
    topic: string,
    ref: string,
    user: string,
    note: string,
  ): Promise<{ already: boolean; dead_letter: DeadLetterRow }> {
    const done = await this.deadLetters.resolve(
      this.known(topic),
      checkedRef(ref),
      `dashboard:${user}`,
      note,
    );
    return { already: done.already, dead_letter: row(topic, done.deadLetter, done.replayed) };
  }

  /** The dead-letter topics made so far (a consumer makes its own when it starts; some topics have none). */
  private async existing(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const made = new Set(await admin.listTopics());
      return this.topics.filter((topic) => made.has(topic));
    } finally {
      await admin.disconnect();
    }
  }

  private known(topic: string): string {
    if (!this.topics.includes(topic))
      throw new NotFoundException(`${topic} is not one of the product's dead-letter topics`);
    return topic;
  }
}

function checkedRef(ref: string): string {
  try {
    parseRef(ref);
  } catch (err) {
    throw new NotFoundException((err as Error).message);
  }
  return ref;
}

function row(topic: string, d: DeadLetter, replay: Replay | undefined): DeadLetterRow {
  return {
    topic,
    ref: `${d.partition}:${d.offset}`,
    original_topic: d.originalTopic,
    failed_at: d.failedAt,
    consumer_group: d.consumerGroup,
    attempts: d.attempts,
    message_type: headersAsText(d.originalHeaders)[MessageHeaders.messageType] ?? null,
    key: d.key?.toString('utf8') ?? null,
    reason: maskIdentifiersInText(d.reason),
    payload_location: d.payloadLocation ?? null,
    disposition: replay
      ? {
          action: replay.action,
          by: replay.replayedBy,
          at: replay.replayedAt.toISOString(),
          replayed_as: replay.partition === null ? null : `${replay.partition}:${replay.offset}`,
          note: replay.note === null ? null : maskIdentifiersInText(replay.note),
        }
      : null,
  };
}
