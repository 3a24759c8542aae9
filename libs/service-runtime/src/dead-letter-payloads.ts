import { type EventStore } from '@yb/event-store';
import { type DeadLetterInput, type DeadLetterPayloadStore } from '@yb/messaging';
import { maskIdentifiersInText } from '@yb/observability';
import { Keyring } from '@yb/sealing';

const LOCATION = /^postgres:([a-z_][a-z0-9_]{0,62})\.dead_letter_payloads\/(\d+)$/;

/** The record a kept payload came from: what its sealed bytes are bound to. */
export interface KeptPayloadRecord {
  readonly consumer_group: string;
  readonly original_topic: string;
  readonly original_partition: number;
  readonly original_offset: string;
}

/** A kept payload's additional data: its schema and record, so that bytes copied onto another row do not open. */
export function keptPayloadAad(schema: string, r: KeptPayloadRecord): string {
  return `dead_letter_payloads:${schema}:${r.consumer_group}:${r.original_topic}:${r.original_partition}:${r.original_offset}`;
}

/**
 * Keeps the payload of a dead letter too large for its dead-letter topic in the service's own schema
 * (dead_letter_payloads), once per consumed record, and answers where: `postgres:<schema>.dead_letter_payloads/<id>`.
 * The database rather than the original record's offset: the original topic drops the record at its retention, and
 * a dead letter may be read and replayed later than that. A HIS record holds patient identifiers: the payload is
 * sealed with the keyring (NHSA_JOURNAL_KEYS; DeadLetters opens it) and the reason, which may quote the platform's
 * err_msg, is kept with ID and mobile numbers masked (the dead letter's own header carries it whole).
 */
export class DeadLetterPayloads implements DeadLetterPayloadStore {
  constructor(
    private readonly store: EventStore,
    private readonly keyring: Keyring = Keyring.fromEnv(),
  ) {}

  async keep(deadLetter: DeadLetterInput): Promise<string> {
    const t = this.store.tables;
    const record: KeptPayloadRecord = {
      consumer_group: deadLetter.groupId,
      original_topic: deadLetter.topic,
      original_partition: deadLetter.partition,
      original_offset: deadLetter.offset,
    };
    const [{ id }] = await this.store.dataSource.query(
      `INSERT INTO ${t.deadLetterPayloads}
         (consumer_group, original_topic, original_partition, original_offset, message_key, payload, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT dead_letter_payloads_record_unique DO UPDATE SET reason = EXCLUDED.reason
       RETURNING id`,
      [
        deadLetter.groupId,
        deadLetter.topic,
        deadLetter.partition,
        deadLetter.offset,
        deadLetter.key,
        deadLetter.value && this.keyring.sealBytes(deadLetter.value, keptPayloadAad(t.schema, record)),
        maskIdentifiersInText(deadLetter.reason),
      ],
    );
    return `postgres:${t.schema}.dead_letter_payloads/${id}`;
  }

  /**
   * Seals again, under the active key, up to `limit` payloads kept clear (before keys were configured) or under an
   * older key; returns how many. After a rotation the retention pass runs it hourly until none is left, and the
   * old key can go (libs/sealing's README). The table holds only dead letters too large for their topic: a scan
   * of it is small.
   */
  async reseal(limit: number): Promise<number> {
    const prefix = this.keyring.activeBytesPrefix;
    if (prefix === null) return 0;
    const t = this.store.tables;
    const rows: (KeptPayloadRecord & { id: string; payload: Buffer })[] = await this.store.dataSource.query(
      `SELECT id, payload, consumer_group, original_topic, original_partition, original_offset::text AS original_offset
       FROM ${t.deadLetterPayloads}
       WHERE payload IS NOT NULL AND substring(payload from 1 for $2) <> $1 LIMIT $3`,
      [prefix, prefix.length, limit],
    );
    for (const row of rows) {
      const aad = keptPayloadAad(t.schema, row);
      const resealed = this.keyring.sealBytes(this.keyring.openBytes(row.payload, aad), aad);
      // Only if nobody sealed it again meanwhile (another instance's pass).
      await this.store.dataSource.query(
        `UPDATE ${t.deadLetterPayloads} SET payload = $2 WHERE id = $1 AND payload = $3`,
        [row.id, resealed, row.payload],
      );
    }
    return rows.length;
  }

  /** Deletes up to `limit` payloads closed (replayed or resolved) more than `days` ago; how many. */
  async prune(days: number, limit: number): Promise<number> {
    const table = this.store.tables.deadLetterPayloads;
    const [, deleted] = await this.store.dataSource.query(
      `DELETE FROM ${table} WHERE id = ANY(ARRAY(
         SELECT id FROM ${table} WHERE closed_at < now() - make_interval(days => $1) LIMIT $2))`,
      [days, limit],
    );
    return Number(deleted);
  }
}

/** The schema and row a `dlq-payload-location` of DeadLetterPayloads names; undefined for any other location. */
export function parseDeadLetterPayloadLocation(location: string): { schema: string; id: string } | undefined {
  const match = LOCATION.exec(location);
  return match ? { schema: match[1]!, id: match[2]! } : undefined;
}
