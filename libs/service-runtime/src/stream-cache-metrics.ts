import { Injectable } from '@nestjs/common';
import { type StreamCacheUse } from '@yb/event-store';
import { type ServiceMetrics } from '@yb/observability';

/** What reports a stream cache: a CommandHandler (its cacheUse). */
export interface StreamCacheSource {
  cacheUse(): StreamCacheUse;
}

/** A workflow's command handlers' caches, by the name each is reported under. */
export type StreamCaches = Readonly<Record<string, StreamCacheSource>>;

/** What owns stream caches: a workflow over one or more CommandHandlers. */
export interface StreamCacheOwner {
  streamCaches(): StreamCaches;
}

/**
 * Where a service names the stream caches of its command handlers, for the `yb_stream_cache_*` metrics read at
 * every scrape of /metrics: what each holds against its bounds, how each lookup was served (held, a read of the
 * newer events, a whole read) and what was forgotten. A cache too small for the open streams shows as whole
 * reads growing with the traffic, each costing the length of its stream (docs/observability.md).
 *
 *   useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
 *     caches.registered(new FeeLedgerWorkflow(store, …)),
 */
@Injectable()
export class StreamCacheMetrics {
  private readonly sources = new Map<string, StreamCacheSource>();
  /** The counts of the last report, per cache: counters grow by what was served since. */
  private readonly reported = new Map<string, StreamCacheUse>();

  /** Reports each of the owner's caches under its name, and gives the owner back (for a provider's factory). */
  registered<Owner extends StreamCacheOwner>(owner: Owner): Owner {
    for (const [cache, source] of Object.entries(owner.streamCaches())) {
      if (this.sources.has(cache)) throw new Error(`stream cache ${cache} is already registered`);
      this.sources.set(cache, source);
    }
    return owner;
  }

  /** Sets the gauges, and adds to the counters what each cache served since the last report. */
  report(metrics: ServiceMetrics): void {
    for (const [cache, source] of this.sources) {
      const use = source.cacheUse();
      const last = this.reported.get(cache);
      const since = (count: keyof StreamCacheUse) => use[count] - (last?.[count] ?? 0);
      metrics.streamCacheStreams.set({ cache }, use.streams);
      metrics.streamCacheEvents.set({ cache }, use.events);
      metrics.streamCacheStreamsLimit.set({ cache }, use.maxStreams);
      metrics.streamCacheEventsLimit.set({ cache }, use.maxEvents);
      metrics.streamCacheLookups.inc({ cache, served: 'held' }, since('withoutRead'));
      metrics.streamCacheLookups.inc({ cache, served: 'read_after_held' }, since('readsAfterHeld'));
      metrics.streamCacheLookups.inc({ cache, served: 'read_whole' }, since('wholeReads'));
      metrics.streamCacheForgotten.inc({ cache, why: 'evicted' }, since('evicted'));
      metrics.streamCacheForgotten.inc({ cache, why: 'too_long' }, since('notKept'));
      this.reported.set(cache, use);
    }
  }
}
