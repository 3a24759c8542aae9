import { type StreamCacheUse } from '@yb/event-store';
import { createMetrics } from '@yb/observability';
import { StreamCacheMetrics } from './stream-cache-metrics';

const use = (counts: Partial<StreamCacheUse>): StreamCacheUse => ({
  streams: 0,
  events: 0,
  maxStreams: 5_000,
  maxEvents: Infinity,
  withoutRead: 0,
  readsAfterHeld: 0,
  wholeReads: 0,
  evicted: 0,
  notKept: 0,
  ...counts,
});

describe('StreamCacheMetrics', () => {
  it('sets what each cache holds and adds to the counters what it served since the last scrape', async () => {
    const metrics = createMetrics('fee-detail', { defaultMetrics: false });
    let ledger = use({ streams: 3, events: 40, withoutRead: 10, readsAfterHeld: 2, wholeReads: 3 });
    const caches = new StreamCacheMetrics();
    caches.registered({ streamCaches: () => ({ 'fee-ledger': { cacheUse: () => ledger } }) });
    caches.report(metrics);
    ledger = use({
      streams: 2,
      events: 25,
      withoutRead: 15,
      readsAfterHeld: 2,
      wholeReads: 7,
      evicted: 1,
      notKept: 2,
    });
    caches.report(metrics);

    const text = await metrics.metricsText();
    const value = (name: string, labels: string) =>
      new RegExp(`^${name}\\{${labels},service="fee-detail"\\} (\\S+)$`, 'm').exec(text)?.[1];
    expect(value('yb_stream_cache_streams', 'cache="fee-ledger"')).toBe('2');
    expect(value('yb_stream_cache_events', 'cache="fee-ledger"')).toBe('25');
    expect(value('yb_stream_cache_streams_limit', 'cache="fee-ledger"')).toBe('5000');
    expect(value('yb_stream_cache_events_limit', 'cache="fee-ledger"')).toBe('+Inf');
    expect(value('yb_stream_cache_lookups_total', 'cache="fee-ledger",served="held"')).toBe('15');
    expect(value('yb_stream_cache_lookups_total', 'cache="fee-ledger",served="read_after_held"')).toBe('2');
    expect(value('yb_stream_cache_lookups_total', 'cache="fee-ledger",served="read_whole"')).toBe('7');
    expect(value('yb_stream_cache_forgotten_total', 'cache="fee-ledger",why="evicted"')).toBe('1');
    expect(value('yb_stream_cache_forgotten_total', 'cache="fee-ledger",why="too_long"')).toBe('2');
  });

  it("reports each of a workflow's caches under its own name", async () => {
    const metrics = createMetrics('reporting', { defaultMetrics: false });
    const caches = new StreamCacheMetrics();
    const workflow = {
      streamCaches: () => ({
        report: { cacheUse: () => use({ streams: 4 }) },
        'report-runs': { cacheUse: () => use({ streams: 1 }) },
      }),
    };
    expect(caches.registered(workflow)).toBe(workflow);
    caches.report(metrics);
    const text = await metrics.metricsText();
    expect(text).toMatch(/^yb_stream_cache_streams\{cache="report",service="reporting"\} 4$/m);
    expect(text).toMatch(/^yb_stream_cache_streams\{cache="report-runs",service="reporting"\} 1$/m);
  });

  it('refuses a second source for one cache name', () => {
    const caches = new StreamCacheMetrics();
    const visits = { streamCaches: () => ({ visit: { cacheUse: () => use({}) } }) };
    caches.registered(visits);
    expect(() => caches.registered(visits)).toThrow(/stream cache visit is already registered/);
  });
});
