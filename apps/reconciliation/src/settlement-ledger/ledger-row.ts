/** A settlement group: what 3201 totals are asked by (险种 × 清算类别 × 结算经办机构). */
export interface SettlementGroup {
  readonly insutype: string;
  readonly clr_type: string;
  readonly setl_optins: string;
}

/**
 * One row of our ledger of settlements, as 3202's detail file has it: a settlement, or a refund (2305) as a
 * row of its own with negative amounts. Amounts are decimal strings with two places, as the platform gave them.
 */
export interface LedgerRow extends SettlementGroup {
  readonly setl_id: string;
  readonly ipt_no: string;
  readonly mdtrt_id: string;
  readonly psn_no: string;
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time, as the platform answered. */
  readonly setl_time: string;
  readonly medfee_sumamt: string;
  readonly fund_pay_sumamt: string;
  readonly acct_pay: string;
  readonly cash_payamt: string;
  /** 0 a settlement, 1 a refund row. */
  readonly refd_setl_flag: '0' | '1';
  /** The cancelled settlement, on a refund row. */
  readonly init_setl_id?: string;
  readonly mid_setl_flag?: string;
  /** The 2304/2305 msgid. */
  readonly medins_setl_id?: string;
  /** Where we learned of it: the settlement saga's result, or the platform's own record (5203, after 3202). */
  readonly source: 'result' | 'platform';
}

/** A row's amounts, as the platform's record of a settlement gives them. */
export type RowAmountsWithCash = Pick<
  LedgerRow,
  'medfee_sumamt' | 'fund_pay_sumamt' | 'acct_pay' | 'cash_payamt'
>;

export const amountsOf = (row: RowAmountsWithCash): RowAmountsWithCash => ({
  medfee_sumamt: row.medfee_sumamt,
  fund_pay_sumamt: row.fund_pay_sumamt,
  acct_pay: row.acct_pay,
  cash_payamt: row.cash_payamt,
});

/** The settlement day of a row (the platform reconciles by setl_time's date). */
export const stmtDateOf = (setl_time: string): string => setl_time.slice(0, 10);

export const groupKey = (group: SettlementGroup): string =>
  `${group.insutype}/${group.clr_type}/${group.setl_optins}`;
