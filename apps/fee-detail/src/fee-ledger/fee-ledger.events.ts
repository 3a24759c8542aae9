import { type feeLineSchema, type Operator } from '@yb/contracts';
import { type z } from 'zod';

/** A fee line as the HIS charged it, in 2301's vocabulary (without the visit's mdtrt_id/psn_no/med_type). */
export type ChargedFeeLine = z.output<typeof feeLineSchema>;

/**
 * A fee line as the ledger uploads it: always with its national code, the HIS's own or its item's mapping
 * (inbound/catalogue-line-checks.ts): a line without one is held (HeldFeeLine) until its mapping arrives.
 */
export type HisFeeLine = ChargedFeeLine & { readonly med_list_codg: string };

/**
 * A line that waits, with the reason: for its hospital item's mapping, for its held original (a refund), or,
 * with a `finding`, for a person's decision on a price above the platform's limit.
 */
export interface HeldFeeLine {
  readonly line: ChargedFeeLine;
  readonly reason: string;
  readonly finding?: PriceLimitFinding;
}

/** A line priced above 1318's limit for its national code: the platform would refuse it. Decimal strings. */
export interface PriceLimitFinding {
  readonly kind: 'OVER_PRICE_LIMIT';
  /** The national code the line would go up with ("upload anyway"). */
  readonly med_list_codg: string;
  readonly pric: string;
  readonly pric_uplmt_amt: string;
}

/**
 * 1319's 先自付比例 of each line's national code, by feedetl_sn, where the mapping gives one above 0: informational
 * (the platform applies its own; the result shows both), never a reason to hold or refuse.
 */
export type SelfPayRatios = Readonly<Record<string, string>>;

/** A person's decision on held lines: send them as they are (the platform may refuse them), or void them. */
export type HeldLineDecision = 'UPLOAD_ANYWAY' | 'VOID';

/** The platform's answer for one uploaded line (2301 `result[]`), amounts as decimal strings. */
export interface PlatformLineAnswer {
  feedetl_sn: string;
  det_item_fee_sumamt: string;
  cnt: string;
  pric: string;
  pric_uplmt_amt?: string;
  selfpay_prop: string;
  fulamt_ownpay_amt: string;
  overlmt_amt: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  chrgitm_lv: string;
  med_chrgitm_type: string;
  memo?: string;
}

export interface LineRefusal {
  feedetl_sn: string;
  reason: string;
}

/** The request of the saga's ReconcileFeeTotals, kept until it is answered. */
export interface ReconciliationRequest {
  /** The command's envelope id and correlation id: the answer is caused by it. */
  message_id: string;
  correlation_id: string;
  his_sumamt: string;
  platform_sumamt?: string;
  /**
   * Where the topics fee-detail consumes ended when the question came: the answer waits until fee-detail has
   * consumed that far (ConsumptionWatermark). Absent in questions recorded before it was kept.
   */
  consumed_through?: readonly { topic: string; partition: number; offset: string }[];
  /**
   * The SettlementRequested (envelope id) the totals are for: only lines charged before it in the ledger's order
   * count (SettlementCut). Absent from an older saga: every unsettled line counts.
   */
  request_id?: string;
}

/**
 * Where a cashier's settlement request (SettlementRequested) stands in the visit's ledger: `through` lines had
 * been charged before it, in the order fee-detail consumed his.inpatient (the HIS's order: both are keyed by
 * ipt_no, so they share a partition). The settlement for it covers those lines only.
 */
export interface SettlementCut {
  request_id: string;
  mid_setl_flag: string;
  through: number;
}

/**
 * The platform's registration of the visit (AdmissionRegistered): the area the calls are routed to is absent
 * when admission did not say (a v1 record): unknown, never the hospital's.
 */
export interface VisitRegistration {
  mdtrt_id: string;
  psn_no: string;
  insuplc_admdvs?: string;
}

/** What happened to a visit's fee ledger; the stream `fee-ledger-<ipt_no>` holds them in order. */
export type FeeLedgerEvent =
  | { type: 'AdmissionNoted'; data: { med_type: string; insuplc_admdvs?: string } }
  | { type: 'VisitRegistered'; data: VisitRegistration }
  /** Registered, but neither admission nor the HIS named the insured area: the uploads wait for a person. */
  | { type: 'InsuredAreaMissing'; data: { reason: string } }
  | { type: 'VisitCancelled'; data: Record<string, never> }
  | { type: 'FeeLinesReceived'; data: { lines: HisFeeLine[]; selfpay_props?: SelfPayRatios } }
  | { type: 'FeeLinesRefused'; data: { lines: LineRefusal[] } }
  /** Not uploaded until the item's mapping arrives: kept here with the reason, never refused for it. */
  | { type: 'FeeLinesHeld'; data: { lines: HeldFeeLine[] } }
  /** Held lines that will not go up: the mapping's terms refuse them, or the visit was cancelled. */
  | { type: 'HeldFeeLinesRefused'; data: { lines: LineRefusal[] } }
  /** Held lines that stay held for another reason now (their mapping arrived; their price is above its limit). */
  | { type: 'HeldFeeLinesRechecked'; data: { lines: HeldFeeLine[] } }
  /** A person decided on held lines (who, why): the release or refusal that follows carries it out. */
  | {
      type: 'HeldFeeLinesDecided';
      data: { decision: HeldLineDecision; feedetl_sns: string[]; decided_by: Operator; comment: string };
    }
  /** The held lines' mappings arrived (or a person let them go up): each has its national code and waits for its batch. */
  | { type: 'HeldFeeLinesReleased'; data: { lines: HisFeeLine[]; selfpay_props?: SelfPayRatios } }
  /** Voided before they reached the platform: nothing to revoke. */
  | { type: 'FeeLinesWithdrawn'; data: { feedetl_sns: string[] } }
  /** Voided after upload (or while in flight): 2302 is owed. */
  | { type: 'FeeLinesVoidRequested'; data: { feedetl_sns: string[] } }
  | { type: 'FeeBatchUploadStarted'; data: { batch_no: number; feedetl_sns: string[] } }
  | {
      type: 'FeeBatchUploaded';
      /** `unreadable`: applied, but the answer lacked what it names (no per-line amounts): a person checks it. */
      data: { batch_no: number; msgid: string; answers: PlatformLineAnswer[]; unreadable?: string[] };
    }
  | {
      type: 'FeeBatchRejected';
      data: { batch_no: number; feedetl_sns: string[]; msgid: string; infcode: number; err_msg: string };
    }
  | { type: 'FeeBatchOutcomeUnknown'; data: { batch_no: number; msgid: string; reason: string } }
  /** An unknown batch undone line by line with 2302: its lines wait for a new upload with a new msgid. */
  | { type: 'FeeBatchUndone'; data: { batch_no: number; revoked: string[]; absent: LineRefusal[] } }
  | { type: 'FeeLinesRevoked'; data: { msgid: string; feedetl_sns: string[] } }
  | { type: 'FeeRevocationRejected'; data: { msgid: string; feedetl_sns: string[]; err_msg: string } }
  | { type: 'ReconciliationRequested'; data: ReconciliationRequest }
  /** The HIS asked to settle: lines charged from now on wait until the settlement for it is recorded. */
  | { type: 'SettlementRequestNoted'; data: SettlementCut }
  /** settlement refused the request (SettlementRequestRefused): no settlement will be cut there. */
  | { type: 'SettlementRequestDropped'; data: { request_id: string } }
  /**
   * A 2304 (settlement's Settled) covered these lines. `lines_sumamt` ≠ `medfee_sumamt` means the lines we
   * hold as covered are not the ones the platform settled: a person compares them with the platform's record.
   */
  | {
      type: 'FeeLinesSettled';
      data: {
        setl_id: string;
        mid_setl_flag: string;
        feedetl_sns: string[];
        medfee_sumamt: string;
        lines_sumamt: string;
        /** The request whose cut the settlement covered (absent: none was known). */
        request_id?: string;
      };
    }
  /** The settlement was cancelled (2305): its lines count toward the next settlement again. */
  | { type: 'FeeLinesUnsettled'; data: { setl_id: string; feedetl_sns: string[] } }
  /** 2302 "0000" of a re-synchronisation succeeded: every line goes up again. */
  | { type: 'AllFeeLinesRevoked'; data: { msgid: string } }
  | {
      type: 'FeeTotalsReconciled';
      data: {
        /** The request answered: the answer's causation and correlation ids. */
        message_id: string;
        correlation_id: string;
        his_sumamt: string;
        platform_sumamt: string;
        line_count: number;
        agreed: boolean;
        resynchronised: boolean;
        reason?: string;
        /** The covered lines' 2301 policy-range sums (2303's four amounts), when every answer is known. */
        fulamt_ownpay_amt?: string;
        overlmt_selfpay?: string;
        preselfpay_amt?: string;
        inscp_scp_amt?: string;
      };
    };

export type FeeLedgerEventType = FeeLedgerEvent['type'];
export type FeeLedgerEventOf<T extends FeeLedgerEventType> = Extract<FeeLedgerEvent, { type: T }>;
