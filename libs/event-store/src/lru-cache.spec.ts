import { EventStoreInputError } from './errors';
import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('evicts the least recently set entry beyond its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('a get makes an entry the most recently used, so the other one goes first', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('setting a present key replaces its value and refreshes it without growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
  });

  it('delete forgets an entry; capacity 0 keeps nothing', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    const none = new LruCache<string, number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    expect(none.size).toBe(0);
  });

  it('refuses a capacity that is not a non-negative integer', () => {
    expect(() => new LruCache(-1)).toThrow(EventStoreInputError);
    expect(() => new LruCache(1.5)).toThrow(EventStoreInputError);
  });

  it('bounded by weight: evicts the least recently used until the rest fits, and keeps no entry heavier than the bound', () => {
    const cache = new LruCache<string, number>(10, { maxWeight: 10, weigh: (n) => n });
    cache.set('a', 4);
    cache.set('b', 4);
    expect(cache.get('a')).toBe(4);
    cache.set('c', 5);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(4);
    expect(cache.weight).toBe(9);
    cache.set('a', 1);
    expect(cache.weight).toBe(6);
    cache.set('huge', 11);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.weight).toBe(6);
    cache.delete('c');
    expect(cache.weight).toBe(1);
  });

  it('counts what it forgot to make room and what it would not keep, but not a replaced or deleted entry', () => {
    const cache = new LruCache<string, number>(2, { maxWeight: 10, weigh: (n) => n });
    cache.set('a', 1);
    cache.set('b', 1);
    cache.set('a', 2);
    cache.delete('b');
    expect(cache.forgotten).toEqual({ evicted: 0, refused: 0 });
    cache.set('c', 1);
    cache.set('d', 1);
    expect(cache.forgotten).toEqual({ evicted: 1, refused: 0 });
    cache.set('e', 9);
    expect(cache.forgotten).toEqual({ evicted: 2, refused: 0 });
    cache.set('huge', 11);
    expect(cache.forgotten).toEqual({ evicted: 2, refused: 1 });
    expect(cache.weightLimit).toBe(10);
    expect(new LruCache(1).weightLimit).toBe(Infinity);
  });
});
