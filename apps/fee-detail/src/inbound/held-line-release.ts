import { PollLoop, type ProjectionRunner } from '@yb/event-store';
import { type Logger } from 'pino';
import { type ItemMappingLookup } from '../catalogue/item-mappings';
import { type FeeLedgerWorkflow } from '../fee-ledger/fee-ledger-workflow';
import { type FeeLedgerState } from '../fee-ledger/fee-ledger.state';
import { type HeldAgainst, type HeldItems } from '../fee-ledger/held-items';
import { checkFeeLines } from './catalogue-line-checks';
import { type FeeUploadQueue } from './fee-detail-handlers';

/** How often held items are compared with the mappings when no mapping arrived (a missed wake, a failure). */
export const HELD_LINE_SWEEP_MS = 30_000;

/**
 * Releases held lines when their item's mapping arrives on insurance.catalogue.mappings: the mapping copy wakes
 * it (`itemMapped`), and it releases every visit holding lines of an item now mapped (a line held for its price:
 * mapped on other terms than it was held against) — each held line checked
 * again as a new charge would be (validity refuses; a price above the limit keeps it held, now for a person's
 * decision), the ledger's ReleaseHeldLines appended, and the visit
 * handed to the uploader at once. The same pass runs at start and every `sweepMs`, so a mapping that arrived
 * while the database was away, while this process was down, or before the hold reached the held-items table is
 * not missed; a failed pass is logged and tried again (never dropped). Every process does this: the ledger
 * releases a line once, whoever asks.
 */
export class HeldLineRelease {
  private readonly loop: PollLoop;

  constructor(
    private readonly ledgers: FeeLedgerWorkflow,
    private readonly heldItems: HeldItems,
    private readonly projection: Pick<ProjectionRunner, 'catchUp'>,
    private readonly mappings: ItemMappingLookup,
    private readonly uploads: FeeUploadQueue,
    private readonly delayFor: (state: FeeLedgerState) => number | null,
    logger: Logger,
    sweepMs = HELD_LINE_SWEEP_MS,
  ) {
    this.loop = new PollLoop(async () => (await this.releaseMapped(), false), {
      intervalMs: sweepMs,
      onError: (err) => logger.warn({ err }, 'releasing held fee lines failed; trying again'),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** A mapping arrived: release now (a burst of mappings wakes one pass). */
  itemMapped(): void {
    this.loop.wake();
  }

  /**
   * One pass: the visits holding lines a check could now release, each released; returns them. A line held for
   * its price against the terms its item is still mapped on is not one: it waits for a person's decision
   * (DecideHeldFeeLines, which releases it itself), so such a visit is not read again every pass.
   */
  async releaseMapped(): Promise<string[]> {
    await this.projection.catchUp();
    const releasable = (await this.heldItems.holds()).filter((held) => this.mayRelease(held));
    const visits = await this.heldItems.visitsHolding(releasable);
    for (const ipt_no of visits) await this.release(ipt_no);
    return visits;
  }

  /** The item is mapped, on other terms than the line was held against (none: it waited for the mapping). */
  private mayRelease({ medins_list_codg, terms }: HeldAgainst): boolean {
    const mapping = this.mappings.mappingOf(medins_list_codg);
    return (
      mapping !== undefined &&
      (terms === null ||
        terms.med_list_codg !== mapping.med_list_codg ||
        terms.pric_uplmt_amt !== mapping.pric_uplmt_amt)
    );
  }

  private async release(ipt_no: string): Promise<void> {
    const { state } = await this.ledgers.load(ipt_no);
    const { lines, refusals, held, selfpay_props } = checkFeeLines(
      state.held.map((h) => h.line),
      this.mappings,
    );
    if (lines.length === 0 && refusals.length === 0 && held.length === 0) return;
    const result = await this.ledgers.execute(ipt_no, {
      type: 'ReleaseHeldLines',
      lines,
      refusals,
      held,
      selfpay_props,
    });
    if (result.kind !== 'handled') return;
    const delayMs = this.delayFor(result.state);
    if (delayMs !== null) this.uploads.schedule(ipt_no, delayMs);
  }
}
