import { Injectable } from '@nestjs/common';
import { type StreamCacheUse } from '@yb/event-store';
import { type ServiceMetrics } from '@yb/observability';

/** What reports a stream cache: a workflow over a CommandHandler (its cacheUse), or the CommandHandler itself. */
export interface StreamCacheSource {
  cacheUse(): StreamCacheUse;
}

/**
 * Where a service names the stream caches of its command handlers, for the `yb_stream_cache_*` metrics read at
 * every scrape of /metrics: what each holds against its bounds, how each lookup was served (held, a read of the
 * newer events, a whole read) and what was forgotten. A cache too small for the open streams shows as whole
 * reads growing with the traffic, each costing the length of its stream (docs/observability.md).
 *
 *   useFactory: (store: EventStore, caches: StreamCacheMetrics) =>
 *     caches.registered('fee-ledger', new FeeLedgerWorkflow(store, …)),
 */
@Injectable()
export class StreamCacheMetrics {
  private readonly sources = new Map<string, StreamCacheSource>();
  /** The counts of the last report, per cache: counters grow by what was served since. */
  private readonly reported = new Map<string, StreamCacheUse>();

  /** Reports `source`'s cache as `cache`, and gives the source back (for a provider's factory). */
  registered<Source extends StreamCacheSource>(cache: string, source: Source): Source {
    if (this.sources.has(cache)) throw new Error(`stream cache ${cache} is already registered`);
    this.sources.set(cache, source);
    return source;
  }

  /** Reports each of a workflow's caches (several command handlers) under its name; gives the workflow back. */
  registeredEach<Workflow extends { streamCaches(): Readonly<Record<string, StreamCacheSource>> }>(
    workflow: Workflow,
  ): Workflow {
    for (const [cache, source] of Object.entries(workflow.streamCaches())) this.registered(cache, source);
    return workflow;
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
