import type { LedgerRequest, LedgerState } from './ledger-state';

/** What one transaction's handler sees: the state, the request, and the platform's clock and id source. */
export interface LedgerContext {
  readonly state: LedgerState;
  readonly req: LedgerRequest;
  /** Unknown persons in 1101/2401 are enrolled as fictitious insured persons instead of refused. */
  readonly enrolUnknownPersons: boolean;
  /** 超限价 (over the price ceiling) is the hospital's to bear instead of the patient's (a local policy). */
  readonly hospitalBearsOverlimit: boolean;
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time. */
  readonly dateTime: string;
  /** `yyyyMMddHHmmss`, Beijing time. */
  readonly stamp: string;
  /** Whether the national catalogue holds a code (3301 maps only to codes it holds). */
  readonly inCatalogue: (med_list_codg: string) => boolean;
  /** Next value of the platform's serial, zero-padded to `width` digits. */
  nextSerial(width: number): string;
}
