import {
  canUpload,
  feeTotals,
  linesInOrder,
  owesRevocation,
  questionCut,
  uploadableLines,
  type FeeLedgerState,
  type InFlightBatch,
} from './fee-ledger.state';
import { sameMoney } from './money';

/** The next exchange with the platform a visit's ledger needs, in the order the uploader must run them. */
export type PlatformStep =
  /** A 2301 whose outcome is unknown (or whose sender died): 2302 its lines, then they go up again. */
  | { kind: 'undo-batch'; batch: InFlightBatch }
  /** Voided lines on the platform: one 2302, refund lines listed before the lines they refund. */
  | { kind: 'revoke-lines'; feedetl_sns: string[] }
  | { kind: 'upload-batch' }
  /** The totals drifted: 2302 "0000", then every line goes up again. */
  | { kind: 'revoke-all' }
  | { kind: 'answer-reconciliation' };

/**
 * Pure: what to send next, or null when the ledger owes the platform nothing. The uploader holds the visit's
 * lock while it runs steps, so a batch still in flight when it looks is one whose outcome nobody knows.
 */
export function nextPlatformStep(state: FeeLedgerState): PlatformStep | null {
  if (state.batch) return { kind: 'undo-batch', batch: state.batch };
  if (canUpload(state)) {
    if (state.revocationsOwed > 0) {
      const voided = linesInOrder(state, 'uploaded').filter(owesRevocation);
      return { kind: 'revoke-lines', feedetl_sns: voided.map((l) => l.line.feedetl_sn).reverse() };
    }
    if (uploadableLines(state).length > 0) return { kind: 'upload-batch' };
  }
  if (!state.reconciliation) return null;
  // Held lines explain a difference of totals: no re-synchronisation for them, the answer names them.
  return canUpload(state) &&
    !state.reconciliation.resynchronised &&
    state.held.length === 0 &&
    totalsDrifted(state)
    ? { kind: 'revoke-all' }
    : { kind: 'answer-reconciliation' };
}

/** The uploaded total differs from the HIS's, or from what the platform itself reported. */
function totalsDrifted(state: FeeLedgerState): boolean {
  const request = state.reconciliation?.request;
  if (!request) return false;
  const { uploaded_sumamt } = feeTotals(state, questionCut(state));
  return (
    !sameMoney(request.his_sumamt, uploaded_sumamt) ||
    (request.platform_sumamt !== undefined && !sameMoney(request.platform_sumamt, uploaded_sumamt))
  );
}

/**
 * Pure: how long the uploader may wait before taking up the visit (null: nothing owed). An upload of fewer
 * lines than a batch waits `coalesceMs` for more of the visit's lines, so that a 2301 carries up to
 * `batchSize` lines instead of one HIS message's few — but only while the uploader is busy (`uploaderHasRoom`
 * false): an idle uploader sends at once, since waiting would add the delay to every line's latency and gain no
 * throughput. Every other step (a revocation, an undo, the totals the settlement waits for) goes at once.
 */
export function platformWorkDelay(
  state: FeeLedgerState,
  { batchSize, coalesceMs }: { batchSize: number; coalesceMs: number },
  uploaderHasRoom = false,
): number | null {
  const step = nextPlatformStep(state);
  if (!step) return null;
  const partialBatch =
    step.kind === 'upload-batch' && !state.reconciliation && uploadableLines(state).length < batchSize;
  return partialBatch && !uploaderHasRoom ? coalesceMs : 0;
}
