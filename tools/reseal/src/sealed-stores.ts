import { type Keyring, openFields, resealFields, SealedValueError, sealedIn, sealFields } from '@yb/sealing';
import { keptPayloadAad, type KeptPayloadRecord } from '@yb/service-runtime';

/** One row as read: its key and the columns a store reseals. */
export type StoredRow = Record<string, unknown>;

/**
 * A table whose rows hold sealed values, and how a row of it moves to the active key. Walked in key order in
 * bounded batches (the key is unique), so that a pass is resumable from the last key it committed.
 */
export interface SealedStore {
  /** The table's name in a service's (or the dashboard's) schema: how the tool finds it. */
  readonly table: string;
  /** A column the table must have to be this store (the dashboard's visits before sealing had none). */
  readonly column: string;
  /** The unique column walked in order. */
  readonly key: string;
  /** What is read of a row (the key first). */
  readonly select: string;
  /** The columns to write for the row, each under the active key; null when it already is. */
  reseal(row: StoredRow, keyring: Keyring, schema: string): Record<string, unknown> | null;
}

/** A jsonb document whose identifier fields are sealed in place, written back only when one changed. */
function fieldsStore(
  table: string,
  column: string,
  key: string,
  aad: (row: StoredRow) => string,
  select = `${key}, ${column}`,
): SealedStore {
  return {
    table,
    column,
    key,
    select,
    reseal(row, keyring) {
      const document = row[column];
      const resealed = resealFields(keyring, document, aad(row));
      return resealed === document ? null : { [column]: JSON.stringify(resealed) };
    },
  };
}

/**
 * Every store of patient data at rest that a key rotation must move (docs/threat-model.md's inventory); the
 * platform call journal is resealed by its own pass (PlatformCallJournal.reseal), which main runs too.
 */
export const SEALED_STORES: readonly SealedStore[] = [
  fieldsStore(
    'events',
    'data',
    'global_position',
    (r) => sealedIn.event(String(r.stream_id)),
    'global_position, stream_id, data',
  ),
  {
    table: 'outbox_quarantine',
    column: 'payload',
    key: 'id',
    select: 'id, message_id::text AS message_id, payload',
    reseal(row, keyring) {
      let document: unknown;
      try {
        document = JSON.parse(String(row.payload));
      } catch {
        return null; // not an envelope of ours: nothing was sealed in it
      }
      const messageId = String(row.message_id);
      let resealed: unknown;
      try {
        resealed = resealFields(keyring, document, sealedIn.message(messageId));
      } catch (err) {
        if (!(err instanceof SealedValueError)) throw err;
        // Quarantined before payloads were bound like their message: opened as sealed then, moved to the message's.
        const opened = openFields(keyring, document, sealedIn.legacyOutboxQuarantine(messageId));
        resealed = sealFields(keyring, opened, sealedIn.message(messageId));
      }
      return resealed === document ? null : { payload: JSON.stringify(resealed) };
    },
  },
  {
    table: 'dead_letter_payloads',
    column: 'payload',
    key: 'id',
    select:
      'id, payload, consumer_group, original_topic, original_partition, original_offset::text AS original_offset',
    reseal(row, keyring, schema) {
      const payload = row.payload as Buffer | null;
      if (payload === null) return null;
      const resealed = keyring.resealBytes(
        payload,
        keptPayloadAad(schema, row as unknown as KeptPayloadRecord),
      );
      return resealed === payload ? null : { payload: resealed };
    },
  },
  fieldsStore('ledger_rows', 'row', 'setl_id', (r) => sealedIn.ledgerRow(String(r.setl_id))),
  {
    table: 'dash_visits',
    column: 'patient',
    key: 'ipt_no',
    select: 'ipt_no, patient',
    reseal(row, keyring) {
      const resealed = keyring.reseal(row.patient, sealedIn.visitPatient(String(row.ipt_no)));
      return resealed === row.patient ? null : { patient: JSON.stringify(resealed) };
    },
  },
];
