import { EventStoreInputError } from './errors';

export interface LruCacheOptions<Value> {
  /** The most the entries may weigh together (default: no limit); an entry heavier alone is not kept. */
  maxWeight?: number;
  /** An entry's weight (default 1). */
  weigh?: (value: Value) => number;
}

/**
 * A map bounded by entry count (and optionally by weight) that forgets the least recently used entry first.
 * A Map iterates in insertion order, so re-inserting an entry on every use keeps the least recently used first.
 */
export class LruCache<Key, Value> {
  private readonly entries = new Map<Key, { value: Value; weight: number }>();
  private readonly maxWeight: number;
  private readonly weigh: (value: Value) => number;
  private totalWeight = 0;
  private evicted = 0;
  private refused = 0;

  /** `capacity` 0 keeps nothing (every get misses). */
  constructor(
    readonly capacity: number,
    options: LruCacheOptions<Value> = {},
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new EventStoreInputError('cache capacity', `must be an integer >= 0, got ${capacity}`);
    }
    this.maxWeight = options.maxWeight ?? Infinity;
    if (!(this.maxWeight >= 0)) {
      throw new EventStoreInputError('cache maxWeight', `must be >= 0, got ${options.maxWeight}`);
    }
    this.weigh = options.weigh ?? (() => 1);
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries weigh together. */
  get weight(): number {
    return this.totalWeight;
  }

  /** The bound on what the entries weigh together (Infinity: none). */
  get weightLimit(): number {
    return this.maxWeight;
  }

  /** Entries forgotten so far to make room (least recently used first), and values not kept (too heavy alone). */
  get forgotten(): { readonly evicted: number; readonly refused: number } {
    return { evicted: this.evicted, refused: this.refused };
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: Key): Value | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores the value as the most recently used, evicting the least recently used beyond the bounds. */
  set(key: Key, value: Value): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (this.capacity === 0 || weight > this.maxWeight) {
      this.refused++;
      return;
    }
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    while (this.entries.size > this.capacity || this.totalWeight > this.maxWeight) {
      this.delete(this.entries.keys().next().value as Key);
      this.evicted++;
    }
  }

  delete(key: Key): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }
}
