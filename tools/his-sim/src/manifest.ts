import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import Decimal from 'decimal.js';
import { type SimulatedMessage } from './episode/episode-generator';
import { toMoney } from './episode/fee-book';

/**
 * What one visit's published messages add up to, for reconciliation against the platform's ledger.
 * Amounts are money strings summed in decimal.
 */
export interface VisitRecord {
  readonly record: 'visit';
  readonly ipt_no: string;
  readonly department: string;
  readonly messages: number;
  readonly fee_messages: number;
  /** Net fee total of what was published: charged and refunded lines, less voided ones. */
  readonly medfee_sumamt: string;
  readonly cancelled: boolean;
  /**
   * What the published SettlementRequested that stand asked for, added up (a mid-way and the final settlement;
   * a SettlementCancelRequested takes back the latest), or null when none was published.
   */
  readonly settlement_requested_sumamt: string | null;
  /** Whether every message of the visit was published (false when the run stopped mid-stay). */
  readonly complete: boolean;
}

export interface MessageRecord {
  readonly record: 'message';
  readonly id: string;
  readonly type: string;
  readonly topic: string;
  readonly ipt_no: string;
  readonly occurredAt: string;
  readonly partition: number;
  readonly offset: string;
  readonly fee_delta?: string;
}

/** Tallies the published messages per visit. */
export class PublishedVisits {
  private readonly visits = new Map<
    string,
    {
      department: string;
      messages: number;
      feeMessages: number;
      total: Decimal;
      cancelled: boolean;
      /** The medfee_sumamt of each standing request, in order. */
      settlements: string[] | null;
      complete: boolean;
    }
  >();

  add(message: SimulatedMessage, department: string, last: boolean): void {
    const { envelope } = message;
    const visit = this.visits.get(envelope.key) ?? {
      department,
      messages: 0,
      feeMessages: 0,
      total: new Decimal(0),
      cancelled: false,
      settlements: null,
      complete: false,
    };
    visit.messages += 1;
    if (message.feeDelta !== undefined) {
      visit.feeMessages += 1;
      visit.total = visit.total.plus(message.feeDelta);
    }
    if (envelope.type === 'AdmissionCancelled') visit.cancelled = true;
    if (envelope.type === 'SettlementRequested')
      visit.settlements = [
        ...(visit.settlements ?? []),
        (envelope.data as { medfee_sumamt: string }).medfee_sumamt,
      ];
    if (envelope.type === 'SettlementCancelRequested')
      visit.settlements = (visit.settlements ?? []).slice(0, -1);
    visit.complete = last;
    this.visits.set(envelope.key, visit);
  }

  get count(): number {
    return this.visits.size;
  }

  get completed(): number {
    return [...this.visits.values()].filter((v) => v.complete).length;
  }

  records(): VisitRecord[] {
    return [...this.visits.entries()].map(([ipt_no, v]) => ({
      record: 'visit',
      ipt_no,
      department: v.department,
      messages: v.messages,
      fee_messages: v.feeMessages,
      medfee_sumamt: toMoney(v.total),
      cancelled: v.cancelled,
      settlement_requested_sumamt:
        v.settlements && toMoney(v.settlements.reduce((sum, s) => sum.plus(s), new Decimal(0))),
      complete: v.complete,
    }));
  }
}

/** The manifest: one JSON object per line (run, message…, visit…, summary). Patient identifiers never go in. */
export class ManifestWriter {
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'w' });
  }

  async write(record: object): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}
