import { createMetrics } from '@yb/observability';
import { StreamCacheMetrics } from '@yb/service-runtime';
import { formatLedgerCacheUse, ledgerCacheUse } from '../src/ledger-cache-use';

/** fee-detail's /metrics text with a fee-ledger cache as StreamCacheMetrics reports it. */
async function feeDetailMetrics(maxEvents: number): Promise<string> {
  const metrics = createMetrics('fee-detail', { defaultMetrics: false });
  const caches = new StreamCacheMetrics();
  const ledger = {
    cacheUse: () => ({
      streams: 12,
      events: 340,
      maxStreams: 5_000,
      maxEvents,
      withoutRead: 90,
      readsAfterHeld: 4,
      wholeReads: 12,
      evicted: 2,
      notKept: 1,
    }),
  };
  caches.registered({ streamCaches: () => ({ 'fee-ledger': ledger }) });
  caches.report(metrics);
  return metrics.metricsText();
}

describe('ledgerCacheUse', () => {
  it("reads the fee-ledger cache's figures from fee-detail's /metrics", async () => {
    const use = ledgerCacheUse(await feeDetailMetrics(20_000));
    expect(use).toEqual({
      streams: 12,
      events: 340,
      maxEvents: 20_000,
      held: 90,
      readAfterHeld: 4,
      readWhole: 12,
      evicted: 2,
      tooLong: 1,
    });
    expect(formatLedgerCacheUse('fee-detail', use!)).toBe(
      "fee-detail's ledger cache at the end: 12 visits, 340 of 20000 events; lookups 90 held, 4 read after held, " +
        '12 read whole; forgotten 2 to make room, 1 too long',
    );
  });

  it('reads an unbounded cache (+Inf) as Infinity and leaves the bound out of the report', async () => {
    const use = ledgerCacheUse(await feeDetailMetrics(Infinity));
    expect(use?.maxEvents).toBe(Infinity);
    expect(formatLedgerCacheUse('fee-detail', use!)).toContain('12 visits, 340 events;');
  });

  it('is undefined for a service without a fee-ledger cache', async () => {
    expect(
      ledgerCacheUse(await createMetrics('admission', { defaultMetrics: false }).metricsText()),
    ).toBeUndefined();
  });
});
