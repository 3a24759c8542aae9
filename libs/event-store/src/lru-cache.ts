import { EventStoreInputError } from './errors';

/**
 * A map bounded by entry count that forgets the least recently used entry first. A Map iterates in
 * insertion order, so re-inserting an entry on every use keeps the least recently used one first.
 */
export class LruCache<Key, Value> {
  private readonly entries = new Map<Key, Value>();

  /** `capacity` 0 keeps nothing (every get misses). */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new EventStoreInputError('cache capacity', `must be an integer >= 0, got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: Key): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores the value as the most recently used, evicting the least recently used beyond the capacity. */
  set(key: Key, value: Value): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as Key;
      this.entries.delete(oldest);
    }
  }

  delete(key: Key): void {
    this.entries.delete(key);
  }
}
