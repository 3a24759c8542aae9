import {
  type HisFeeLine,
  type PlatformLineAnswer,
  type ReconciliationRequest,
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
}

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
  readonly batch: InFlightBatch | null;
  readonly batchesStarted: number;
  readonly reconciliation: {
    readonly request: ReconciliationRequest;
    /** The lines were revoked with 2302 "0000" for this request and went (or are going) up again. */
    readonly resynchronised: boolean;
  } | null;
}

export const initialFeeLedgerState = (): FeeLedgerState => ({
  admission: null,
  registration: null,
  cancelled: false,
  lines: {},
  order: [],
  batch: null,
  batchesStarted: 0,
  reconciliation: null,
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

/** Lines the HIS still charges (not voided). */
export function chargedLines(state: FeeLedgerState): LedgerLine[] {
  return state.order
    .map((sn) => state.lines[sn])
    .filter((l) => !l.voidRequested && l.status !== 'withdrawn' && l.status !== 'revoked');
}

export interface FeeTotals {
  /** Sum of the lines the HIS charges. */
  readonly his_sumamt: string;
  /** Sum of the lines the platform holds, by its own answer. */
  readonly uploaded_sumamt: string;
  readonly uploaded_count: number;
}

export function feeTotals(state: FeeLedgerState): FeeTotals {
  const uploaded = linesInOrder(state, 'uploaded');
  return {
    his_sumamt: sumMoney(chargedLines(state).map((l) => l.line.det_item_fee_sumamt)),
    uploaded_sumamt: sumMoney(
      uploaded.map((l) => l.answer?.det_item_fee_sumamt ?? l.line.det_item_fee_sumamt),
    ),
    uploaded_count: uploaded.length,
  };
}
