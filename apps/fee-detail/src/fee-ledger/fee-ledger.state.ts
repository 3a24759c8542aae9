import {
  type HeldFeeLine,
  type HisFeeLine,
  type PlatformLineAnswer,
  type ReconciliationRequest,
  type SettlementCut,
  type VisitRegistration,
} from './fee-ledger.events';
import { sumMoney } from './money';

/**
 * Where a line stands: waiting (for the visit's registration or its batch), in-flight (its 2301 is out),
 * uploaded, rejected (the platform's reason kept), withdrawn (voided before upload), revoked (voided by 2302).
 */
export type LineStatus = 'waiting' | 'in-flight' | 'uploaded' | 'rejected' | 'withdrawn' | 'revoked';

export interface LedgerLine {
  readonly line: HisFeeLine;
  readonly status: LineStatus;
  /** The HIS voided it while it was on (or on its way to) the platform: 2302 is owed. */
  readonly voidRequested: boolean;
  readonly answer?: PlatformLineAnswer;
  readonly rejection?: string;
  /** The 2301 batch that put it on the platform: a settlement covers the batches its totals were agreed on. */
  readonly batch_no?: number;
  /** The standing settlement (2304) that covered it: it no longer counts toward the next settlement. */
  readonly setl_id?: string;
  /** Its place among the visit's charges (1, 2, …), kept when it was held first: a settlement cut compares it. */
  readonly charge_no: number;
}

/** A held line with its place among the visit's charges. */
export type HeldLedgerLine = HeldFeeLine & { readonly charge_no: number };

export interface InFlightBatch {
  readonly batch_no: number;
  readonly feedetl_sns: readonly string[];
  /** Set once the 2301 went out and its outcome is unknown. */
  readonly unknownMsgid?: string;
}

export interface FeeLedgerState {
  readonly admission: { readonly med_type: string; readonly insuplc_admdvs?: string } | null;
  readonly registration: Readonly<VisitRegistration> | null;
  readonly cancelled: boolean;
  /** By feedetl_sn; `order` keeps the HIS's order, which is the upload order. */
  readonly lines: Readonly<Record<string, LedgerLine>>;
  readonly order: readonly string[];
  /**
   * Lines waiting for their hospital item's mapping, in the HIS's order: not in `lines` (they have no national
   * code yet) until released; a held line voided or refused is dropped, as a refused line is never taken.
   */
  readonly held: readonly HeldLedgerLine[];
  /** Lines taken so far (uploadable and held): the next line's charge_no is this plus one. */
  readonly charged: number;
  /**
   * The cashier's settlement requests not yet settled, in the HIS's order. Lines charged after the first wait
   * (not uploaded): the platform settles every unsettled line it holds, so a line on it after the request would
   * enter that settlement. A settlement (Settled), a question about a later request, or settlement's refusal of
   * the request removes it.
   */
  readonly cuts: readonly SettlementCut[];
  readonly batch: InFlightBatch | null;
  readonly batchesStarted: number;
  readonly reconciliation: {
    readonly request: ReconciliationRequest;
    /** The lines were revoked with 2302 "0000" for this request and went (or are going) up again. */
    readonly resynchronised: boolean;
  } | null;
  /**
   * The batches uploaded when the totals were last agreed (FeeTotalsReconciled): a 2304 settles what its
   * totals were agreed on, so a line uploaded after that (a mid-way settlement's patient is still charged) is
   * not taken as settled. Null before any agreement: the settlement covers every unsettled line.
   */
  readonly agreedThroughBatch: number | null;
  /** The request the last agreed totals were cut at (null: none, every unsettled line). */
  readonly agreedCut: SettlementCut | null;
  /** Standing settlements of the visit (setl_id → the lines each covered); a cancelled one is dropped. */
  readonly settlements: Readonly<Record<string, readonly string[]>>;
}

export const initialFeeLedgerState = (): FeeLedgerState => ({
  admission: null,
  registration: null,
  cancelled: false,
  lines: {},
  order: [],
  held: [],
  charged: 0,
  cuts: [],
  batch: null,
  batchesStarted: 0,
  reconciliation: null,
  agreedThroughBatch: null,
  agreedCut: null,
  settlements: {},
});

export function linesInOrder(state: FeeLedgerState, ...statuses: LineStatus[]): LedgerLine[] {
  return state.order.map((sn) => state.lines[sn]).filter((l) => statuses.includes(l.status));
}

/**
 * 参保地医保区划 the visit's calls are routed to: the one admission registered, else the one the HIS named;
 * undefined when neither did (never the hospital's own area: a cross-area patient would go astray).
 */
export function insuredArea(state: FeeLedgerState): string | undefined {
  return state.registration?.insuplc_admdvs ?? state.admission?.insuplc_admdvs;
}

/** Lines may go to the platform: the visit is registered in a known area, its med_type known, and not cancelled. */
export function canUpload(state: FeeLedgerState): boolean {
  return (
    state.registration !== null &&
    state.admission !== null &&
    insuredArea(state) !== undefined &&
    !state.cancelled
  );
}

/** No cut: every line counts. */
const NO_CUT = Number.POSITIVE_INFINITY;

/** The cut of the pending totals question: the request it names, once its place in the ledger is known. */
export function questionCut(state: FeeLedgerState): SettlementCut | null {
  const request_id = state.reconciliation?.request.request_id;
  return state.cuts.find((c) => c.request_id === request_id) ?? null;
}

/** Waiting lines that may go up now: those charged before the first open settlement request. */
export function uploadableLines(state: FeeLedgerState): LedgerLine[] {
  const through = state.cuts[0]?.through ?? NO_CUT;
  return linesInOrder(state, 'waiting').filter((l) => l.charge_no <= through);
}

/** Lines the HIS still charges (not voided). */
export function chargedLines(state: FeeLedgerState): LedgerLine[] {
  return state.order
    .map((sn) => state.lines[sn])
    .filter((l) => !l.voidRequested && l.status !== 'withdrawn' && l.status !== 'revoked');
}

/**
 * Lines on the platform that no standing settlement covers, charged up to `cut` (every one without): what the
 * next 2303/2304 settles.
 */
export function unsettledUploadedLines(
  state: FeeLedgerState,
  cut: SettlementCut | null = null,
): LedgerLine[] {
  const through = cut?.through ?? NO_CUT;
  return linesInOrder(state, 'uploaded').filter((l) => l.setl_id === undefined && l.charge_no <= through);
}

/**
 * 2303's policy-range amounts (政策范围): the sums of the 2301 answers of the lines the settlement covers;
 * overlmt_selfpay is the answers' overlmt_amt. Absent when a line's answer is missing (an unreadable 2301
 * answer): the platform's own sums then stand, and we send none we cannot vouch for.
 */
export interface PolicyAmounts {
  readonly fulamt_ownpay_amt: string;
  readonly overlmt_selfpay: string;
  readonly preselfpay_amt: string;
  readonly inscp_scp_amt: string;
}

export interface FeeTotals {
  /** Sum of the lines the HIS charges and no settlement covers yet. */
  readonly his_sumamt: string;
  /** Sum of the unsettled lines the platform holds, by its own answer. */
  readonly uploaded_sumamt: string;
  readonly uploaded_count: number;
  readonly policy?: PolicyAmounts;
}

/** The totals of the lines charged up to `cut` (a settlement request; null: all) that no settlement covers. */
export function feeTotals(state: FeeLedgerState, cut: SettlementCut | null = null): FeeTotals {
  const through = cut?.through ?? NO_CUT;
  const uploaded = unsettledUploadedLines(state, cut);
  const answers = uploaded.map((l) => l.answer);
  const complete = answers.every((a): a is PlatformLineAnswer => a !== undefined);
  const sum = (pick: (a: PlatformLineAnswer) => string) =>
    sumMoney((answers as PlatformLineAnswer[]).map(pick));
  return {
    his_sumamt: sumMoney(
      chargedLines(state)
        .filter((l) => l.setl_id === undefined && l.charge_no <= through)
        .map((l) => l.line.det_item_fee_sumamt),
    ),
    uploaded_sumamt: sumMoney(
      uploaded.map((l) => l.answer?.det_item_fee_sumamt ?? l.line.det_item_fee_sumamt),
    ),
    uploaded_count: uploaded.length,
    ...(complete && {
      policy: {
        fulamt_ownpay_amt: sum((a) => a.fulamt_ownpay_amt),
        overlmt_selfpay: sum((a) => a.overlmt_amt),
        preselfpay_amt: sum((a) => a.preselfpay_amt),
        inscp_scp_amt: sum((a) => a.inscp_scp_amt),
      },
    }),
  };
}
