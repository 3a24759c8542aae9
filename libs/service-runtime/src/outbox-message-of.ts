import { MessageHeaders, parseMessage, type Envelope } from '@yb/contracts';
import { type OutboxMessage } from '@yb/event-store';
import { currentTraceparent } from '@yb/messaging';
import { Keyring, sealFields, sealedIn } from '@yb/sealing';

/** The services' keyring, read once (NHSA_JOURNAL_KEYS_FILE is a file: not read again for every message). */
let environmentKeyring: Keyring | undefined;

/**
 * A service's message for the outbox: the envelope validated against its contract first (a result that breaks
 * its contract fails the transaction instead of reaching a consumer), keyed by the envelope's key (the visit),
 * with the headers every consumer routes on. An envelope built without a traceparent gets the active one (the
 * handler's span, which the relay's publish span and so the record's traceparent header descend from): a reader
 * of the payload alone (an export, the dead-letter topic) still finds the trace.
 * Patient identifier fields of the data (psn_no in AdmissionRegistered and Settled) go sealed with the services'
 * keyring, bound to the envelope id: the outbox, the topic and its readers other than our services (the consumer
 * host opens them) hold no identifier in clear. Clear without keys (development).
 */
export function outboxMessageOf(
  topic: string,
  envelope: Envelope,
  keyring: Keyring = (environmentKeyring ??= Keyring.fromEnv()),
): OutboxMessage {
  const traced = { ...envelope, traceparent: envelope.traceparent ?? currentTraceparent() };
  parseMessage(traced);
  const data = sealFields(keyring, traced.data, sealedIn.message(traced.id));
  return {
    messageId: traced.id,
    topic,
    key: traced.key,
    payload: JSON.stringify(data === traced.data ? traced : { ...traced, data }),
    headers: {
      [MessageHeaders.messageType]: traced.type,
      [MessageHeaders.schemaVersion]: String(traced.schemaVersion),
      [MessageHeaders.contentType]: 'application/json',
    },
  };
}
