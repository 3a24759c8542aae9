import { type Decider } from '@yb/event-store';
import Decimal from 'decimal.js';
import { amountsOf, type LedgerRow, type SettlementGroup } from './ledger-row';
import { type SettlementLedgerCommand } from './settlement-ledger.commands';
import { type SettlementLedgerEvent } from './settlement-ledger.events';
import { evolveLedger, initialLedgerState, type SettlementLedgerState } from './settlement-ledger.state';

/** A result the ledger cannot place: dead-lettered with this reason. */
export class LedgerRefusal extends Error {
  override readonly name = 'LedgerRefusal';
}

/** Inpatient settlements clear as 21 住院 where the saga's result does not say (spec part 2 §10 clr_type). */
const INPATIENT_CLR_TYPE = '21';

const fen = (amount: string): string => new Decimal(amount).toFixed(2);

/**
 * Who the settlement is and who clears it: the saga's result first (2304's own answer), else what the
 * visit's registration said (the insured area is the clearing agency the platform answers for a local
 * patient: the sandbox's and ZB's grouping; checked against the platform by 3201 all the same).
 */
function groupOf(
  given: { psn_no?: string; insutype?: string; clr_type?: string; clr_optins?: string },
  state: SettlementLedgerState,
  setl_id: string,
): SettlementGroup & { psn_no: string } {
  const psn_no = given.psn_no ?? state.insured?.psn_no;
  const insutype = given.insutype ?? state.insured?.insutype;
  const setl_optins = given.clr_optins ?? state.insured?.insuplc_admdvs;
  const missing = Object.entries({ psn_no, insutype, setl_optins })
    .filter(([, value]) => value === undefined)
    .map(([field]) => field);
  if (missing.length > 0) {
    throw new LedgerRefusal(
      `settlement ${setl_id}: ${missing.join(', ')} unknown (neither the result nor the visit's registration gives it); it cannot be reconciled`,
    );
  }
  return {
    psn_no: psn_no!,
    insutype: insutype!,
    setl_optins: setl_optins!,
    clr_type: given.clr_type ?? INPATIENT_CLR_TYPE,
  };
}

function decide(command: SettlementLedgerCommand, state: SettlementLedgerState): SettlementLedgerEvent[] {
  switch (command.type) {
    case 'NoteInsured': {
      const { type: _type, ...insured } = command;
      return JSON.stringify(state.insured) === JSON.stringify(insured)
        ? []
        : [{ type: 'VisitInsuredNoted', data: insured }];
    }
    case 'RecordSettlement': {
      const s = command.settled;
      if (state.rows.has(s.setl_id)) return [];
      const row: LedgerRow = {
        setl_id: s.setl_id,
        ipt_no: s.ipt_no,
        mdtrt_id: s.mdtrt_id,
        ...groupOf(s, state, s.setl_id),
        setl_time: s.setl_time,
        medfee_sumamt: fen(s.medfee_sumamt),
        fund_pay_sumamt: fen(s.fund_pay_sumamt),
        acct_pay: fen(s.acct_pay),
        cash_payamt: fen(s.psn_cash_pay),
        refd_setl_flag: '0',
        mid_setl_flag: s.mid_setl_flag,
        medins_setl_id: s.medins_setl_id,
        source: 'result',
      };
      return [{ type: 'SettlementRecorded', data: row }];
    }
    case 'RecordCancellation': {
      const c = command.cancelled;
      if (state.rows.has(c.setl_id)) return [];
      const original = state.rows.get(c.init_setl_id);
      const group = original
        ? {
            psn_no: original.psn_no,
            insutype: original.insutype,
            clr_type: original.clr_type,
            setl_optins: original.setl_optins,
          }
        : groupOf({}, state, c.setl_id);
      const row: LedgerRow = {
        setl_id: c.setl_id,
        ipt_no: c.ipt_no,
        mdtrt_id: c.mdtrt_id,
        ...group,
        // An older saga's result carries no refund time: when it was published is within the same second or so.
        setl_time: c.setl_time ?? command.published_at,
        medfee_sumamt: fen(c.medfee_sumamt),
        fund_pay_sumamt: fen(c.fund_pay_sumamt),
        acct_pay: fen(c.acct_pay),
        cash_payamt: fen(c.psn_cash_pay),
        refd_setl_flag: '1',
        init_setl_id: c.init_setl_id,
        source: 'result',
      };
      return [{ type: 'RefundRecorded', data: row }];
    }
    case 'AdoptPlatformRow': {
      const { row } = command;
      if (state.rows.has(row.setl_id)) return [];
      return [{ type: row.refd_setl_flag === '1' ? 'RefundRecorded' : 'SettlementRecorded', data: row }];
    }
    case 'AdoptPlatformAmounts': {
      const row = standingRow(state, command.setl_id);
      const platform = amountsOf({
        medfee_sumamt: fen(command.platform.medfee_sumamt),
        fund_pay_sumamt: fen(command.platform.fund_pay_sumamt),
        acct_pay: fen(command.platform.acct_pay),
        cash_payamt: fen(command.platform.cash_payamt),
      });
      const ours = amountsOf(row);
      if (JSON.stringify(ours) === JSON.stringify(platform)) return [];
      return [
        {
          type: 'SettlementAmountsAdopted',
          data: { setl_id: row.setl_id, ours, platform, adopted_by: command.by, adopted_at: command.at },
        },
      ];
    }
    case 'ReverseLocally': {
      if (state.reversed.has(command.setl_id)) return [];
      const row = standingRow(state, command.setl_id);
      return [
        {
          type: 'SettlementReversedLocally',
          data: {
            setl_id: row.setl_id,
            reason: command.reason,
            reversed_by: command.by,
            reversed_at: command.at,
          },
        },
      ];
    }
  }
}

/** A row of the visit not reversed: what a person's action may change. */
function standingRow(state: SettlementLedgerState, setl_id: string): LedgerRow {
  const row = state.rows.get(setl_id);
  if (!row) throw new LedgerRefusal(`settlement ${setl_id} is not in the visit's ledger`);
  if (state.reversed.has(setl_id)) throw new LedgerRefusal(`settlement ${setl_id} was reversed in our books`);
  return row;
}

/** One visit's ledger of settlements: every settlement and refund, each once. */
export const SettlementLedger: Decider<
  SettlementLedgerCommand,
  SettlementLedgerEvent,
  SettlementLedgerState
> = {
  decide,
  evolve: evolveLedger,
  initialState: initialLedgerState,
};
