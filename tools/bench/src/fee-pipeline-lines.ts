// Each fee line of a benchmark run, from the HIS message that charged it to the platform's acknowledgement.
// Times are the Kafka record timestamps (set by the producer when it sends, on this machine's clock): the HIS
// publish of FeeLinesCharged and fee-detail's publish of FeeLinesUploaded, so the bench's own reading lag
// does not count. The two are read by separate consumers, so an acknowledgement may be seen before its charge.
import { summarise, type LatencySummary } from './stats';

export interface FeeLinesSummary {
  /** Lines the HIS charged (FeeLinesCharged), refunds included. */
  readonly charged: number;
  /** Charged lines the HIS voided afterwards (FeeLinesVoided): they need not reach the platform. */
  readonly voided: number;
  /** Charged lines the platform acknowledged (first FeeLinesUploaded naming them). */
  readonly acknowledged: number;
  /** Acknowledgements of a line already acknowledged (a re-upload). */
  readonly acknowledgedAgain: number;
  /** Charged, not voided, of a visit the platform registered (or not yet refused), never acknowledged by the end. */
  readonly outstanding: number;
  /** Acknowledgements of lines no HIS message charged: a bug somewhere if not 0. */
  readonly unmatched: number;
  /** HIS publish → platform acknowledgement per acknowledged line; perSecond over first publish → last ack. */
  readonly latency: LatencySummary;
  /** Acknowledged lines per second over the middle 80 % of acknowledgements (start-up and tail left out). */
  readonly sustainedPerSecond: number;
  /** Record times (Date.now() ms) of the first and last acknowledgement, NaN without any. */
  readonly firstAckAtMs: number;
  readonly lastAckAtMs: number;
  /** Acknowledged lines per second from the first to the last acknowledgement. */
  readonly firstToLastAckPerSecond: number;
}

const lineKey = (ipt_no: string, feedetl_sn: string) => `${ipt_no}\u0000${feedetl_sn}`;

export class FeeLineTimes {
  /** @param refusedVisits ipt_nos whose admission was refused: their lines never go up, so are not outstanding. */
  constructor(private readonly refusedVisits: ReadonlySet<string> = new Set()) {}

  private readonly chargedAt = new Map<string, number>();
  private readonly voidedLines = new Set<string>();
  private readonly acknowledgedAt = new Map<string, number>();
  private acknowledgedAgain = 0;

  charged(ipt_no: string, feedetl_sns: readonly string[], publishedAtMs: number): void {
    for (const sn of feedetl_sns) this.chargedAt.set(lineKey(ipt_no, sn), publishedAtMs);
  }

  voided(ipt_no: string, feedetl_sns: readonly string[]): void {
    for (const sn of feedetl_sns) this.voidedLines.add(lineKey(ipt_no, sn));
  }

  acknowledged(ipt_no: string, feedetl_sns: readonly string[], acknowledgedAtMs: number): void {
    for (const sn of feedetl_sns) {
      const key = lineKey(ipt_no, sn);
      if (this.acknowledgedAt.has(key)) this.acknowledgedAgain += 1;
      else this.acknowledgedAt.set(key, acknowledgedAtMs);
    }
  }

  get chargedCount(): number {
    return this.chargedAt.size;
  }

  get acknowledgedCount(): number {
    return this.acknowledgedAt.size;
  }

  /** Charged lines still waiting for the platform (voided ones and those of refused admissions excluded). */
  get outstanding(): number {
    let waiting = 0;
    for (const key of this.chargedAt.keys())
      if (
        !this.acknowledgedAt.has(key) &&
        !this.voidedLines.has(key) &&
        !this.refusedVisits.has(key.slice(0, key.indexOf('\u0000')))
      )
        waiting += 1;
    return waiting;
  }

  /**
   * The charged lines acknowledged at or after `fromMs` (record times), and the last acknowledgement's time (NaN
   * without any): a rate over a window that opens then.
   */
  acknowledgedFrom(fromMs: number): { readonly count: number; readonly lastAtMs: number } {
    let count = 0;
    let lastAtMs = Number.NaN;
    for (const [key, ackAt] of this.acknowledgedAt) {
      if (ackAt < fromMs || !this.chargedAt.has(key)) continue;
      count += 1;
      if (!(ackAt <= lastAtMs)) lastAtMs = ackAt;
    }
    return { count, lastAtMs };
  }

  summary(): FeeLinesSummary {
    const latencies: number[] = [];
    const ackTimes: number[] = [];
    let unmatched = 0;
    for (const [key, ackAt] of this.acknowledgedAt) {
      const publishedAt = this.chargedAt.get(key);
      if (publishedAt === undefined) {
        unmatched += 1;
        continue;
      }
      latencies.push(ackAt - publishedAt);
      ackTimes.push(ackAt);
    }
    ackTimes.sort((a, b) => a - b);
    let firstPublish = Infinity;
    for (const at of this.chargedAt.values()) firstPublish = Math.min(firstPublish, at);
    const lastAck = ackTimes.at(-1) ?? firstPublish;
    let voided = 0;
    for (const key of this.voidedLines) if (this.chargedAt.has(key)) voided += 1;
    return {
      charged: this.chargedAt.size,
      voided,
      acknowledged: latencies.length,
      acknowledgedAgain: this.acknowledgedAgain,
      outstanding: this.outstanding,
      unmatched,
      latency: summarise(latencies, Math.max(1, lastAck - firstPublish)),
      sustainedPerSecond: middleRate(ackTimes),
      firstAckAtMs: ackTimes[0] ?? Number.NaN,
      lastAckAtMs: ackTimes.at(-1) ?? Number.NaN,
      firstToLastAckPerSecond:
        ackTimes.length > 1 ? ((ackTimes.length - 1) / (ackTimes.at(-1)! - ackTimes[0]!)) * 1000 : Number.NaN,
    };
  }
}

/** Events per second between the 10th and the 90th percentile of their (sorted) times. */
function middleRate(sortedTimesMs: readonly number[]): number {
  const from = Math.floor(sortedTimesMs.length * 0.1);
  const to = Math.floor(sortedTimesMs.length * 0.9);
  const spanMs = (sortedTimesMs[to] ?? 0) - (sortedTimesMs[from] ?? 0);
  return spanMs > 0 ? ((to - from) / spanMs) * 1000 : Number.NaN;
}
