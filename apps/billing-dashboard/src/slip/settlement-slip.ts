import Decimal from 'decimal.js';

/** What the settlement slip (结算单) prints: the visit, its stay and diagnosis, the split, fund by fund. */
export interface SettlementSlip {
  readonly hospital_name: string;
  readonly ipt_no: string;
  readonly mdtrt_id: string;
  /** The patient's name as the reader's role may see it (masked for viewers and operators); '' when unknown. */
  readonly psn_name: string;
  /** The certificate number as the reader's role may see it (masked for viewers and operators). */
  readonly mdtrt_cert_no: string;
  readonly insutype: string;
  readonly med_type: string;
  readonly setl_id: string;
  readonly setl_time: string;
  /** 中途结算 (mid-way) or 出院结算. */
  readonly mid_way: boolean;
  readonly cancelled: boolean;
  /** Reversed in our books (本地冲销): the platform does not hold it. */
  readonly reversed_locally: boolean;
  readonly dept_name: string;
  readonly bed: string;
  readonly diagnosis: string;
  readonly begntime: string;
  /** The discharge time, or for a mid-way settlement the settlement's: the end of the period it covers. */
  readonly endtime: string;
  readonly stay_days: number;
  /**
   * 参保地医保区划 and whether it is another pooling area than the hospital's (异地就医); null when either area is
   * unknown (the hospital's not configured): the slip then prints the area without calling it 本地 or 异地.
   */
  readonly insuplc_admdvs: string | null;
  readonly cross_area: boolean | null;
  readonly amounts: {
    readonly medfee_sumamt: string;
    readonly fulamt_ownpay_amt: string;
    readonly overlmt_selfpay: string;
    readonly preselfpay_amt: string;
    readonly inscp_scp_amt: string;
    readonly fund_pay_sumamt: string;
    readonly psn_part_amt: string;
    readonly acct_pay: string;
    readonly psn_cash_pay: string;
    readonly hosp_part_amt: string;
  };
  /** The pooled funds' rows (the personal account's and the hospital's are amounts of their own). */
  readonly funds: readonly { fund_pay_type: string; name: string; fund_payamt: string }[];
}

/** setldetail rows that are not pooled funds: the personal account and the hospital's part. */
const ACCOUNT_FUND = '310200';
const HOSPITAL_SHARE_FUND = '999996';

/** Names of the national fund codes for rows whose answer gave none. */
const FUND_NAMES: Readonly<Record<string, string>> = {
  '310100': '职工基本医疗保险统筹基金',
  '320100': '公务员医疗补助资金',
  '330100': '职工大额医疗费用补助基金',
  '340100': '离休人员医疗保障基金',
  '350100': '一至六级残疾军人医疗补助基金',
  '370100': '企业补充医疗保险基金',
  '390100': '城乡居民基本医疗保险基金',
  '390200': '城乡居民大病医疗保险资金',
  '510100': '生育基金',
  '610100': '医疗救助基金',
  '999997': '其他基金',
};

type Row = Record<string, unknown>;

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const money = (value: unknown): string => new Decimal(text(value) || '0').toFixed(2);

/** 统筹区: the first four digits of an area code (420100 and 420102 are both Wuhan's pool). */
const poolingArea = (admdvs: string) => admdvs.slice(0, 4);

/** 住院天数: calendar days from admission to the end of the period (at least 1), from `yyyy-MM-dd…` times. */
export function stayDays(begntime: string, endtime: string): number {
  const day = (t: string) => Date.parse(`${t.slice(0, 10)}T00:00:00Z`);
  const days = Math.round((day(endtime) - day(begntime)) / 86_400_000);
  return Number.isFinite(days) ? Math.max(days, 1) : 1;
}

/**
 * The slip of one settlement from the dashboard's read model (the visit row as the reader may see it, and the
 * settlement row); `hospital` names the hospital and its area (NHSA_FIXMEDINS_NAME, NHSA_MDTRTAREA_ADMVS).
 */
export function settlementSlip(
  visit: Row,
  settlement: Row,
  hospital: { name: string; area: string | null },
): SettlementSlip {
  const mid_way = text(settlement.mid_setl_flag) === '1';
  const setl_time = text(settlement.setl_time);
  const begntime = text(visit.begntime);
  const endtime = mid_way || !visit.endtime ? setl_time : text(visit.endtime);
  const insuplc_admdvs = text(visit.insuplc_admdvs) || null;
  const shares = (settlement.fund_shares as Row[] | null) ?? [];
  const acct_pay = money(settlement.acct_pay);
  const psn_cash_pay = money(settlement.psn_cash_pay);
  return {
    hospital_name: hospital.name,
    ipt_no: text(visit.ipt_no),
    mdtrt_id: text(settlement.mdtrt_id),
    psn_name: text(visit.psn_name),
    mdtrt_cert_no: text(visit.mdtrt_cert_no),
    insutype: text(visit.insutype),
    med_type: text(visit.med_type),
    setl_id: text(settlement.setl_id),
    setl_time,
    mid_way,
    cancelled: Boolean(settlement.cancelled_by),
    reversed_locally: Boolean(settlement.reversed_locally_at),
    dept_name: text(visit.dept_name),
    bed: text(visit.bed),
    diagnosis: text(visit.diagnosis),
    begntime,
    endtime,
    stay_days: stayDays(begntime, endtime),
    insuplc_admdvs,
    cross_area:
      insuplc_admdvs === null || hospital.area === null
        ? null
        : poolingArea(insuplc_admdvs) !== poolingArea(hospital.area),
    amounts: {
      medfee_sumamt: money(settlement.medfee_sumamt),
      fulamt_ownpay_amt: money(settlement.fulamt_ownpay_amt),
      overlmt_selfpay: money(settlement.overlmt_selfpay),
      preselfpay_amt: money(settlement.preselfpay_amt),
      inscp_scp_amt: money(settlement.inscp_scp_amt),
      fund_pay_sumamt: money(settlement.fund_pay_sumamt),
      psn_part_amt: new Decimal(acct_pay).plus(psn_cash_pay).toFixed(2),
      acct_pay,
      psn_cash_pay,
      hosp_part_amt: money(settlement.hosp_part_amt),
    },
    funds: shares
      .filter((f) => ![ACCOUNT_FUND, HOSPITAL_SHARE_FUND].includes(text(f.fund_pay_type)))
      .map((f) => ({
        fund_pay_type: text(f.fund_pay_type),
        name: text(f.fund_pay_type_name) || FUND_NAMES[text(f.fund_pay_type)] || text(f.fund_pay_type),
        fund_payamt: money(f.fund_payamt),
      })),
  };
}

/** The slip's labelled lines, shared by the HTML and the PDF so both print the same. */
export function slipSections(slip: SettlementSlip) {
  const insutype = INSUTYPES[slip.insutype] ?? slip.insutype;
  const area = slip.insuplc_admdvs
    ? `${slip.insuplc_admdvs}${slip.cross_area === null ? '' : slip.cross_area ? '（异地就医）' : '（本地）'}`
    : '未知';
  return {
    title: `${slip.hospital_name} 医疗保障住院结算单${slip.mid_way ? '（中途结算）' : ''}${slip.cancelled ? '（已撤销）' : ''}${slip.reversed_locally ? '（已本地冲销）' : ''}`,
    visit: [
      ['姓名', slip.psn_name || '未知'],
      ['住院号', slip.ipt_no],
      ['就诊ID', slip.mdtrt_id],
      ['证件号码', slip.mdtrt_cert_no],
      ['险种类型', insutype],
      ['参保地', area],
      ['结算ID', slip.setl_id],
      ['结算时间', slip.setl_time],
      ['科室', `${slip.dept_name}${slip.bed ? ` ${slip.bed}` : ''}`],
      ['入院时间', slip.begntime],
      [slip.mid_way ? '结算截止' : '出院时间', slip.endtime],
      ['住院天数', `${slip.stay_days}天`],
      ['诊断', slip.diagnosis],
    ] as [string, string][],
    totals: [
      ['医疗费总额', slip.amounts.medfee_sumamt],
      ['全自费金额', slip.amounts.fulamt_ownpay_amt],
      ['超限价自费', slip.amounts.overlmt_selfpay],
      ['先行自付金额', slip.amounts.preselfpay_amt],
      ['符合政策范围金额', slip.amounts.inscp_scp_amt],
    ] as [string, string][],
    funds: [
      ...slip.funds.map((f) => [`${f.name}（${f.fund_pay_type}）`, f.fund_payamt]),
      ['基金支付合计', slip.amounts.fund_pay_sumamt],
    ] as [string, string][],
    personal: [
      ['个人负担合计', slip.amounts.psn_part_amt],
      ['其中：个人账户支付', slip.amounts.acct_pay],
      ['其中：个人现金支付', slip.amounts.psn_cash_pay],
      ['医院负担', slip.amounts.hosp_part_amt],
    ] as [string, string][],
  };
}

const INSUTYPES: Readonly<Record<string, string>> = {
  '310': '职工基本医疗保险',
  '390': '城乡居民基本医疗保险',
};
