// What fee-detail's ledger cache held and how it served, as its /metrics says (yb_stream_cache_*{cache="fee-ledger"}):
// beside a run's memory figures, how much of fee-detail's heap the visits' ledgers account for.

export interface LedgerCacheUse {
  readonly streams: number;
  readonly events: number;
  readonly maxEvents: number;
  /** Lookups by how they were served: held (no read), read after held, read whole. */
  readonly held: number;
  readonly readAfterHeld: number;
  readonly readWhole: number;
  readonly evicted: number;
  readonly tooLong: number;
}

/** The fee-ledger cache's figures in a Prometheus text exposition; undefined when it has none. */
export function ledgerCacheUse(metricsText: string): LedgerCacheUse | undefined {
  const value = (name: string, labels = '') => {
    const line = new RegExp(`^${name}\\{cache="fee-ledger"${labels}[^}]*\\} (\\S+)$`, 'm').exec(metricsText);
    if (!line) return undefined;
    // Prometheus writes an unbounded limit as +Inf, which Number() reads as NaN.
    return line[1] === '+Inf' ? Infinity : Number(line[1]);
  };
  const streams = value('yb_stream_cache_streams');
  if (streams === undefined) return undefined;
  const lookups = (served: string) => value('yb_stream_cache_lookups_total', `,served="${served}"`) ?? 0;
  const forgotten = (why: string) => value('yb_stream_cache_forgotten_total', `,why="${why}"`) ?? 0;
  return {
    streams,
    events: value('yb_stream_cache_events') ?? 0,
    maxEvents: value('yb_stream_cache_events_limit') ?? Infinity,
    held: lookups('held'),
    readAfterHeld: lookups('read_after_held'),
    readWhole: lookups('read_whole'),
    evicted: forgotten('evicted'),
    tooLong: forgotten('too_long'),
  };
}

/** One line of the report: what the cache held against its bound and how it served. */
export function formatLedgerCacheUse(name: string, use: LedgerCacheUse): string {
  const bound = Number.isFinite(use.maxEvents) ? ` of ${use.maxEvents}` : '';
  return (
    `${name}'s ledger cache at the end: ${use.streams} visits, ${use.events}${bound} events; lookups ${use.held} held, ` +
    `${use.readAfterHeld} read after held, ${use.readWhole} read whole; forgotten ${use.evicted} to make room, ` +
    `${use.tooLong} too long`
  );
}
