// Where a saga's time goes, hop by hop, from what the services recorded on the machine's one clock: the Kafka
// records' timestamps (set by the producer when it sends: the relay's publish), the events' recorded_at and the
// platform call journal's created_at (PENDING, just before the request) and updated_at (the answer). PostgreSQL
// stamps a row with its transaction's start, so "X recorded" is when the append's transaction began.
import { withClient } from '@yb/testing';
import { percentile } from './stats';

/** One moment of a visit's saga: what happened, when (epoch ms), and whether it starts or ends a platform call. */
export interface TimelinePoint {
  readonly atMs: number;
  readonly label: string;
  readonly call?: 'sent' | 'answered';
}

/** A visit's saga: from the bench's publish of SettlementRequested to the terminal SettlementSagaProgressed. */
export interface SagaWindow {
  readonly ipt_no: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Settlement's reports of its progress (for the HIS and the dashboard): nothing on the saga's path waits for them,
 * and their relay batches interleave with the path's own steps. The terminal one ends the window.
 */
const REPORTS = new Set(['SettlementSagaProgressed', 'PreSettled', 'Settled']);

/**
 * The Kafka records the bench read, by visit (record key), each labelled with its type and topic; settlement's
 * reports left out.
 */
export class PublishedRecords {
  private readonly byVisit = new Map<string, TimelinePoint[]>();

  constructor(private readonly topicPrefix: string) {}

  note(key: string, topic: string, type: string, timestampMs: number): void {
    if (REPORTS.has(type)) return;
    const points = this.byVisit.get(key) ?? [];
    points.push({ atMs: timestampMs, label: `${type} published on ${topic.slice(this.topicPrefix.length)}` });
    this.byVisit.set(key, points);
  }

  of(ipt_no: string): readonly TimelinePoint[] {
    return this.byVisit.get(ipt_no) ?? [];
  }
}

interface EventRow {
  stream_id: string;
  types: string[];
  at_ms: number;
}

interface CallRow {
  visit_key: string;
  infno: string;
  sent_ms: number;
  answered_ms: number;
}

/**
 * The services' own points of the windows' visits: each append (its events' types, one point per transaction) and
 * each platform call (sent, answered), read from the services' schemas before they are dropped. An append of notes
 * alone (…Noted: fee-detail noting the HIS's request, quality noting the discharge) is a side branch, left out.
 */
export async function recordedPoints(
  databaseUrl: string,
  schemas: ReadonlyMap<string, string>,
  windows: readonly SagaWindow[],
): Promise<Map<string, TimelinePoint[]>> {
  const byVisit = new Map<string, TimelinePoint[]>(windows.map((w) => [w.ipt_no, []]));
  const since = new Date(Math.min(...windows.map((w) => w.startMs)) - 1_000);
  const visitOf = (streamOrKey: string) => {
    const dash = streamOrKey.lastIndexOf('-');
    return byVisit.get(streamOrKey) ?? byVisit.get(streamOrKey.slice(dash + 1));
  };
  await withClient(databaseUrl, async (client) => {
    for (const [service, schema] of schemas) {
      const events = await client.query<EventRow>(
        `SELECT stream_id, array_agg(type ORDER BY stream_version) AS types,
                extract(epoch FROM recorded_at) * 1000 AS at_ms
         FROM "${schema}".events WHERE recorded_at >= $1
         GROUP BY stream_id, transaction_id, recorded_at`,
        [since],
      );
      for (const row of events.rows) {
        if (row.types.every((type) => type.endsWith('Noted'))) continue;
        visitOf(row.stream_id)?.push({
          atMs: Number(row.at_ms),
          label: `${service} recorded ${[...new Set(row.types)].join(', ')}`,
        });
      }
      const calls = await client.query<CallRow>(
        `SELECT visit_key, infno, extract(epoch FROM created_at) * 1000 AS sent_ms,
                extract(epoch FROM updated_at) * 1000 AS answered_ms
         FROM "${schema}".platform_call_journal WHERE created_at >= $1`,
        [since],
      );
      for (const row of calls.rows) {
        const points = visitOf(row.visit_key);
        points?.push({ atMs: Number(row.sent_ms), label: `${service} ${row.infno} journaled`, call: 'sent' });
        points?.push({
          atMs: Number(row.answered_ms),
          label: `${service} ${row.infno} answered`,
          call: 'answered',
        });
      }
    }
  });
  return byVisit;
}

/** A hop between two consecutive points of the visits' timelines, over every visit that had it. */
export interface Hop {
  readonly label: string;
  /** Its mean position in the timelines, to list hops in the order they happen. */
  readonly position: number;
  readonly samplesMs: readonly number[];
  readonly platform: boolean;
}

export interface SagaBreakdown {
  readonly hops: readonly Hop[];
  /** Per visit: the saga's time minus its platform calls' (journaled → answered). */
  readonly overheadMs: readonly number[];
  readonly platformMs: readonly number[];
}

/**
 * Each visit's points inside its window, in time order, as hops between consecutive points (a platform call's
 * journaled → answered is the platform's time; every other hop is the saga's overhead), gathered by label.
 */
export function breakDown(
  windows: readonly SagaWindow[],
  pointsOf: (ipt_no: string) => readonly TimelinePoint[],
): SagaBreakdown {
  const hops = new Map<string, { positions: number[]; samplesMs: number[]; platform: boolean }>();
  const overheadMs: number[] = [];
  const platformMs: number[] = [];
  for (const { ipt_no, startMs, endMs } of windows) {
    const timeline = [
      { atMs: startMs, label: 'bench publishes SettlementRequested' },
      ...pointsOf(ipt_no).filter((p) => p.atMs >= startMs && p.atMs < endMs),
    ].sort((a, b) => a.atMs - b.atMs);
    timeline.push({ atMs: endMs, label: 'terminal SettlementSagaProgressed published' });
    let platform = 0;
    timeline.slice(1).forEach((to, i) => {
      const from = timeline[i] as TimelinePoint;
      const isCall = from.call === 'sent' && (to as TimelinePoint).call === 'answered';
      const label = `${from.label} → ${to.label}`;
      const hop = hops.get(label) ?? { positions: [], samplesMs: [], platform: isCall };
      hop.positions.push(i);
      hop.samplesMs.push(to.atMs - from.atMs);
      hops.set(label, hop);
      if (isCall) platform += to.atMs - from.atMs;
    });
    platformMs.push(platform);
    overheadMs.push(endMs - startMs - platform);
  }
  return {
    hops: [...hops]
      .map(([label, h]) => ({
        label,
        position: h.positions.reduce((a, b) => a + b, 0) / h.positions.length,
        samplesMs: h.samplesMs,
        platform: h.platform,
      }))
      .sort((a, b) => a.position - b.position),
    overheadMs,
    platformMs,
  };
}

/** The breakdown as printed: one line per hop (n, p50, p99, platform calls tagged), then overhead and platform. */
export function formatBreakdown({ hops, overheadMs, platformMs }: SagaBreakdown): string[] {
  const p = (samples: readonly number[], q: number) =>
    percentile(
      [...samples].sort((a, b) => a - b),
      q,
    );
  const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
  const width = Math.max(...hops.map((h) => h.label.length), 20);
  const lines = [`${'hop (per visit, in order)'.padEnd(width)}      n      p50        p99`];
  for (const hop of hops) {
    const tag = hop.platform ? '  (platform)' : '';
    lines.push(
      `${hop.label.padEnd(width)}  ${String(hop.samplesMs.length).padStart(5)}  ${ms(p(hop.samplesMs, 50))}  ${ms(p(hop.samplesMs, 99))}${tag}`,
    );
  }
  lines.push(
    `saga overhead (total − platform calls)  p50 ${ms(p(overheadMs, 50))}  p99 ${ms(p(overheadMs, 99))}`,
    `platform calls (journaled → answered)    p50 ${ms(p(platformMs, 50))}  p99 ${ms(p(platformMs, 99))}`,
  );
  return lines;
}
