import type { MedListItem } from './fee-catalogue';
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
  /**
   * The national catalogue's item of a code, as the fee rules price it: 3301 maps only to codes it holds, and
   * 2301 refuses a line whose code it does not hold.
   */
  readonly catalogueItem: (med_list_codg: string) => MedListItem | undefined;
  /** 2301 refuses a line whose code is outside the catalogue (the platform's rule) instead of pricing it 丙类. */
  readonly refuseCodesOutsideCatalogue: boolean;
  /** Next value of the platform's serial, zero-padded to `width` digits. */
  nextSerial(width: number): string;
}
