import { shanghaiDateTime } from '@yb/contracts';
import { type Output2303, type Output2304 } from '@yb/platform-client';
import Decimal from 'decimal.js';
import { type PlatformAnswer } from './saga.commands';
import {
  type FundShare,
  type SettlementAmounts,
  type SettlementClearing,
  type StepResult,
} from './saga.events';
import { type Saga } from './saga.state';

// What a 2303, 2304 or 2305 the platform applied records: its answer (typed by platform-client) as amounts.

export type SucceededAnswer = Extract<PlatformAnswer, { status: 'SUCCEEDED' }>;

export function resultOf(answer: SucceededAnswer, saga: Saga, now: string): StepResult {
  switch (answer.infno) {
    case '2303':
      return { kind: 'pre-settlement', amounts: amountsOf(answer.output) };
    case '2304': {
      const { setlinfo } = answer.output;
      return {
        kind: 'settlement',
        settlement: {
          ...amountsOf(answer.output),
          setl_id: setlinfo.setl_id,
          // A settlement the platform applied must be recorded even if its answer lacks the time.
          setl_time: setlinfo.setl_time ? setlinfo.setl_time : shanghaiDateTime(new Date(now)),
          medins_setl_id: setlinfo.medins_setl_id ?? answer.msgid,
          ...clearingOf(setlinfo),
        },
      };
    }
    case '2305': {
      const { setlinfo } = answer.output;
      return {
        kind: 'cancellation',
        cancellation: {
          setl_id: setlinfo.setl_id,
          init_setl_id: saga.cancel!.setl_id,
          medfee_sumamt: money(setlinfo.medfee_sumamt),
          fund_pay_sumamt: money(setlinfo.fund_pay_sumamt),
          acct_pay: money(setlinfo.acct_pay),
          psn_cash_pay: money(setlinfo.psn_cash_pay),
          ...(given(setlinfo.setl_time) && { setl_time: setlinfo.setl_time }),
        },
      };
    }
  }
}

export function successText(result: StepResult): string {
  switch (result.kind) {
    case 'pre-settlement':
      return `pre-settled: total ${result.amounts.medfee_sumamt}, funds ${result.amounts.fund_pay_sumamt}, cash ${result.amounts.psn_cash_pay}`;
    case 'settlement':
      return `settled ${result.settlement.setl_id}: total ${result.settlement.medfee_sumamt}, funds ${result.settlement.fund_pay_sumamt}`;
    case 'cancellation':
      return `settlement ${result.cancellation.init_setl_id} cancelled by ${result.cancellation.setl_id}`;
    default:
      return result.kind;
  }
}

/** The amounts of a 2303 or 2304 answer (2304's adds its setl_id, which the caller reads). */
function amountsOf({ setlinfo, setldetail }: Output2303): SettlementAmounts {
  const fund_shares: FundShare[] = (setldetail ?? []).map((f) => ({
    fund_pay_type: f.fund_pay_type,
    ...(f.fund_pay_type_name !== undefined && { fund_pay_type_name: f.fund_pay_type_name }),
    inscp_scp_amt: money(f.inscp_scp_amt),
    fund_payamt: money(f.fund_payamt),
  }));
  return {
    medfee_sumamt: money(setlinfo.medfee_sumamt),
    fulamt_ownpay_amt: money(setlinfo.fulamt_ownpay_amt),
    overlmt_selfpay: money(setlinfo.overlmt_selfpay),
    preselfpay_amt: money(setlinfo.preselfpay_amt),
    inscp_scp_amt: money(setlinfo.inscp_scp_amt),
    hifp_pay: money(setlinfo.hifp_pay),
    fund_pay_sumamt: money(setlinfo.fund_pay_sumamt),
    acct_pay: money(setlinfo.acct_pay),
    psn_cash_pay: money(setlinfo.psn_cash_pay),
    ...(setlinfo.hosp_part_amt !== undefined && { hosp_part_amt: money(setlinfo.hosp_part_amt) }),
    fund_shares,
  };
}

const money = (value: string | undefined): string => new Decimal(value ?? 0).toFixed(2);

/** Who clears the settlement (2304's clr_* fields) and whose it is: what reconciliation groups it by. */
function clearingOf(setlinfo: Output2304['setlinfo']): SettlementClearing {
  const fields = ['psn_no', 'insutype', 'clr_type', 'clr_way', 'clr_optins'] as const;
  return Object.fromEntries(
    fields.flatMap((field) => {
      const value = setlinfo[field];
      return given(value) ? [[field, value]] : [];
    }),
  );
}

const given = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value !== '';
