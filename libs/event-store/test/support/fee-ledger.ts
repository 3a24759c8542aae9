import Decimal from 'decimal.js';
import { type Decider } from '../../src';

/** A visit's fee ledger, the decider the integration tests drive: small, but with real rules. */
export type FeeLedgerCommand =
  | { type: 'ChargeFee'; feedetl_sn: string; det_item_fee_sumamt: string }
  | { type: 'RefundFee'; feedetl_sn: string };

export type FeeLedgerEvent =
  | { type: 'FeeCharged'; data: { feedetl_sn: string; line_no: number; det_item_fee_sumamt: string } }
  | { type: 'FeeRefunded'; data: { feedetl_sn: string } };

export interface FeeLedgerState {
  lines: number;
  open: Record<string, string>;
}

export class FeeAlreadyChargedError extends Error {}
export class UnknownFeeError extends Error {}

export const feeLedger: Decider<FeeLedgerCommand, FeeLedgerEvent, FeeLedgerState> = {
  initialState: () => ({ lines: 0, open: {} }),
  decide(command, state) {
    switch (command.type) {
      case 'ChargeFee':
        if (command.feedetl_sn in state.open) throw new FeeAlreadyChargedError(command.feedetl_sn);
        return [
          {
            type: 'FeeCharged',
            data: {
              feedetl_sn: command.feedetl_sn,
              line_no: state.lines + 1,
              det_item_fee_sumamt: new Decimal(command.det_item_fee_sumamt).toFixed(2),
            },
          },
        ];
      case 'RefundFee':
        if (!(command.feedetl_sn in state.open)) throw new UnknownFeeError(command.feedetl_sn);
        return [{ type: 'FeeRefunded', data: { feedetl_sn: command.feedetl_sn } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'FeeCharged':
        return {
          lines: state.lines + 1,
          open: { ...state.open, [event.data.feedetl_sn]: event.data.det_item_fee_sumamt },
        };
      case 'FeeRefunded': {
        const { [event.data.feedetl_sn]: _refunded, ...open } = state.open;
        return { lines: state.lines, open };
      }
    }
  },
};
