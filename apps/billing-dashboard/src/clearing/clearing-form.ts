import Decimal from 'decimal.js';

/** The month's application form as apps/reconciliation gives it (GET /clearing/applications/printout). */
export interface ClearingPrintout {
  readonly setlym: string;
  readonly clr_type: string;
  readonly setl_optins: string;
  readonly scope: 'LOCAL' | 'CROSS_AREA';
  readonly clr_appy_evt_id: string;
  readonly begndate: string;
  readonly enddate: string;
  readonly declared: Readonly<
    Record<'medfee_sumamt' | 'med_sumfee' | 'fund_appy_sum' | 'cash_payamt' | 'acct_pay', string> & {
      psntime: number;
    }
  >;
  readonly applied_by: string;
  /** 3205A's record (clr_appys): the platform's words, any field possibly left out. */
  readonly platform: Readonly<Record<string, string | undefined>> & { readonly clr_appy_evt_id: string };
}

const CLR_TYPES: Record<string, string> = { '11': '门诊', '21': '住院', '41': '药店购药', '99': '其他' };

/** 3205A's clr_stas as Jilin's client codes it (Hubei's unverified, README); another code is shown as given. */
const CLR_STAS: Record<string, string> = { '10': '已申请', '20': '已受理', '50': '已清算' };

const fen = (value: string | undefined) => (value === undefined ? '—' : new Decimal(value).toFixed(2));

/**
 * 医疗保障基金清算申请单: the application as the hospital declared it beside the platform's record (3205A),
 * row by row, and a row marked where the two differ. Pure: the PDF and its test read the same sections.
 */
export function clearingFormSections(printout: ClearingPrintout, hospitalName: string) {
  const { declared, platform } = printout;
  const amounts: [string, string, string | undefined][] = [
    ['清算人次', String(declared.psntime), platform.psntime],
    ['医疗费总额', declared.medfee_sumamt, platform.medfee_sumamt],
    ['医保认可费用总额', declared.med_sumfee, platform.hi_agre_sumfee],
    ['基金申报总额', declared.fund_appy_sum, platform.fund_appy_sum],
    ['个人账户支出', declared.acct_pay, platform.acct_pay],
    ['现金支付金额', declared.cash_payamt, platform.cash_payamt],
  ];
  const count = (name: string) => name === '清算人次';
  return {
    title: `${hospitalName}医疗保障基金清算申请单`.trim(),
    application: [
      ['清算年月', printout.setlym],
      ['清算类别', `${printout.clr_type} ${CLR_TYPES[printout.clr_type] ?? ''}`.trim()],
      ['清算经办机构', `${printout.setl_optins}（${printout.scope === 'LOCAL' ? '本地参保' : '异地就医'}）`],
      ['清算期间', `${printout.begndate} 至 ${printout.enddate}`],
      ['清算申请事件ID', printout.clr_appy_evt_id],
      [
        '中心清算状态',
        platform.clr_stas === undefined
          ? '—'
          : `${CLR_STAS[platform.clr_stas] ?? '代码'} (${platform.clr_stas})`,
      ],
      ['中心记录时间', platform.opt_time ?? '—'],
      ['申请人', printout.applied_by],
    ] as [string, string][],
    amounts: amounts.map(([name, ours, theirs]) => {
      const shown = count(name) ? (theirs ?? '—') : fen(theirs);
      const differs = theirs !== undefined && !new Decimal(theirs).eq(ours);
      return [name, count(name) ? ours : fen(ours), differs ? `${shown}（不一致）` : shown];
    }),
  };
}
