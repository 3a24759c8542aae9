import Decimal from 'decimal.js';

/**
 * How one inpatient bill is split across the funds (2303/2304 setlinfo + setldetail), with a simplified
 * Hubei-like policy per insurance type. Pure and exact: Decimal throughout, rounded to the cent once per amount,
 * and built so that the platform's identities hold (HN-SPEC 重点说明: 医疗费总额 = 基金支付总额 + 个人负担总金额 +
 * 其他(如医院负担)):
 *   medfee_sumamt = fund_pay_sumamt + psn_part_amt + hosp_part_amt
 *   psn_part_amt  = acct_pay + psn_cash_pay
 * The patient bears 全自费, 先行自付, the part within the policy the funds leave (起付线, 自付比例) and 超限价 — the
 * last unless the local policy has the hospital bear it. The hospital's part is a setldetail row of its own
 * (999996 医院负担), as the personal account is (310200); the pooled funds' rows add up to fund_pay_sumamt.
 */
export interface InsurancePolicy {
  /** Fund code of the basic pool (310100 职工统筹 / 390100 居民统筹). */
  readonly poolFund: string;
  /** Fund code of the serious-illness tier (330100 职工大额 / 390200 居民大病). */
  readonly seriousIllnessFund: string;
  /** 起付线: what the insured pays within the policy range before the pool pays, once per person per year. */
  readonly deductible: string;
  readonly poolRatio: string;
  readonly retiredPoolRatio: string;
  /** 统筹基金年度最高支付限额: what the basic pool pays at most in a year; the serious-illness tier takes over. */
  readonly poolCap: string;
  readonly seriousIllnessRatio: string;
  readonly accountUsable: boolean;
}

const POLICIES: Record<string, InsurancePolicy> = {
  '310': {
    poolFund: '310100',
    seriousIllnessFund: '330100',
    deductible: '800',
    poolRatio: '0.85',
    retiredPoolRatio: '0.90',
    poolCap: '150000',
    seriousIllnessRatio: '0.80',
    accountUsable: true,
  },
  '390': {
    poolFund: '390100',
    seriousIllnessFund: '390200',
    deductible: '600',
    poolRatio: '0.70',
    retiredPoolRatio: '0.70',
    poolCap: '100000',
    seriousIllnessRatio: '0.60',
    accountUsable: false,
  },
};

export function policyFor(insutype: string): InsurancePolicy | undefined {
  return POLICIES[insutype];
}

export const ACCOUNT_FUND = '310200';
/** fund_pay_type of the hospital's part (spec §6: 999996 医院垫付/负担). */
export const HOSPITAL_SHARE_FUND = '999996';

export interface BillTotals {
  readonly medfee_sumamt: Decimal;
  readonly fulamt_ownpay_amt: Decimal;
  readonly overlmt_selfpay: Decimal;
  readonly preselfpay_amt: Decimal;
  readonly inscp_scp_amt: Decimal;
}

export interface SplitInput {
  readonly totals: BillTotals;
  readonly policy: InsurancePolicy;
  readonly retired: boolean;
  /** 超限价 is the hospital's part (local policy) instead of the patient's. */
  readonly hospitalBearsOverlimit: boolean;
  readonly useAccount: boolean;
  readonly accountBalance: Decimal;
  /**
   * What the person's standing settlements of the year already took: the deductible paid and the pool's
   * payments (5206's yearly totals). A final settlement after a mid-way one (or a second stay) does not pay
   * the deductible again, and the pool's cap is the year's. Zero when absent.
   */
  readonly yearToDate?: YearToDate;
}

export interface YearToDate {
  readonly deductible: Decimal;
  readonly pool: Decimal;
}

export interface FundPayment {
  readonly fund_pay_type: string;
  readonly inscp_scp_amt: Decimal;
  readonly crt_payb_lmt_amt: Decimal;
  readonly fund_payamt: Decimal;
}

export interface SettlementSplit {
  readonly medfee_sumamt: Decimal;
  readonly fulamt_ownpay_amt: Decimal;
  readonly overlmt_selfpay: Decimal;
  readonly preselfpay_amt: Decimal;
  readonly inscp_scp_amt: Decimal;
  readonly act_pay_dedc: Decimal;
  readonly hifp_pay: Decimal;
  readonly pool_prop_selfpay: Decimal;
  readonly hifob_pay: Decimal;
  readonly hifmi_pay: Decimal;
  readonly hosp_part_amt: Decimal;
  readonly fund_pay_sumamt: Decimal;
  readonly psn_part_amt: Decimal;
  readonly acct_pay: Decimal;
  readonly psn_cash_pay: Decimal;
  readonly balc: Decimal;
  readonly funds: readonly FundPayment[];
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const ZERO = new Decimal(0);

export function splitSettlement({
  totals,
  policy,
  retired,
  hospitalBearsOverlimit,
  useAccount,
  accountBalance,
  yearToDate = { deductible: ZERO, pool: ZERO },
}: SplitInput): SettlementSplit {
  const inscp = Decimal.max(totals.inscp_scp_amt, ZERO);
  const deductibleLeft = Decimal.max(new Decimal(policy.deductible).minus(yearToDate.deductible), ZERO);
  const dedc = Decimal.min(inscp, deductibleLeft);
  const ratio = new Decimal(retired ? policy.retiredPoolRatio : policy.poolRatio);
  const poolable = cents(inscp.minus(dedc).times(ratio));
  const poolLeft = Decimal.max(new Decimal(policy.poolCap).minus(yearToDate.pool), ZERO);
  const hifp = Decimal.min(poolable, poolLeft);
  const seriousIllness = cents(poolable.minus(hifp).div(ratio).times(policy.seriousIllnessRatio));
  const isEmployee = policy.seriousIllnessFund === '330100';
  const fundSum = hifp.plus(seriousIllness);
  const hospPart = hospitalBearsOverlimit ? totals.overlmt_selfpay : ZERO;
  const psnPart = totals.medfee_sumamt.minus(fundSum).minus(hospPart);
  const acctPay =
    useAccount && policy.accountUsable ? Decimal.max(Decimal.min(accountBalance, psnPart), ZERO) : ZERO;

  const funds: FundPayment[] = [
    {
      fund_pay_type: policy.poolFund,
      inscp_scp_amt: inscp,
      crt_payb_lmt_amt: poolLeft,
      fund_payamt: hifp,
    },
  ];
  if (!seriousIllness.isZero()) {
    funds.push({
      fund_pay_type: policy.seriousIllnessFund,
      inscp_scp_amt: inscp,
      crt_payb_lmt_amt: seriousIllness,
      fund_payamt: seriousIllness,
    });
  }
  if (!acctPay.isZero()) {
    funds.push({
      fund_pay_type: ACCOUNT_FUND,
      inscp_scp_amt: inscp,
      crt_payb_lmt_amt: accountBalance,
      fund_payamt: acctPay,
    });
  }
  if (!hospPart.isZero()) {
    funds.push({
      fund_pay_type: HOSPITAL_SHARE_FUND,
      inscp_scp_amt: ZERO,
      crt_payb_lmt_amt: hospPart,
      fund_payamt: hospPart,
    });
  }

  return {
    medfee_sumamt: totals.medfee_sumamt,
    fulamt_ownpay_amt: totals.fulamt_ownpay_amt,
    overlmt_selfpay: totals.overlmt_selfpay,
    preselfpay_amt: totals.preselfpay_amt,
    inscp_scp_amt: totals.inscp_scp_amt,
    act_pay_dedc: dedc,
    hifp_pay: hifp,
    pool_prop_selfpay: ratio,
    hifob_pay: isEmployee ? seriousIllness : ZERO,
    hifmi_pay: isEmployee ? ZERO : seriousIllness,
    hosp_part_amt: hospPart,
    fund_pay_sumamt: fundSum,
    psn_part_amt: psnPart,
    acct_pay: acctPay,
    psn_cash_pay: psnPart.minus(acctPay),
    balc: accountBalance.minus(acctPay),
    funds,
  };
}
