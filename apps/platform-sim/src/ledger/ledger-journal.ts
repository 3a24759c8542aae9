import type { LedgerRequest } from './ledger-state';

export type LedgerAnswer =
  { readonly infcode: 0; readonly output: unknown } | { readonly infcode: -1; readonly err_msg: string };

/**
 * One thing the ledger decided, with everything needed to decide it again: the rules are a function of
 * (state, request, instant, serial), so replaying the entries in order through the same rules rebuilds the
 * books. `serial` is the platform's serial after the entry: ids are never issued twice, even across a reset.
 */
export type LedgerEntry =
  | {
      /** A transaction the rules applied or refused (never a duplicate msgid: the books already hold it). */
      readonly kind: 'decision';
      readonly request: LedgerRequest;
      readonly at: Date;
      readonly answer: LedgerAnswer;
      readonly serial: number;
    }
  | {
      /** A refusal decided outside the rules (the `reject` fault): the msgid is used up all the same. */
      readonly kind: 'refusal';
      readonly request: LedgerRequest;
      readonly at: Date;
      readonly err_msg: string;
      readonly serial: number;
    }
  | {
      /** `POST /sim/reset`: back to the seeded persons, the serial going on from where it was. */
      readonly kind: 'reset';
      readonly at: Date;
      readonly serial: number;
    };

/** Where the ledger hands each entry as it decides it (the books make it durable before the answer leaves). */
export interface LedgerJournal {
  record(entry: LedgerEntry): void;
}
