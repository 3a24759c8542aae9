import { zipSync } from 'fflate';
import { type LedgerRow } from '../settlement-ledger/ledger-row';
import { compareDetails, comparePeriod, totalsOf, type ListedSettlement } from './compare-details';
import { readResultFile } from './statement-files';

const pair = { clr_type: '21', setl_optins: '420100' };
const row = (setl_id: string, medfee: string, fund: string, extra: Partial<LedgerRow> = {}): LedgerRow => ({
  setl_id,
  ipt_no: `ZY-${setl_id}`,
  mdtrt_id: `M-${setl_id}`,
  psn_no: 'P001',
  insutype: '310',
  ...pair,
  setl_time: '2024-05-15 10:00:00',
  medfee_sumamt: medfee,
  fund_pay_sumamt: fund,
  acct_pay: '0.00',
  cash_payamt: '0.00',
  refd_setl_flag: '0',
  source: 'result',
  ...extra,
});
const resultZip = (lines: string[][]) =>
  zipSync({ 'result.txt': new TextEncoder().encode(lines.map((l) => l.join('\t')).join('\n')) });

describe('3202 result compared line by line', () => {
  const ours = [row('S1', '300.00', '240.00'), row('S2', '100.10', '80.08'), row('S3', '50.00', '40.00')];
  const result = readResultFile(
    resultZip([
      ['P001', 'M-S1', 'S1', 'MSG1', '0', '0', '平', '300.00', '240.00', '0.00'],
      ['P001', 'M-S2', 'S2', 'MSG2', '3', '0', '数据不一致', '100.10', '80.09', '0.00'],
      ['P002', 'M-S4', 'S4', 'MSG4', '1', '0', '中心多', '20.00', '16.00', '0.00'],
      ['P001', 'M-S3', 'S3', 'null', '2', '0', '医药机构多'],
      ['P003', 'null', 'null', 'MSG5', '1', '0', '多条'],
    ]),
  );

  it('finds a row only the platform holds, one only we hold and amounts a fen apart, and nothing else', () => {
    expect(compareDetails(pair, ours, result)).toEqual([
      {
        setl_id: 'S2',
        ...pair,
        refd_setl_flag: '0',
        insutype: '310',
        mdtrt_id: 'M-S2',
        psn_no: 'P001',
        msgid: 'MSG2',
        ours: { medfee_sumamt: '100.10', fund_pay_sumamt: '80.08', acct_pay: '0.00' },
        platform: { medfee_sumamt: '100.10', fund_pay_sumamt: '80.09', acct_pay: '0.00' },
        kind: 'AMOUNTS_DIFFER',
        suggested_action: 'CHECK_AMOUNTS',
      },
      {
        setl_id: 'S4',
        ...pair,
        refd_setl_flag: '0',
        mdtrt_id: 'M-S4',
        psn_no: 'P002',
        msgid: 'MSG4',
        platform: { medfee_sumamt: '20.00', fund_pay_sumamt: '16.00', acct_pay: '0.00' },
        kind: 'PLATFORM_ONLY',
        suggested_action: 'ADOPT_PLATFORM_RECORD',
      },
      {
        setl_id: 'S3',
        ...pair,
        refd_setl_flag: '0',
        insutype: '310',
        mdtrt_id: 'M-S3',
        psn_no: 'P001',
        ours: { medfee_sumamt: '50.00', fund_pay_sumamt: '40.00', acct_pay: '0.00' },
        kind: 'HOSPITAL_ONLY',
        suggested_action: 'CHECK_AND_RESEND_OR_REVERSE',
      },
    ]);
  });

  it("catches amounts that differ on a row the platform marked balanced (HN's 7-column file has none to compare)", () => {
    const marked = readResultFile(
      resultZip([['P001', 'M-S1', 'S1', 'MSG1', '0', '0', '平', '300.00', '240.01', '0.00']]),
    );
    expect(compareDetails(pair, ours, marked).map((d) => d.kind)).toEqual(['AMOUNTS_DIFFER']);
    const short = readResultFile(resultZip([['P001', 'M-S1', 'S1', 'MSG1', '0', '0', '平']]));
    expect(compareDetails(pair, ours, short)).toEqual([]);
  });

  it('totals rows to the fen, refunds negative', () => {
    const refund = row('R1', '-100.10', '-80.08', { refd_setl_flag: '1', cash_payamt: '-20.02' });
    expect(totalsOf([...ours, refund])).toEqual({
      fixmedins_setl_cnt: 4,
      medfee_sumamt: '350.00',
      fund_pay_sumamt: '280.00',
      acct_pay: '0.00',
      cash_payamt: '-20.02',
    });
  });
});

describe('a 5262 / 5267 list compared with our rows by setl_id', () => {
  const listed = (setl_id: string, medfee: string, fund: string, extra: Partial<ListedSettlement> = {}) =>
    ({
      setl_id,
      mdtrt_id: `M-${setl_id}`,
      psn_no: 'P001',
      insutype: '310',
      ...pair,
      refd_setl_flag: '0',
      msgid: `MSG-${setl_id}`,
      amounts: { medfee_sumamt: medfee, fund_pay_sumamt: fund, acct_pay: '0.00' },
      ...extra,
    }) satisfies ListedSettlement;

  it('finds a row only the platform lists, one only we hold, amounts a fen apart and a refund flag, nothing else', () => {
    const ours = [
      row('S1', '300.00', '240.00'),
      row('S2', '100.10', '80.08'),
      row('S3', '50.00', '40.00'),
      row('S5', '-20.00', '-16.00', { refd_setl_flag: '1' }),
    ];
    const list = [
      listed('S1', '300.00', '240.00'),
      listed('S2', '100.10', '80.09'),
      listed('S4', '20.00', '16.00', { insutype: '390' }),
      listed('S5', '-20.00', '-16.00'),
    ];
    const found = comparePeriod(ours, list);
    expect(found.map((d) => [d.setl_id, d.kind, d.suggested_action])).toEqual([
      ['S2', 'AMOUNTS_DIFFER', 'CHECK_AMOUNTS'],
      ['S4', 'PLATFORM_ONLY', 'ADOPT_PLATFORM_RECORD'],
      ['S5', 'AMOUNTS_DIFFER', 'CHECK_AMOUNTS'],
      ['S3', 'HOSPITAL_ONLY', 'CHECK_AND_RESEND_OR_REVERSE'],
    ]);
    expect(found[0]).toMatchObject({
      ours: { fund_pay_sumamt: '80.08' },
      platform: { fund_pay_sumamt: '80.09' },
      msgid: 'MSG-S2',
    });
    // A row only the platform lists carries what 5203 needs (psn_no, mdtrt_id) and the platform's insutype.
    expect(found[1]).toMatchObject({ insutype: '390', psn_no: 'P001', mdtrt_id: 'M-S4', msgid: 'MSG-S4' });
    expect(found[1].ours).toBeUndefined();
    expect(found[3]).toMatchObject({ ours: { medfee_sumamt: '50.00' } });
    expect(found[3].platform).toBeUndefined();
    expect(comparePeriod(ours.slice(0, 1), list.slice(0, 1))).toEqual([]);
  });
});
