/** A record a test published: its id, its key and its place among the key's records. */
export interface SentRecord {
  readonly id: string;
  readonly key: string;
  readonly seq: number;
}

/** What a test's consumers saw, in the order they saw it (redeliveries included). */
export type Delivery = SentRecord;

export interface DeliveryReport {
  readonly sent: number;
  /** Sent and never delivered. */
  readonly lost: string[];
  /** Delivered but never sent (or sent by another run). */
  readonly unexpected: string[];
  /** Deliveries beyond the first of a record (at-least-once: allowed, effects are idempotent on the id). */
  readonly redelivered: number;
  /** Records the log holds beyond those sent (a producer retry that wrote twice); null when not counted. */
  readonly duplicatedInLog: number | null;
  /** Keys whose records were first delivered out of the order they were sent in. */
  readonly outOfOrder: { key: string; after: number; got: number }[];
  readonly ok: boolean;
}

/**
 * Judges a run of published records against what was delivered and what the log holds: nothing lost, nothing
 * unexpected, nothing written twice, each key's records first delivered in order.
 */
export function reconcileDeliveries(
  sent: readonly SentRecord[],
  deliveries: readonly Delivery[],
  recordsInLog: number | null = null,
): DeliveryReport {
  const sentIds = new Set(sent.map((r) => r.id));
  const firstDelivery = new Map<string, Delivery>();
  const unexpected = new Set<string>();
  let redelivered = 0;
  const outOfOrder: DeliveryReport['outOfOrder'] = [];
  const lastSeqByKey = new Map<string, number>();
  for (const d of deliveries) {
    if (!sentIds.has(d.id)) {
      unexpected.add(d.id);
      continue;
    }
    if (firstDelivery.has(d.id)) {
      redelivered++;
      continue;
    }
    firstDelivery.set(d.id, d);
    const last = lastSeqByKey.get(d.key);
    if (last !== undefined && d.seq < last) outOfOrder.push({ key: d.key, after: last, got: d.seq });
    lastSeqByKey.set(d.key, Math.max(last ?? d.seq, d.seq));
  }
  const lost = sent.filter((r) => !firstDelivery.has(r.id)).map((r) => r.id);
  const duplicatedInLog = recordsInLog === null ? null : Math.max(0, recordsInLog - sent.length);
  return {
    sent: sent.length,
    lost,
    unexpected: [...unexpected],
    redelivered,
    duplicatedInLog,
    outOfOrder,
    ok: lost.length === 0 && unexpected.size === 0 && !duplicatedInLog && outOfOrder.length === 0,
  };
}
