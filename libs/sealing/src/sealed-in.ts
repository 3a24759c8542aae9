/**
 * The additional data of every store's sealed values: where a value lives. One catalogue, so that the stores that
 * seal and open (services, the dashboard) and `npm run reseal`, which moves them to a new key, cannot disagree.
 * A ciphertext copied to another place does not open there.
 */
export const sealedIn = {
  /**
   * A message's identifier fields (its envelope's data) wherever it travels or rests: the outbox, Kafka, a consumer.
   * Bound to the envelope id: a value copied into another message does not open.
   */
  message: (envelopeId: string) => `message:${envelopeId}`,
  /** An event's identifier fields (sealFields adds `:<field>`). */
  event: (streamId: string) => `event:${streamId}`,
  /**
   * A quarantined outbox payload's identifier fields as the relay sealed them before quarantined payloads were bound
   * like every message (`message`): read by `npm run reseal`, which moves them to `message`.
   */
  legacyOutboxQuarantine: (messageId: string) => `outbox_quarantine:${messageId}`,
  /** The reconciliation ledger's row (its psn_no). */
  ledgerRow: (setl_id: string) => `ledger_rows:${setl_id}`,
  /** The dashboard's sealed patient record of a visit. */
  visitPatient: (ipt_no: string) => `dashboard.visits.patient/${ipt_no}`,
} as const;
