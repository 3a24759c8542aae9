import { DeadLetterHeaders, DeadLetterPayloadHeaders, MessageHeaders } from '@yb/contracts';
import {
  ORIGINAL_RECORD_LOCATION,
  KafkaPublisher,
  headersAsText,
  openDeadLetterPayload,
  readTopic,
  type ReadRecord,
} from '@yb/messaging';
import { maskIdentifiersInText, maskPatientIdentifiers } from '@yb/observability';
import { type IHeaders, type Kafka } from 'kafkajs';
import { type Pool, type PoolClient } from 'pg';
import { Keyring } from '@yb/sealing';
import {
  keptPayloadAad,
  parseDeadLetterPayloadLocation,
  type KeptPayloadRecord,
} from './dead-letter-payloads';

/** A record of a dead-letter topic, as written by the consumer host. */
export interface DeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  /**
   * The payload as it is on the dead-letter topic (sealed when sealedWith is set: payloadOf opens it); null when it
   * was too large and is kept elsewhere (payloadLocation).
   */
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
  /** The key its payload is sealed under on the dead-letter topic; absent when it went clear. */
  readonly sealedWith?: string;
}

/**
 * What a person did with a dead letter, as recorded in `<schema>.replays`: replayed (to `partition`:`offset` of the
 * original topic), or resolved without a replay (`note` says how; no partition nor offset).
 */
export interface Replay {
  action: 'replayed' | 'resolved';
  replayedBy: string;
  replayedAt: Date;
  partition: number | null;
  offset: string | null;
  note: string | null;
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
  const sealedWith = text[DeadLetterPayloadHeaders.sealed];
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
    ...(sealedWith !== undefined && { sealedWith }),
  };
}

/**
 * Dead letters for a person (`npm run dlq`, the dashboard's admin page): read, replayed to the original topic, or
 * resolved without a replay. The books: who replayed or resolved which dead letter, to where and when, in
 * `<schema>.replays` of the hospital's PostgreSQL (durable and queryable, unlike a topic that its retention empties).
 * The primary key is the dead letter, which is what makes a replay happen once, whoever asks. Created on first use:
 * it has no migrations of its own. A payload a service kept for the dead letter (dead_letter_payloads) is marked
 * closed in the same transaction, so that the service's retention deletes it once its time has passed.
 */
export class DeadLetters {
  private readonly replays: string;
  private tableReady: Promise<void> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly db: Pool,
    private readonly schema: string,
    /** Opens the payloads services kept sealed (DeadLetterPayloads): the services' keyring. */
    private readonly keyring: Keyring = Keyring.fromEnv(),
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
   * The original payload: the dead letter's own (opened with the keyring when it went sealed), or, for one too large
   * for its topic, the copy the service kept in its schema or the original record (while the original topic still
   * holds it).
   */
  async payloadOf(deadLetter: DeadLetter): Promise<Buffer | null> {
    const location = deadLetter.payloadLocation;
    if (location === undefined) {
      return openDeadLetterPayload(
        deadLetter.value,
        {
          sealedWith: deadLetter.sealedWith,
          groupId: deadLetter.consumerGroup,
          topic: deadLetter.originalTopic,
          partition: deadLetter.originalPartition,
          offset: deadLetter.originalOffset,
        },
        this.keyring,
      );
    }
    const kept = parseDeadLetterPayloadLocation(location);
    if (kept) {
      const { rows } = await this.db.query<KeptPayloadRecord & { payload: Buffer | null }>(
        `SELECT payload, consumer_group, original_topic, original_partition, original_offset::text AS original_offset
         FROM "${kept.schema}".dead_letter_payloads WHERE id = $1`,
        [kept.id],
      );
      if (rows.length === 0) throw new Error(`the payload at ${location} is not there (deleted?)`);
      const row = rows[0]!;
      return row.payload && this.keyring.openBytes(row.payload, keptPayloadAad(kept.schema, row));
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
    return this.once(topic, deadLetter, by, 'replayed', null, async (client) => {
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
      await client.query(
        `UPDATE ${this.replays} SET replayed_partition = $4, replayed_offset = $5
         WHERE dead_letter_topic = $1 AND dead_letter_partition = $2 AND dead_letter_offset = $3`,
        [topic, deadLetter.partition, deadLetter.offset, sent!.partition, sent!.baseOffset],
      );
      return { partition: sent!.partition, offset: sent!.baseOffset! };
    });
  }

  /**
   * Records that a person dealt with the dead letter without a replay (e.g. a hostile record, or one handled on the
   * platform by hand): listed as resolved, never replayed afterwards, its kept payload left to retention.
   */
  async resolve(
    topic: string,
    ref: string,
    by: string,
    note: string,
  ): Promise<{ replayed: Replay; already: boolean; deadLetter: DeadLetter }> {
    const { deadLetter } = await this.get(topic, ref);
    return this.once(topic, deadLetter, by, 'resolved', note, async () => ({
      partition: null,
      offset: null,
    }));
  }

  /**
   * Claims the dead letter (its row in `replays`), does `act` while the claim's transaction is open, marks the kept
   * payload closed and commits; a dead letter claimed before is reported as it was, and nothing is done.
   */
  private async once(
    topic: string,
    deadLetter: DeadLetter,
    by: string,
    action: Replay['action'],
    note: string | null,
    act: (client: PoolClient) => Promise<{ partition: number | null; offset: string | null }>,
  ): Promise<{ replayed: Replay; already: boolean; deadLetter: DeadLetter }> {
    // Once per instance: the ALTER below takes the table's exclusive lock.
    this.tableReady ??= this.ensureTable().catch((err: unknown) => {
      this.tableReady = null;
      throw err;
    });
    await this.tableReady;
    const client = await this.db.connect();
    // A reset while the claim is held must fail the replay, not end the process (no pool listener while out).
    let broken: Error | undefined;
    const lost = (error: Error) => (broken = error);
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const claimed = await client.query(
        `INSERT INTO ${this.replays} (dead_letter_topic, dead_letter_partition, dead_letter_offset, original_topic,
           message_id, replayed_by, action, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING replayed_at`,
        [
          topic,
          deadLetter.partition,
          deadLetter.offset,
          deadLetter.originalTopic,
          messageIdOf(deadLetter),
          by,
          action,
          note,
        ],
      );
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        // Read on the connection in hand: waiting for another from a small pool while holding this one can deadlock
        // two replays of the same dead letter at once.
        const replayed = (await this.replaysOf(topic, client)).get(
          `${deadLetter.partition}:${deadLetter.offset}`,
        )!;
        return { replayed, already: true, deadLetter };
      }
      const landed = await act(client);
      const kept = deadLetter.payloadLocation && parseDeadLetterPayloadLocation(deadLetter.payloadLocation);
      if (kept) {
        await client.query(
          `UPDATE "${kept.schema}".dead_letter_payloads SET closed_at = now(), closed_as = $2
           WHERE id = $1 AND closed_at IS NULL`,
          [kept.id, action],
        );
      }
      await client.query('COMMIT');
      const replayedAt = (claimed.rows[0] as { replayed_at: Date }).replayed_at;
      return {
        replayed: { action, replayedBy: by, replayedAt, note, ...landed },
        already: false,
        deadLetter,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.removeListener('error', lost);
      client.release(broken);
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
    // Books made before dead letters could be resolved without a replay.
    await this.db.query(`
      ALTER TABLE ${this.replays}
        ADD COLUMN IF NOT EXISTS action text NOT NULL DEFAULT 'replayed',
        ADD COLUMN IF NOT EXISTS note text`);
  }

  private async replaysOf(topic: string, db: Pool | PoolClient = this.db): Promise<Map<string, Replay>> {
    const [{ exists }] = (
      await db.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [this.replays])
    ).rows;
    if (!exists) return new Map();
    const { rows } = await db.query<{
      ref: string;
      action: Replay['action'];
      replayed_by: string;
      replayed_at: Date;
      replayed_partition: number | null;
      replayed_offset: string | null;
      note: string | null;
    }>(
      `SELECT dead_letter_partition || ':' || dead_letter_offset AS ref, action, replayed_by, replayed_at,
              replayed_partition, replayed_offset::text, note
       FROM ${this.replays} WHERE dead_letter_topic = $1`,
      [topic],
    );
    return new Map(
      rows.map((r) => [
        r.ref,
        {
          action: r.action,
          replayedBy: r.replayed_by,
          replayedAt: r.replayed_at,
          partition: r.replayed_partition,
          offset: r.replayed_offset,
          note: r.note,
        },
      ]),
    );
  }
}

function messageIdOf(deadLetter: DeadLetter): string | null {
  return headersAsText(deadLetter.originalHeaders)[MessageHeaders.messageId] ?? null;
}

/** A dead letter's payload for a person's eyes: JSON pretty-printed, patient identifiers masked. */
export function maskedPayload(payload: Buffer | null): string {
  if (payload === null) return '(none)';
  const text = payload.toString('utf8');
  try {
    return JSON.stringify(maskPatientIdentifiers(JSON.parse(text)), null, 2);
  } catch {
    const shown = text.length > 2_000 ? `${text.slice(0, 2_000)}… (${payload.length} bytes)` : text;
    return `(not JSON) ${maskIdentifiersInText(shown)}`;
  }
}
