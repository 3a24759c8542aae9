import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';

/**
 * How the OutboxRelay learns that rows are waiting, instead of polling for them. In this process, the
 * EventStore calls the listeners of its DataSource right after an append that wrote outbox rows
 * committed. An append on a DataSource no relay listens to in-process (another pool, a tool) sends a
 * PostgreSQL NOTIFY on the schema's channel inside its transaction (delivered on commit, never for a
 * rollback), which the relays of every process hear. One whose own relay listens sends none: every NOTIFY
 * takes a server-wide lock at commit and wakes every listening backend, and that relay publishes the rows
 * itself (another replica's relay holding the turn meanwhile, it looks again soon: OutboxRelay).
 */
const listenersByDataSource = new WeakMap<DataSource, Set<() => void>>();
const notifyPayloadByDataSource = new WeakMap<DataSource, string>();

/** Calls `listener` after each committed append with outbox rows on `dataSource`; returns the unsubscribe. */
export function onOutboxCommitted(dataSource: DataSource, listener: () => void): () => void {
  let listeners = listenersByDataSource.get(dataSource);
  if (!listeners) {
    listeners = new Set();
    listenersByDataSource.set(dataSource, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether a relay in this process is woken by the appends on `dataSource` (onOutboxCommitted). */
export function hasOutboxListener(dataSource: DataSource): boolean {
  return (listenersByDataSource.get(dataSource)?.size ?? 0) > 0;
}

export function signalOutboxCommitted(dataSource: DataSource): void {
  for (const listener of listenersByDataSource.get(dataSource) ?? []) listener();
}

/**
 * What the appends on `dataSource` send as the NOTIFY payload: a relay on the same DataSource was woken
 * in-process already and skips it, so that an append does not cost it a second look.
 */
export function outboxNotifyPayload(dataSource: DataSource): string {
  let payload = notifyPayloadByDataSource.get(dataSource);
  if (!payload) {
    payload = randomUUID();
    notifyPayloadByDataSource.set(dataSource, payload);
  }
  return payload;
}

/**
 * The schema's NOTIFY channel. PostgreSQL cuts channel names at 63 bytes: two long schema names sharing
 * a prefix share a channel, which costs a relay a spurious wake-up, nothing more.
 */
export function outboxChannel(schema: string): string {
  return `outbox:${schema}`.slice(0, 63);
}
