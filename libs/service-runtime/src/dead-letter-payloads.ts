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
