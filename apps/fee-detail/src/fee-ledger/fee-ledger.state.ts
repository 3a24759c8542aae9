import { OrderedMap } from 'immutable';
import {
  type FeeLedgerEvent,
  type HeldFeeLine,
  type HisFeeLine,
  type LineRefusal,
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
  /** 1319's self-pay ratio of its code when it was taken (informational: shown beside the platform's). */
  readonly catalogue_selfpay_prop?: string;
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
  /**
   * By feedetl_sn, in the HIS's order (the upload order). Persistent: an event copies only the lines it changes,
   * not the stay's, so its cost does not grow with the length of the stay.
   */
  readonly lines: OrderedMap<string, LedgerLine>;
  /**
   * The waiting lines' feedetl_sns in the HIS's order, kept with `lines`: the next 2301 is found without a scan of
   * the stay.
   */
  readonly waiting: readonly string[];
  /** How many lines on the platform the HIS voided (each owes a 2302), kept with `lines`. */
  readonly revocationsOwed: number;
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
  lines: OrderedMap(),
  waiting: [],
  revocationsOwed: 0,
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
  return [...state.lines.values()].filter((l) => statuses.includes(l.status));
}

/** An uploaded line the HIS voided: a 2302 is owed for it. */
export const owesRevocation = (l: LedgerLine): boolean => l.status === 'uploaded' && l.voidRequested;

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
  return state.waiting.map((sn) => state.lines.get(sn)!).filter((l) => l.charge_no <= through);
}

/** Lines the HIS still charges (not voided). */
export function chargedLines(state: FeeLedgerState): LedgerLine[] {
  return [...state.lines.values()].filter(
    (l) => !l.voidRequested && l.status !== 'withdrawn' && l.status !== 'revoked',
  );
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

export function evolveFeeLedger(state: FeeLedgerState, event: FeeLedgerEvent): FeeLedgerState {
  switch (event.type) {
    case 'AdmissionNoted':
      return { ...state, admission: event.data };
    case 'VisitRegistered':
      return { ...state, registration: event.data, cancelled: false };
    case 'InsuredAreaMissing':
      return state;
    case 'VisitCancelled':
      return { ...state, cancelled: true };
    case 'FeeLinesReceived':
      return {
        ...withLines(
          state,
          event.data.lines.map((line, i) =>
            taken(line, state.charged + i + 1, event.data.selfpay_props?.[line.feedetl_sn]),
          ),
        ),
        charged: state.charged + event.data.lines.length,
      };
    case 'FeeLinesHeld':
      return {
        ...state,
        held: [
          ...state.held,
          ...event.data.lines.map((h, i) => ({ ...h, charge_no: state.charged + i + 1 })),
        ],
        charged: state.charged + event.data.lines.length,
      };
    case 'HeldFeeLinesReleased': {
      const released = event.data.lines.map((l) => l.feedetl_sn);
      const heldAt = new Map(state.held.map((h) => [h.line.feedetl_sn, h.charge_no]));
      return withLines(
        withoutHeld(state, released),
        event.data.lines.map((line) =>
          taken(
            line,
            heldAt.get(line.feedetl_sn) ?? state.charged,
            event.data.selfpay_props?.[line.feedetl_sn],
          ),
        ),
      );
    }
    case 'HeldFeeLinesRechecked': {
      const now = new Map(event.data.lines.map((h) => [h.line.feedetl_sn, h]));
      return {
        ...state,
        held: state.held.map((h) => {
          const rechecked = now.get(h.line.feedetl_sn);
          return rechecked ? { ...rechecked, charge_no: h.charge_no } : h;
        }),
      };
    }
    case 'HeldFeeLinesDecided':
      // What follows it carries the decision out.
      return state;
    case 'HeldFeeLinesRefused':
      return withoutHeld(
        state,
        event.data.lines.map((r) => r.feedetl_sn),
      );
    case 'FeeLinesRefused':
      // Only a waiting line of this visit changes (refused at cancellation); others were never taken.
      return update(
        state,
        event.data.lines
          .filter((r) => state.lines.get(r.feedetl_sn)?.status === 'waiting')
          .map((r) => r.feedetl_sn),
        (l) => ({ status: 'rejected', rejection: reasonOf(event.data.lines, l.line.feedetl_sn) }),
      );
    case 'FeeLinesWithdrawn':
      return update(withoutHeld(state, event.data.feedetl_sns), event.data.feedetl_sns, () => ({
        status: 'withdrawn',
      }));
    case 'FeeLinesVoidRequested':
      return update(state, event.data.feedetl_sns, () => ({ voidRequested: true }));
    case 'FeeBatchUploadStarted': {
      const { batch_no, feedetl_sns } = event.data;
      return {
        ...update(state, feedetl_sns, () => ({ status: 'in-flight' })),
        batch: { batch_no, feedetl_sns },
        batchesStarted: batch_no,
      };
    }
    case 'FeeBatchUploaded': {
      const answers = new Map(event.data.answers.map((a) => [a.feedetl_sn, a]));
      const batch = state.batch?.feedetl_sns ?? [];
      return {
        ...update(state, batch, (l) => ({
          status: 'uploaded',
          answer: answers.get(l.line.feedetl_sn),
          batch_no: event.data.batch_no,
        })),
        batch: null,
      };
    }
    case 'FeeBatchRejected':
      return {
        ...update(state, state.batch?.feedetl_sns ?? [], (l) => ({
          status: l.voidRequested ? 'withdrawn' : 'rejected',
          rejection: event.data.err_msg,
        })),
        batch: null,
      };
    case 'FeeBatchOutcomeUnknown':
      return state.batch ? { ...state, batch: { ...state.batch, unknownMsgid: event.data.msgid } } : state;
    case 'FeeBatchUndone':
      // No longer on the platform: lines voided meanwhile are done, the others go up again.
      return {
        ...update(state, state.batch?.feedetl_sns ?? [], (l) => ({
          status: l.voidRequested ? 'withdrawn' : 'waiting',
          answer: undefined,
        })),
        batch: null,
      };
    case 'FeeLinesRevoked':
      return update(state, event.data.feedetl_sns, () => ({ status: 'revoked' }));
    case 'FeeRevocationRejected':
      // The platform keeps the line; the refusal is published and the totals show the difference.
      return update(state, event.data.feedetl_sns, () => ({ voidRequested: false }));
    case 'ReconciliationRequested': {
      const reconciliation = { request: event.data, resynchronised: false };
      // The saga serves a visit's requests one at a time: asked about this one, it is done with those before.
      // A question naming none (an older saga) is about every line: no cut holds lines back.
      const asked = event.data.request_id;
      const at = state.cuts.findIndex((c) => c.request_id === asked);
      return {
        ...state,
        reconciliation,
        cuts: asked === undefined ? [] : at > 0 ? state.cuts.slice(at) : state.cuts,
      };
    }
    case 'SettlementRequestNoted': {
      // Noted after the question about it (the question overtook the request): the ones before are done too.
      const asked = state.reconciliation?.request.request_id === event.data.request_id;
      return { ...state, cuts: asked ? [event.data] : [...state.cuts, event.data] };
    }
    case 'SettlementRequestDropped':
      return { ...state, cuts: state.cuts.filter((c) => c.request_id !== event.data.request_id) };
    case 'AllFeeLinesRevoked': {
      // 2302 "0000" leaves the lines a standing settlement covers on the platform.
      const onPlatform = linesInOrder(state, 'uploaded', 'rejected').filter((l) => l.setl_id === undefined);
      return {
        ...update(
          state,
          onPlatform.map((l) => l.line.feedetl_sn),
          (l) => ({
            status: l.voidRequested ? (l.status === 'uploaded' ? 'revoked' : 'withdrawn') : 'waiting',
            voidRequested: false,
            answer: undefined,
            rejection: undefined,
            batch_no: undefined,
            setl_id: undefined,
            catalogue_selfpay_prop: undefined,
          }),
        ),
        reconciliation: state.reconciliation && { ...state.reconciliation, resynchronised: true },
      };
    }
    case 'FeeTotalsReconciled': {
      const { agreed } = event.data;
      return {
        ...state,
        reconciliation: null,
        agreedThroughBatch: agreed ? state.batchesStarted : state.agreedThroughBatch,
        agreedCut: agreed ? questionCut(state) : state.agreedCut,
      };
    }
    case 'FeeLinesSettled': {
      // The request is settled: the lines charged after it go up (after a discharge settlement the platform
      // answers them, and its refusal reaches the HIS as FeeLinesRejected: cancel (2305) and settle again).
      const { setl_id, feedetl_sns, request_id } = event.data;
      return {
        ...update(state, feedetl_sns, () => ({ setl_id })),
        settlements: { ...state.settlements, [setl_id]: feedetl_sns },
        cuts: state.cuts.filter((c) => c.request_id !== request_id),
      };
    }
    case 'FeeLinesUnsettled': {
      const { [event.data.setl_id]: _cancelled, ...standing } = state.settlements;
      return {
        ...update(state, event.data.feedetl_sns, () => ({ setl_id: undefined })),
        settlements: standing,
      };
    }
  }
}

function withoutHeld(state: FeeLedgerState, feedetl_sns: readonly string[]): FeeLedgerState {
  if (state.held.length === 0) return state;
  const gone = new Set(feedetl_sns);
  return { ...state, held: state.held.filter((h) => !gone.has(h.line.feedetl_sn)) };
}

function reasonOf(refusals: LineRefusal[], feedetl_sn: string): string | undefined {
  return refusals.find((r) => r.feedetl_sn === feedetl_sn)?.reason;
}

/** A line taken for upload: waiting, with its place among the visit's charges. */
function taken(line: HisFeeLine, charge_no: number, catalogue_selfpay_prop: string | undefined): LedgerLine {
  return ledgerLine({ line, status: 'waiting', voidRequested: false, charge_no, catalogue_selfpay_prop });
}

/**
 * The line with the change's fields (one the change names as undefined is cleared), every field written in one
 * order, absent ones undefined: all lines share one hidden class. Built by spreading (`{ ...l, status }`), the
 * lines of a running fee-detail each had a hidden class of their own (Node 20: 17,415 lines, 17,415 maps in a
 * heap snapshot), ≈ 250 bytes more per cached line and every read of a line's field a megamorphic lookup.
 */
function ledgerLine(l: LedgerLine, change: LineChange = {}): LedgerLine {
  return {
    line: l.line,
    status: 'status' in change ? change.status! : l.status,
    voidRequested: 'voidRequested' in change ? change.voidRequested! : l.voidRequested,
    charge_no: l.charge_no,
    answer: 'answer' in change ? change.answer : l.answer,
    rejection: 'rejection' in change ? change.rejection : l.rejection,
    batch_no: 'batch_no' in change ? change.batch_no : l.batch_no,
    setl_id: 'setl_id' in change ? change.setl_id : l.setl_id,
    catalogue_selfpay_prop:
      'catalogue_selfpay_prop' in change ? change.catalogue_selfpay_prop : l.catalogue_selfpay_prop,
  };
}

/** What an event changes in a line: its place and the HIS's line never change. */
type LineChange = Partial<Omit<LedgerLine, 'line' | 'charge_no'>>;

function update(
  state: FeeLedgerState,
  feedetl_sns: readonly string[],
  change: (line: LedgerLine) => LineChange,
): FeeLedgerState {
  const changed = [...new Set(feedetl_sns)].flatMap((sn) => {
    const line = state.lines.get(sn);
    return line ? [ledgerLine(line, change(line))] : [];
  });
  return changed.length === 0 ? state : withLines(state, changed);
}

/**
 * The state with these lines set (a new one goes last in the HIS's order), `waiting` and `revocationsOwed` kept
 * in step: a line leaving `waiting` is filtered out of it, a new one appended; only a line coming back to it
 * (an undone batch, a re-synchronisation: rare) has `waiting` rebuilt from the stay's lines, in their order.
 */
function withLines(state: FeeLedgerState, changed: readonly LedgerLine[]): FeeLedgerState {
  let revocationsOwed = state.revocationsOwed;
  let left = false;
  let returned = false;
  const appended: string[] = [];
  const lines = state.lines.withMutations((map) => {
    for (const after of changed) {
      const sn = after.line.feedetl_sn;
      const before = map.get(sn);
      map.set(sn, after);
      revocationsOwed +=
        Number(owesRevocation(after)) - Number(before !== undefined && owesRevocation(before));
      const was = before?.status === 'waiting';
      const is = after.status === 'waiting';
      if (was && !is) left = true;
      else if (is && !was) {
        if (before) returned = true;
        else appended.push(sn);
      }
    }
  });
  const waiting = returned
    ? [...lines.filter((l) => l.status === 'waiting').keys()]
    : [
        ...(left ? state.waiting.filter((sn) => lines.get(sn)?.status === 'waiting') : state.waiting),
        ...appended,
      ];
  return { ...state, lines, waiting, revocationsOwed };
}
