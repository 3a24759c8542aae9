/** Percentiles and a one-line summary of a latency sample, in milliseconds. */
export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}

export function summarise(samplesMs: readonly number[], wallMs: number): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    meanMs: mean,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    perSecond: (sorted.length / wallMs) * 1000,
  };
}

export function formatSummary(label: string, s: LatencySummary): string {
  return `${label.padEnd(44)} n=${String(s.count).padStart(5)}  mean ${s.meanMs.toFixed(2).padStart(7)} ms  p50 ${s.p50Ms
    .toFixed(2)
    .padStart(7)} ms  p99 ${s.p99Ms.toFixed(2).padStart(7)} ms  ${s.perSecond.toFixed(0).padStart(6)}/s`;
}
