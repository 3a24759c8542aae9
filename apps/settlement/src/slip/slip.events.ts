/** A settlement whose platform slip (YH03) is owed: what the call needs. */
export interface OwedSlip {
  readonly ipt_no: string;
  readonly mdtrt_id: string;
  readonly setl_id: string;
  readonly psn_no: string;
  /** 参保地医保区划 the call is routed to. */
  readonly insuplc_admdvs: string;
}

/** The platform's document. */
export interface PrintedSlip {
  readonly msgid: string;
  readonly filename: string;
  readonly content_type: string;
  readonly document_base64: string;
}

export type SlipCommand =
  | { type: 'OweSlip'; slip: OwedSlip }
  | { type: 'RecordSlip'; printed: PrintedSlip }
  | { type: 'RecordSlipFailure'; reason: string };

/** The stream `slip-<setl_id>`. */
export type SlipEvent =
  | { type: 'SlipOwed'; data: OwedSlip }
  | { type: 'SlipPrinted'; data: PrintedSlip }
  /** retrying false: given up after the last attempt, for a person. */
  | { type: 'SlipAttemptFailed'; data: { reason: string; attempts: number; retrying: boolean } };
