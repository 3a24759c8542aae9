import { DeadLetterHeaders, DeadLetterPayloadHeaders, MessageHeaders } from '@yb/contracts';
import {
  ORIGINAL_RECORD_LOCATION,
  KafkaPublisher,
  headersAsText,
  readTopic,
  type ReadRecord,
} from '@yb/messaging';
import { maskIdentifiersInText, maskPatientIdentifiers } from '@yb/observability';
import { parseDeadLetterPayloadLocation } from '@yb/service-runtime';
import { type IHeaders, type Kafka } from 'kafkajs';
import { type Pool } from 'pg';

/** A record of a dead-letter topic, as written by the consumer host. */
export interface DeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  /** The original payload; null when it was too large and is kept elsewhere (payloadLocation). */
  readonly value: Buffer | null;
  /** The original record's headers, without the dead letter's own. */
  readonly originalHeaders: IHeaders;
  readonly reason: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly consumerGroup: string;
  readonly attempts: number;
  readonly failedAt: string;
  readonly payloadLocation?: string;
  readonly payloadBytes?: number;
}

/** A dead letter's replay, as recorded in `<schema>.replays`. */
export interface Replay {
  replayedBy: string;
  replayedAt: Date;
  partition: number;
  offset: string;
}

/** `3:1024` → partition 3, offset 1024. */
export function parseRef(ref: string): { partition: number; offset: string } {
  const match = /^(\d+):(\d+)$/.exec(ref);
  if (!match) throw new Error(`"${ref}" is not a dead letter's <partition>:<offset> (e.g. 0:12)`);
  return { partition: Number(match[1]), offset: BigInt(match[2]!).toString() };
}

const OWN_HEADERS = new Set<string>([
  ...Object.values(DeadLetterHeaders),
  ...Object.values(DeadLetterPayloadHeaders),
]);

function asDeadLetter(topic: string, record: ReadRecord): DeadLetter {
  const text = headersAsText(record.headers);
  const originalTopic = text[DeadLetterHeaders.originalTopic];
  if (originalTopic === undefined) {
    throw new Error(
      `${topic} ${record.partition}:${record.offset} is not a dead letter (no ${DeadLetterHeaders.originalTopic})`,
    );
  }
  const originalHeaders = Object.fromEntries(
    Object.entries(record.headers ?? {}).filter(([name]) => !OWN_HEADERS.has(name)),
  );
  const location = text[DeadLetterPayloadHeaders.location];
  return {
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value: record.value,
    originalHeaders,
    reason: text[DeadLetterHeaders.reason] ?? '',
    originalTopic,
    originalPartition: Number(text[DeadLetterHeaders.originalPartition]),
    originalOffset: text[DeadLetterHeaders.originalOffset] ?? '',
    consumerGroup: text[DeadLetterHeaders.consumerGroup] ?? '',
    attempts: Number(text[DeadLetterHeaders.attempts] ?? 0),
    failedAt: text[DeadLetterHeaders.failedAt] ?? '',
    ...(location !== undefined && {
      payloadLocation: location,
      payloadBytes: Number(text[DeadLetterPayloadHeaders.bytes]),
    }),
  };
}

/**
 * The dead-letter tool's books: who replayed which dead letter, to where and when, in `<schema>.replays` of the
 * hospital's PostgreSQL (durable and queryable, unlike a topic that its retention empties). The primary key is the
 * dead letter, which is what makes a replay happen once. Created on first use: the tool has no migrations of its own.
 */
export class DeadLetterTool {
  private readonly replays: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly db: Pool,
    private readonly schema: string,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error(`--schema: "${schema}" is not a lower-case PostgreSQL identifier`);
    this.replays = `"${schema}".replays`;
  }

  async list(topic: string): Promise<{ deadLetter: DeadLetter; replay?: Replay }[]> {
    const [records, replays] = await Promise.all([readTopic(this.kafka, topic), this.replaysOf(topic)]);
    return records.map((record) => {
      const deadLetter = asDeadLetter(topic, record);
      const replay = replays.get(`${deadLetter.partition}:${deadLetter.offset}`);
      return { deadLetter, ...(replay && { replay }) };
    });
  }

  async get(topic: string, ref: string): Promise<{ deadLetter: DeadLetter; replay?: Replay }> {
    const { partition, offset } = parseRef(ref);
    const [record] = await readTopic(this.kafka, topic, { partition, from: offset, limit: 1 });
    if (!record || record.offset !== offset) throw new Error(`${topic} has no record at ${ref}`);
    const replay = (await this.replaysOf(topic)).get(`${partition}:${offset}`);
    return { deadLetter: asDeadLetter(topic, record), ...(replay && { replay }) };
  }

  /**
   * The original payload: the dead letter's own, or, for one too large for its topic, the copy the service kept in
   * its schema or the original record (while the original topic still holds it).
   */
  async payloadOf(deadLetter: DeadLetter): Promise<Buffer | null> {
    const location = deadLetter.payloadLocation;
    if (location === undefined) return deadLetter.value;
    const kept = parseDeadLetterPayloadLocation(location);
    if (kept) {
      const { rows } = await this.db.query<{ payload: Buffer | null }>(
        `SELECT payload FROM "${kept.schema}".dead_letter_payloads WHERE id = $1`,
        [kept.id],
      );
      if (rows.length === 0) throw new Error(`the payload at ${location} is not there (deleted?)`);
      return rows[0]!.payload;
    }
    if (location !== ORIGINAL_RECORD_LOCATION) throw new Error(`unknown payload location "${location}"`);
    const [original] = await readTopic(this.kafka, deadLetter.originalTopic, {
      partition: deadLetter.originalPartition,
      from: deadLetter.originalOffset,
      limit: 1,
    });
    if (!original || original.offset !== deadLetter.originalOffset) {
      throw new Error(
        `${deadLetter.originalTopic} ${deadLetter.originalPartition}:${deadLetter.originalOffset} is gone (past the topic's retention)`,
      );
    }
    return original.value;
  }

  /**
   * Publishes the dead letter's original record again to its original topic (original key, payload and headers),
   * once: the replay is recorded in the same PostgreSQL transaction that holds the dead letter's row while the record
   * is sent, so a second replay, concurrent or later, finds it and publishes nothing. Were the tool killed between
   * Kafka's acknowledgement and the commit, the replay is not recorded and a second one publishes a second copy,
   * which the services' inbox (by message id) turns into a no-op.
   */
  async replay(
    topic: string,
    ref: string,
    by: string,
  ): Promise<{ replayed: Replay; already: boolean; deadLetter: DeadLetter }> {
    const { deadLetter } = await this.get(topic, ref);
    const value = await this.payloadOf(deadLetter);
    await this.ensureTable();
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const claimed = await client.query(
        `INSERT INTO ${this.replays} (dead_letter_topic, dead_letter_partition, dead_letter_offset, original_topic,
           message_id, replayed_by)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [
          topic,
          deadLetter.partition,
          deadLetter.offset,
          deadLetter.originalTopic,
          messageIdOf(deadLetter),
          by,
        ],
      );
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        const replayed = (await this.replaysOf(topic)).get(`${deadLetter.partition}:${deadLetter.offset}`)!;
        return { replayed, already: true, deadLetter };
      }
      const publisher = new KafkaPublisher(this.kafka);
      await publisher.connect();
      let sent;
      try {
        [sent] = await publisher.publishRecords(deadLetter.originalTopic, [
          { key: deadLetter.key, value, headers: deadLetter.originalHeaders },
        ]);
      } finally {
        await publisher.disconnect();
      }
      const { rows } = await client.query<{ replayed_at: Date }>(
        `UPDATE ${this.replays} SET replayed_partition = $4, replayed_offset = $5
         WHERE dead_letter_topic = $1 AND dead_letter_partition = $2 AND dead_letter_offset = $3
         RETURNING replayed_at`,
        [topic, deadLetter.partition, deadLetter.offset, sent!.partition, sent!.baseOffset],
      );
      await client.query('COMMIT');
      return {
        replayed: {
          replayedBy: by,
          replayedAt: rows[0]!.replayed_at,
          partition: sent!.partition,
          offset: sent!.baseOffset!,
        },
        already: false,
        deadLetter,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async ensureTable(): Promise<void> {
    await this.db.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.db.query(`
      CREATE TABLE IF NOT EXISTS ${this.replays} (
        dead_letter_topic text NOT NULL,
        dead_letter_partition integer NOT NULL,
        dead_letter_offset bigint NOT NULL,
        original_topic text NOT NULL,
        message_id text,
        replayed_by text NOT NULL,
        replayed_at timestamptz NOT NULL DEFAULT now(),
        replayed_partition integer,
        replayed_offset bigint,
        PRIMARY KEY (dead_letter_topic, dead_letter_partition, dead_letter_offset)
      )`);
  }

  private async replaysOf(topic: string): Promise<Map<string, Replay>> {
    const [{ exists }] = (
      await this.db.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [this.replays])
    ).rows;
    if (!exists) return new Map();
    const { rows } = await this.db.query<{
      ref: string;
      replayed_by: string;
      replayed_at: Date;
      replayed_partition: number;
      replayed_offset: string;
    }>(
      `SELECT dead_letter_partition || ':' || dead_letter_offset AS ref, replayed_by, replayed_at, replayed_partition,
              replayed_offset::text
       FROM ${this.replays} WHERE dead_letter_topic = $1`,
      [topic],
    );
    return new Map(
      rows.map((r) => [
        r.ref,
        {
          replayedBy: r.replayed_by,
          replayedAt: r.replayed_at,
          partition: r.replayed_partition,
          offset: r.replayed_offset,
        },
      ]),
    );
  }
}

function messageIdOf(deadLetter: DeadLetter): string | null {
  return headersAsText(deadLetter.originalHeaders)[MessageHeaders.messageId] ?? null;
}

/** One line per dead letter for `list`: where, when, which group, attempts, type, visit key, replay, reason. */
export function listLine({ deadLetter: d, replay }: { deadLetter: DeadLetter; replay?: Replay }): string {
  const type = headersAsText(d.originalHeaders)[MessageHeaders.messageType] ?? '-';
  const replayed = replay
    ? `replayed by ${replay.replayedBy} ${replay.replayedAt.toISOString()}`
    : 'not replayed';
  const size = d.payloadLocation ? ` [payload ${d.payloadBytes} bytes at ${d.payloadLocation}]` : '';
  return [
    `${d.partition}:${d.offset}`,
    d.failedAt,
    d.consumerGroup,
    `attempts ${d.attempts}`,
    type,
    d.key?.toString('utf8') ?? '-',
    replayed,
    // The reason may quote a request or an answer: ID and mobile numbers in it are masked.
    `${maskIdentifiersInText(d.reason)}${size}`,
  ].join('\t');
}

/** `show`'s text: the dead letter's headers and its payload, patient identifiers masked. */
export function showText(deadLetter: DeadLetter, payload: Buffer | null, replay?: Replay): string {
  const headers = Object.entries(headersAsText(deadLetter.originalHeaders)).map(([k, v]) => `  ${k}: ${v}`);
  return [
    `dead letter ${deadLetter.partition}:${deadLetter.offset}`,
    `  original: ${deadLetter.originalTopic} ${deadLetter.originalPartition}:${deadLetter.originalOffset}`,
    `  key: ${deadLetter.key?.toString('utf8') ?? '-'}`,
    `  consumer group: ${deadLetter.consumerGroup}, attempts ${deadLetter.attempts}, failed at ${deadLetter.failedAt}`,
    `  reason: ${maskIdentifiersInText(deadLetter.reason)}`,
    ...(deadLetter.payloadLocation
      ? [`  payload kept at ${deadLetter.payloadLocation} (${deadLetter.payloadBytes} bytes)`]
      : []),
    `  ${replay ? `replayed by ${replay.replayedBy} at ${replay.replayedAt.toISOString()} as ${replay.partition}:${replay.offset}` : 'not replayed'}`,
    'headers:',
    ...headers,
    'payload (patient identifiers masked):',
    maskedPayload(payload),
  ].join('\n');
}

function maskedPayload(payload: Buffer | null): string {
  if (payload === null) return '(none)';
  const text = payload.toString('utf8');
  try {
    return JSON.stringify(maskPatientIdentifiers(JSON.parse(text)), null, 2);
  } catch {
    const shown = text.length > 2_000 ? `${text.slice(0, 2_000)}… (${payload.length} bytes)` : text;
    return `(not JSON) ${maskIdentifiersInText(shown)}`;
  }
}
