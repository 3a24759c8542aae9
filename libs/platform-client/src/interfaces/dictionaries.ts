// Platform dictionaries (1901 字典) used by the typed interfaces, from spec §6. Where sources
// disagree the list accepts both forms (noted per entry). A region's 1901 download may add codes at
// start-up through extendDictionary; codes are never removed at run time.

const BUILT_IN = {
  mdtrt_cert_type: { label: '就诊凭证类型', codes: ['01', '02', '03'] },
  // JL/spec §7.13 use two digits; OH and SZ send "1" for the ID card: both accepted.
  psn_cert_type: {
    label: '人员证件类型',
    codes: ['01', '02', '03', '04', '05', '06', '07', '08', '16', '17', '99', '1'],
  },
  gend: { label: '性别', codes: ['0', '1', '2', '9'] },
  insutype: {
    label: '险种类型',
    codes: ['310', '320', '330', '340', '350', '360', '370', '380', '390', '391', '392', '399', '410', '510'],
  },
  med_type: {
    label: '医疗类别',
    codes: [
      '11',
      '12',
      '13',
      '14',
      '19',
      '21',
      '23',
      '24',
      '26',
      '41',
      '51',
      '52',
      '53',
      '9901',
      '9902',
      '9903',
      '9904',
      '9906',
      '9907',
      '9921',
      '9922',
      '9925',
    ],
  },
  // 01/02 national; 0201/0202 local sub-codes seen in several regions.
  psn_setlway: { label: '个人结算方式', codes: ['01', '02', '0201', '0202'] },
  // Sources disagree (1–3 西医/中医主病/中医主证 vs 1–4 西医主要/西医其他/中医主病/中医主证; some add
  // 4 手术操作, 5 按病种付费病种): the union 1–5 is accepted; the region's 1901 list decides meaning.
  diag_type: { label: '诊断类别', codes: ['1', '2', '3', '4', '5'] },
  flag: { label: '标志 (0 否, 1 是)', codes: ['0', '1'] },
  vali_flag: { label: '有效标志', codes: ['0', '1'] },
  adm_cond_type: { label: '入院病情类型', codes: ['1', '2', '3', '4'] },
  dscg_way: { label: '离院方式', codes: ['1', '2', '3', '4', '5', '9'] },
  hosp_appr_flag: { label: '医院审批标志', codes: ['0', '1', '2'] },
  mid_setl_flag: { label: '中途结算标志', codes: ['0', '1'] },
  fund_pay_type: {
    label: '基金支付类型',
    codes: [
      '310100',
      '310200',
      '320100',
      '330100',
      '340100',
      '350100',
      '370100',
      '390100',
      '390200',
      '510100',
      '610100',
      '999996',
      '999997',
    ],
  },
  matn_type: { label: '生育类别', codes: ['1', '2', '3', '4', '5', '6', '7', '9', '10'] },
  // 医保支付方式 of the settlement list: the fund's payment method (医疗保障基金结算清单填写规范), not psn_setlway.
  hi_paymtd: {
    label: '医保支付方式',
    codes: ['1', '2', '3', '4', '5', '6', '9'],
  },
  // 4101A / 4102 状态分类: 0 未提交 (withdrawn), 1 已提交 (spec part 2 §8.1; medium-low confidence).
  stas_type: { label: '状态分类', codes: ['0', '1'] },
  trig_scen_before: { label: '触发场景 (事前 3101: 1–5)', codes: ['1', '2', '3', '4', '5'] },
  trig_scen_during: { label: '触发场景 (事中 3102: 6–10)', codes: ['6', '7', '8', '9', '10'] },
  vola_item_type: { label: '违规项类型', codes: ['1', '2'] },
  // 3301/3302 目录类别 (part 2 §10): HN's 101–104, 201, 301 and JX's 101–105, 201, 301 (they disagree on 102–105).
  list_type: { label: '目录类别', codes: ['101', '102', '103', '104', '105', '201', '301'] },
} satisfies Record<string, { label: string; codes: string[] }>;

export type DictionaryName = keyof typeof BUILT_IN;

const accepted = new Map<DictionaryName, Set<string>>(
  (Object.keys(BUILT_IN) as DictionaryName[]).map((name) => [name, new Set(BUILT_IN[name].codes)]),
);

export function isDictionaryName(name: string): name is DictionaryName {
  return accepted.has(name as DictionaryName);
}

/** The codes currently accepted for a dictionary (built-in plus any added at start-up). */
export function dictionaryCodes(name: DictionaryName): readonly string[] {
  return [...(accepted.get(name) ?? [])];
}

export function dictionaryAccepts(name: DictionaryName, code: string): boolean {
  return accepted.get(name)?.has(code) ?? false;
}

/**
 * The fields of `data` named after a dictionary (med_type, insutype, …) whose code that dictionary does not hold
 * now, one sentence each: what a service refuses at its edge instead of a request the client would not send.
 * Absent and empty ("" is "not given") fields are not codes.
 */
export function dictionaryProblems(data: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(data)
    .filter(
      ([field, value]) =>
        isDictionaryName(field) &&
        typeof value === 'string' &&
        value !== '' &&
        !dictionaryAccepts(field, value),
    )
    .map(
      ([field, value]) =>
        `${field} "${String(value)}" is not a code of dictionary ${dictionaryLabel(field as DictionaryName)}`,
    );
}

/** `med_type 医疗类别 (11, 12, …)` — how an error message names a dictionary. */
export function dictionaryLabel(name: DictionaryName): string {
  return `${name} ${BUILT_IN[name].label} (${dictionaryCodes(name).join(', ')})`;
}

/**
 * Accept more codes for a dictionary, e.g. local 99xx medical types from the region's 1901 download.
 * Call at start-up from configuration.
 */
export function extendDictionary(name: DictionaryName, codes: readonly string[]): void {
  const set = accepted.get(name);
  if (!set) throw new Error(`Unknown dictionary "${String(name)}"`);
  for (const code of codes) {
    if (typeof code !== 'string' || code.length === 0) {
      throw new Error(`Dictionary ${name}: codes must be non-empty strings, got ${JSON.stringify(code)}`);
    }
    set.add(code);
  }
}
