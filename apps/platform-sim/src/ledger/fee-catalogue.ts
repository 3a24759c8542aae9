import Decimal from 'decimal.js';

/**
 * A small slice of the national medical list (医保目录) keyed by med_list_codg: enough to price fee lines
 * the way the platform does (甲/乙/丙 class, 先行自付 ratio, price ceiling) and to give 3101/3102 a quantity limit.
 */
export interface MedListItem {
  readonly med_list_codg: string;
  readonly name: string;
  /** chrgitm_lv: 01 甲类, 02 乙类, 03 丙类 (full self-pay). */
  readonly chrgitm_lv: '01' | '02' | '03';
  /** med_chrgitm_type: 09 西药费, 04 检查费, 02 床位费, 08 卫生材料费 … */
  readonly med_chrgitm_type: string;
  /** Share the patient pays first before the pool applies (先行自付比例). */
  readonly selfpay_prop: string;
  /** Price ceiling per unit (定价上限); the part above it is 超限价 (the patient's, unless a local policy has the hospital bear it). */
  readonly pric_uplmt_amt: string;
  /** Largest quantity the policy allows in one visit (限定数量), checked by the 3101/3102 rules. */
  readonly max_cnt_per_visit?: string;
  readonly lmt_used_flag: '0' | '1';
  /** 限定性别 (gend 1 男, 2 女): the list restricts the item to one sex, checked by the 3101/3102 rules. */
  readonly gend_limit?: '1' | '2';
  /** 限定年龄: the oldest (in whole years) the list pays the item for, checked by the 3101/3102 rules. */
  readonly max_age?: number;
}

export const MED_LIST: readonly MedListItem[] = [
  {
    med_list_codg: 'XJ01DDA068B002010101445',
    name: '注射用头孢曲松钠',
    chrgitm_lv: '02',
    med_chrgitm_type: '09',
    selfpay_prop: '0.1000',
    pric_uplmt_amt: '50.000000',
    max_cnt_per_visit: '20',
    lmt_used_flag: '0',
  },
  {
    med_list_codg: 'XJ01CAA040A001010101445',
    name: '阿莫西林胶囊',
    chrgitm_lv: '01',
    med_chrgitm_type: '09',
    selfpay_prop: '0',
    pric_uplmt_amt: '30.000000',
    max_cnt_per_visit: '60',
    lmt_used_flag: '0',
  },
  {
    med_list_codg: 'XB05BAA140B002010100520',
    name: '人血白蛋白注射液',
    chrgitm_lv: '02',
    med_chrgitm_type: '09',
    selfpay_prop: '0.1000',
    pric_uplmt_amt: '450.000000',
    max_cnt_per_visit: '10',
    lmt_used_flag: '1',
  },
  {
    med_list_codg: '001102000010000-110200001',
    name: '普通病房床位费',
    chrgitm_lv: '01',
    med_chrgitm_type: '02',
    selfpay_prop: '0',
    pric_uplmt_amt: '50.000000',
    lmt_used_flag: '0',
  },
  {
    med_list_codg: '002701000010000-270100001',
    name: 'CT平扫',
    chrgitm_lv: '02',
    med_chrgitm_type: '04',
    selfpay_prop: '0.0800',
    pric_uplmt_amt: '260.000000',
    lmt_used_flag: '0',
  },
  {
    med_list_codg: 'C14040109900000000000000',
    name: '一次性使用静脉输液针',
    chrgitm_lv: '02',
    med_chrgitm_type: '08',
    selfpay_prop: '0.2000',
    pric_uplmt_amt: '5.000000',
    lmt_used_flag: '0',
  },
  {
    med_list_codg: 'XG04CAT038E001010101445',
    name: '盐酸坦索罗辛缓释胶囊',
    chrgitm_lv: '02',
    med_chrgitm_type: '09',
    selfpay_prop: '0.1000',
    pric_uplmt_amt: '4.500000',
    lmt_used_flag: '1',
    // 限男性 (良性前列腺增生).
    gend_limit: '1',
  },
  {
    med_list_codg: 'ZA09BAX0150010101499',
    name: '小儿肺咳颗粒',
    chrgitm_lv: '02',
    med_chrgitm_type: '11',
    selfpay_prop: '0.1000',
    pric_uplmt_amt: '3.200000',
    lmt_used_flag: '1',
    // 限儿童 (14 周岁及以下).
    max_age: 14,
  },
  {
    med_list_codg: 'ZA04BAA0001010100000',
    name: '特需病房费',
    chrgitm_lv: '03',
    med_chrgitm_type: '02',
    selfpay_prop: '1',
    pric_uplmt_amt: '800.000000',
    lmt_used_flag: '0',
  },
];

const BY_CODE = new Map(MED_LIST.map((item) => [item.med_list_codg, item]));

export function findMedListItem(code: string): MedListItem | undefined {
  return BY_CODE.get(code);
}

/** The platform's split of one fee line (2301 result): every amount a Decimal rounded to the cent. */
export interface FeeLinePricing {
  readonly fulamt_ownpay_amt: Decimal;
  readonly overlmt_amt: Decimal;
  readonly preselfpay_amt: Decimal;
  readonly inscp_scp_amt: Decimal;
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/**
 * 丙类 lines are wholly self-paid; for the rest, the part of the price over the ceiling is 超限价, then
 * selfpay_prop of what remains is 先行自付 and the rest is 符合政策范围. Refund lines (negative cnt) mirror it.
 */
export function priceFeeLine(
  item: MedListItem,
  cnt: Decimal,
  pric: Decimal,
  sumamt: Decimal,
): FeeLinePricing {
  const uplmt = new Decimal(item.pric_uplmt_amt);
  if (item.chrgitm_lv === '03') {
    const zero = new Decimal(0);
    return {
      fulamt_ownpay_amt: sumamt,
      overlmt_amt: zero,
      preselfpay_amt: zero,
      inscp_scp_amt: zero,
    };
  }
  const overlmt = pric.gt(uplmt) ? cents(pric.minus(uplmt).times(cnt)) : new Decimal(0);
  const base = sumamt.minus(overlmt);
  const preselfpay = cents(base.times(item.selfpay_prop));
  return {
    fulamt_ownpay_amt: new Decimal(0),
    overlmt_amt: overlmt,
    preselfpay_amt: preselfpay,
    inscp_scp_amt: base.minus(preselfpay),
  };
}

/** A code missing from the list is still accepted, as 丙类 (wholly self-paid), with the reason in the line's memo. */
export function unmatchedMedListItem(code: string): MedListItem {
  return {
    med_list_codg: code,
    name: '未匹配医保目录项目',
    chrgitm_lv: '03',
    med_chrgitm_type: '14',
    selfpay_prop: '1',
    pric_uplmt_amt: '0',
    lmt_used_flag: '0',
  };
}
