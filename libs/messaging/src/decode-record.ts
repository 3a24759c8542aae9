import {
  type Envelope,
  type MessageOf,
  type MessageType,
  MessageHeaders,
  MessageValidationError,
  contractFor,
  keyFieldOf,
  parseEnvelope,
  validateData,
} from '@yb/contracts';
import { Keyring, openFields, SealedValueError, sealedIn } from '@yb/sealing';

export type DecodedRecord =
  | { outcome: 'handle'; envelope: Envelope; message: MessageOf<MessageType> }
  | { outcome: 'skip'; envelope?: Envelope }
  | { outcome: 'invalid'; reason: string; envelope?: Envelope };

/**
 * Validates a record at the edge: JSON, envelope, known (type, version), key = envelope.key, and
 * the data, whose key field (data.ipt_no unless the contract names another) must be the key too — the data only
 * for the types this service handles, so that a malformed message lands in
 * the dead-letter topic once, from the service that owns it, and not from every group reading the topic.
 * A record whose `message-type` header (set by the outbox and the publisher) names a type the service does
 * not handle is skipped unparsed: not this service's to judge, and most of what a service reads (its own
 * results among them) is such. A header naming a handled type must match the envelope's type.
 */
export function decodeRecord(
  record: { key: Buffer | null; value: Buffer | null; headers?: Readonly<Record<string, string>> },
  handles: (type: string) => boolean,
  keyring: Keyring = Keyring.fromEnv(),
): DecodedRecord {
  const typeHeader = record.headers?.[MessageHeaders.messageType];
  if (typeHeader !== undefined && !handles(typeHeader)) return { outcome: 'skip' };
  if (record.value === null) return { outcome: 'invalid', reason: 'record has no payload' };
  let json: unknown;
  try {
    json = JSON.parse(record.value.toString('utf8'));
  } catch (err) {
    // V8 quotes the payload around the error: it may hold a patient's identifiers, and the reason is logged.
    const message = (err as Error).message.replace(
      /, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s,
      ' (excerpt left out)',
    );
    return { outcome: 'invalid', reason: `payload is not JSON: ${message}` };
  }
  let envelope: Envelope;
  try {
    envelope = parseEnvelope(json);
    contractFor(envelope.type, envelope.schemaVersion);
  } catch (err) {
    return { outcome: 'invalid', reason: reasonOf(err) };
  }
  const key = record.key?.toString('utf8');
  if (key !== envelope.key) {
    // The key decides the partition; a message keyed otherwise could overtake its visit's others.
    return {
      outcome: 'invalid',
      reason: `record key "${key ?? ''}" differs from envelope.key "${envelope.key}"`,
      envelope,
    };
  }
  if (typeHeader !== undefined && typeHeader !== envelope.type) {
    // Another service would have skipped it by that header: refuse it rather than act on a mislabelled record.
    return {
      outcome: 'invalid',
      reason: `${MessageHeaders.messageType} header "${typeHeader}" differs from envelope.type "${envelope.type}"`,
      envelope,
    };
  }
  if (!handles(envelope.type)) return { outcome: 'skip', envelope };
  try {
    const opened = openEnvelope(envelope, keyring);
    const message = validateData(opened) as MessageOf<MessageType>;
    const disagreement = keyDisagreement(message);
    if (disagreement) return { outcome: 'invalid', reason: disagreement, envelope };
    return { outcome: 'handle', envelope, message };
  } catch (err) {
    return { outcome: 'invalid', reason: reasonOf(err), envelope };
  }
}

/**
 * Why a message's data names another key than the record's, if it does. The services file a message under its
 * key, the read models under its data (data.ipt_no): one that names two visits would be filed under both.
 */
function keyDisagreement(message: Envelope): string | undefined {
  const field = keyFieldOf(contractFor(message.type, message.schemaVersion));
  // An optional key field left out (a platform call made for no visit) contradicts nothing.
  const value = (message.data as Record<string, unknown>)[field];
  if (value === undefined || value === message.key) return undefined;
  return `${message.type}: data.${field} ${String(value)} is not the message key ${message.key}, which the services file it under`;
}

/**
 * The envelope with its sealed identifier fields opened (outboxMessageOf seals them, bound to the envelope id); an
 * envelope with none (the HIS's, or written without keys) as it is. Throws SealedValueError for a value the keyring
 * cannot open. For a reader of our topics outside the consumer host (a test, a benchmark's observer).
 */
export function openEnvelope<T extends { id: string; data: unknown }>(
  envelope: T,
  keyring: Keyring = Keyring.fromEnv(),
): T {
  const data = openFields(keyring, envelope.data, sealedIn.message(envelope.id));
  return data === envelope.data ? envelope : { ...envelope, data };
}

function reasonOf(err: unknown): string {
  if (err instanceof MessageValidationError) return err.message;
  // Kept in the dead-letter topic, whole, to replay once the key is back in the ring.
  if (err instanceof SealedValueError) return `a sealed field does not open: ${err.message}`;
  throw err;
}
