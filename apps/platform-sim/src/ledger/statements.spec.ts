import Decimal from 'decimal.js';
import { unzipSync, zipSync } from 'fflate';
import { LedgerTestKit, PSN_NO } from './ledger-test-kit';

type Setlinfo = Record<string, number | string>;
const DAY = '2024-05-15';

describe("3201 / 3202 / 9101 / 9102 / 5203 / 5262 / 5267 from the platform's own settlements", () => {
  let kit: LedgerTestKit;
  beforeEach(() => {
    kit = new LedgerTestKit();
  });

  /** A discharged visit with one 300.00 line, settled: its setlinfo. */
  function settledVisit(): Setlinfo {
    const mdtrt_id = kit.admit();
    kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '300', '300.00')] });
    kit.discharge(mdtrt_id);
    return (kit.ok('2304', kit.settlementData(mdtrt_id, '300.00')) as { setlinfo: Setlinfo }).setlinfo;
  }

  const totals = (s: Setlinfo, overrides: Record<string, unknown> = {}) => ({
    data: {
      insutype: s['insutype'],
      clr_type: s['clr_type'],
      setl_optins: s['clr_optins'],
      stmt_begndate: DAY,
      stmt_enddate: DAY,
      medfee_sumamt: s['medfee_sumamt'],
      fund_pay_sumamt: s['fund_pay_sumamt'],
      acct_pay: s['acct_pay'],
      fixmedins_setl_cnt: 1,
      refd_setl_flag: '1',
      ...overrides,
    },
  });
  const detailTotals = (s: Setlinfo, file_qury_no: string, totals: Record<string, unknown>) => ({
    data: {
      setl_optins: s['clr_optins'],
      clr_type: '21',
      file_qury_no,
      stmt_begndate: DAY,
      stmt_enddate: DAY,
      cash_payamt: '0.00',
      ...totals,
    },
  });
  const plus = (amount: string | number, fen: string) => new Decimal(amount).plus(fen).toFixed(2);
  const stmt = (output: unknown) => (output as { stmtinfo: Record<string, string> }).stmtinfo;
  const detailRow = (s: Setlinfo, fund = String(s['fund_pay_sumamt'])) =>
    [
      s['setl_id'],
      s['mdtrt_id'],
      PSN_NO,
      plus(s['medfee_sumamt'], '0'),
      fund,
      plus(s['acct_pay'], '0'),
      '0',
    ].join('\t');
  const upload = (lines: string[]) =>
    (
      kit.ok('9101', {
        fsUploadIn: {
          in: Buffer.from(zipSync({ 'detail.txt': new TextEncoder().encode(lines.join('\n')) })).toString(
            'base64',
          ),
          filename: 'detail.txt.zip',
          fixmedins_code: 'H42010200123',
        },
      }) as { file_qury_no: string }
    ).file_qury_no;

  it('3201 balances a group whose totals match to the fen, and names every total that does not', () => {
    const s = settledVisit();
    expect(stmt(kit.ok('3201', totals(s)))).toMatchObject({ stmt_rslt: '0', setl_optins: s['clr_optins'] });
    const off = stmt(kit.ok('3201', totals(s, { fund_pay_sumamt: plus(s['fund_pay_sumamt'], '0.01') })));
    expect(off.stmt_rslt).toBe('1');
    expect(off.stmt_rslt_dscr).toContain('基金支付总额');
    expect(
      stmt(kit.ok('3201', totals(s, { stmt_begndate: '2024-05-16', stmt_enddate: '2024-05-16' }))).stmt_rslt,
    ).toBe('1');
  });

  it('a 2305 refund is a row of its own: two rows for the day, netting to zero', () => {
    const s = settledVisit();
    kit.ok('2305', { data: { mdtrt_id: s['mdtrt_id'], setl_id: s['setl_id'], psn_no: PSN_NO } });
    const zero = { medfee_sumamt: 0, fund_pay_sumamt: 0, acct_pay: 0 };
    expect(stmt(kit.ok('3201', totals(s, { ...zero, fixmedins_setl_cnt: 2 }))).stmt_rslt).toBe('0');
    // refd_setl_flag 0: refunded settlements left out altogether.
    expect(
      stmt(kit.ok('3201', totals(s, { ...zero, fixmedins_setl_cnt: 0, refd_setl_flag: '0' }))).stmt_rslt,
    ).toBe('0');
  });

  it('3202 compares the uploaded detail line by line and 9102 gives back its result file', () => {
    const a = settledVisit();
    const b = settledVisit();
    // The hospital's file: a with its fund share off by a fen, b missing, and a settlement the platform never made.
    const fundOff = plus(a['fund_pay_sumamt'], '-0.01');
    const lines = [detailRow(a, fundOff), ['X999', 'M999', PSN_NO, '10.00', '0.00', '0.00', '0'].join('\t')];
    const file_qury_no = upload(lines);
    const medfee_sumamt = plus(a['medfee_sumamt'], '10.00');
    const { fileinfo } = kit.ok(
      '3202',
      detailTotals(a, file_qury_no, { medfee_sumamt, fund_pay_sumamt: fundOff, fixmedins_setl_cnt: 2 }),
    ) as { fileinfo: { file_qury_no: string; filename: string } };
    const answer = kit.ok('9102', {
      fsDownloadIn: { ...fileinfo, fixmedins_code: 'H42010200123' },
    }) as Record<string, string>;
    const zip = unzipSync(Buffer.from(Object.values(answer)[0], 'base64'));
    const rows = new TextDecoder()
      .decode(zip['result.txt'])
      .split('\n')
      .map((line) => line.split('\t'));
    const bySetlId = new Map(rows.map((r) => [r[2], r]));
    expect(bySetlId.get(String(a['setl_id']))?.slice(4, 5)).toEqual(['3']);
    expect(bySetlId.get(String(a['setl_id']))?.[8]).toBe(plus(a['fund_pay_sumamt'], '0'));
    expect(bySetlId.get(String(b['setl_id']))?.slice(3, 5)).toEqual([b['medins_setl_id'], '1']);
    expect(bySetlId.get('X999')?.slice(3, 5)).toEqual(['null', '2']);
    expect(rows).toHaveLength(3);
  });

  it('3202 refuses a file whose lines do not add up to the totals sent with it', () => {
    const a = settledVisit();
    const file_qury_no = upload([detailRow(a)]);
    const err = kit.refused(
      '3202',
      detailTotals(a, file_qury_no, {
        medfee_sumamt: '1.00',
        fund_pay_sumamt: a['fund_pay_sumamt'],
        fixmedins_setl_cnt: 1,
      }),
    );
    expect(err).toContain('明细文件合计不一致');
  });

  it('5203 finds a settlement by setl_id, with its group and amounts, and not one 2601 undid', () => {
    const s = settledVisit();
    const { setlinfo } = kit.ok('5203', { data: { psn_no: PSN_NO, setl_id: s['setl_id'] } }) as {
      setlinfo: Setlinfo;
    };
    expect(setlinfo).toMatchObject({
      setl_id: s['setl_id'],
      mdtrt_id: s['mdtrt_id'],
      insutype: s['insutype'],
      clr_type: '21',
      clr_optins: s['clr_optins'],
      medfee_sumamt: s['medfee_sumamt'],
      fund_pay_sumamt: s['fund_pay_sumamt'],
      medins_setl_id: s['medins_setl_id'],
      refd_setl_flag: '0',
    });
    kit.ok('2601', { data: { psn_no: PSN_NO, omsgid: s['medins_setl_id'], oinfno: '2304' } });
    expect(kit.refused('5203', { data: { psn_no: PSN_NO, setl_id: s['setl_id'] } })).toContain(
      '结算信息不存在',
    );
  });

  it('9102 refuses another hospital and an unknown file', () => {
    const file_qury_no = upload(['a']);
    expect(
      kit.refused('9102', {
        fsDownloadIn: { file_qury_no, filename: 'detail.txt.zip', fixmedins_code: 'H42010200999' },
      }),
    ).toContain('无权下载');
    expect(
      kit.refused('9102', {
        fsDownloadIn: { file_qury_no: 'fsi/st/0', filename: 'x.zip', fixmedins_code: 'H42010200123' },
      }),
    ).toContain('不存在');
  });

  it('3203 accepts a month that declares exactly what the platform holds, once; 3204 withdraws it', () => {
    const s = settledVisit();
    const application = (overrides: Record<string, unknown> = {}) => ({
      data: {
        clr_type: '21',
        setlym: '202405',
        psntime: 1,
        medfee_sumamt: s['medfee_sumamt'],
        med_sumfee: s['medfee_sumamt'],
        fund_appy_sum: s['fund_pay_sumamt'],
        cash_payamt: s['psn_cash_pay'],
        acct_pay: s['acct_pay'],
        begndate: '2024-05-01',
        enddate: '2024-05-31',
        ...overrides,
      },
    });
    expect(kit.refused('3203', application({ fund_appy_sum: plus(s['fund_pay_sumamt'], '0.01') }))).toContain(
      '基金申报总额',
    );
    const { result } = kit.ok('3203', application()) as { result: { clr_appy_evt_id: string } };
    expect(kit.refused('3203', application())).toContain('已存在清算申请');
    kit.ok('3204', { data: { clr_appy_evt_id: result.clr_appy_evt_id } });
    expect(kit.refused('3204', { data: { clr_appy_evt_id: result.clr_appy_evt_id } })).toContain('已撤销');
    kit.ok('3203', application());
  });

  it("5262 lists the window's settlements of our own area's insured a page at a time, refunds as rows; 5267 other areas'", () => {
    const first = settledVisit();
    const second = settledVisit();
    kit.ok('2305', { data: { mdtrt_id: first['mdtrt_id'], setl_id: first['setl_id'], psn_no: PSN_NO } });
    const window = (page_num: number, overrides: Record<string, unknown> = {}) => ({
      data: { begntime: `${DAY} 00:00:00`, endtime: `${DAY} 23:59:59`, page_num, page_size: 2, ...overrides },
    });
    type Page = { totalRow: number; totalPage: number; setlinfo: Setlinfo[] };
    const one = kit.ok('5262', window(1)) as Page;
    const two = kit.ok('5262', window(2)) as Page;
    expect([one.totalRow, one.totalPage, one.setlinfo.length, two.setlinfo.length]).toEqual([3, 2, 2, 1]);
    const listed = [...one.setlinfo, ...two.setlinfo];
    expect(listed.map((row) => row['setl_id'])).toEqual(
      expect.arrayContaining([first['setl_id'], second['setl_id']]),
    );
    expect(listed.find((row) => row['refd_setl_flag'] === '1')).toMatchObject({
      medfee_sumamt: -Number(first['medfee_sumamt']),
      clr_optins: '420100',
    });
    expect(kit.ok('5267', window(1))).toEqual({ totalRow: 0, totalPage: 0, setlinfo: [] });
    // Another day's window, and a page too large, are not the day's rows.
    const nextDay = { begntime: '2024-05-16 00:00:00', endtime: '2024-05-16 23:59:59' };
    expect((kit.ok('5262', window(1, nextDay)) as Page).totalRow).toBe(0);
    expect(kit.refused('5262', window(1, { page_size: 101 }))).toContain('本页数据量');
  });

  describe("Hubei's 3202A / 3204A / 1608 (by clearing agency)", () => {
    const application = (s: Setlinfo, overrides: Record<string, unknown> = {}) => ({
      data: {
        clr_type: '21',
        setlym: '202405',
        psntime: 1,
        medfee_sumamt: s['medfee_sumamt'],
        med_sumfee: s['medfee_sumamt'],
        fund_appy_sum: s['fund_pay_sumamt'],
        cash_payamt: s['psn_cash_pay'],
        acct_pay: s['acct_pay'],
        begndate: '2024-05-01',
        enddate: '2024-05-31',
        clr_optins: s['clr_optins'],
        ...overrides,
      },
    });
    const withdrawal = (clr_appy_evt_id: string) => ({ data: { clr_appy_evt_id, clr_optins: '420100' } });

    it('applies only for days reconciled: 3201 平, or 不平 followed by 3202', () => {
      const s = settledVisit();
      expect(kit.refused('3202A', application(s))).toContain(`[${DAY}]未完成对账或对账不平`);
      expect(
        stmt(kit.ok('3201', totals(s, { medfee_sumamt: plus(s['medfee_sumamt'], '0.01') }))),
      ).toMatchObject({ stmt_rslt: '1' });
      expect(kit.refused('3202A', application(s))).toContain('对账不平');
      kit.ok(
        '3202',
        detailTotals(s, upload([detailRow(s)]), {
          fixmedins_setl_cnt: 1,
          medfee_sumamt: s['medfee_sumamt'],
          fund_pay_sumamt: s['fund_pay_sumamt'],
        }),
      );
      expect(kit.ok('3202A', application(s))).toMatchObject({
        result: { clr_appy_evt_id: expect.any(String) },
      });
    });

    it('withdraws on the day of the application, not once the agency has taken it up', () => {
      const s = settledVisit();
      expect(stmt(kit.ok('3201', totals(s)))).toMatchObject({ stmt_rslt: '0' });
      const first = (kit.ok('3202A', application(s)) as { result: { clr_appy_evt_id: string } }).result;
      kit.ok('3204A', withdrawal(first.clr_appy_evt_id));
      const second = (kit.ok('3202A', application(s)) as { result: { clr_appy_evt_id: string } }).result;
      const nextDay = new Date('2024-06-01T01:30:00Z');
      expect(kit.refused('3204A', withdrawal(second.clr_appy_evt_id), nextDay)).toContain('经办机构已受理');
      expect(
        kit.refused('3204A', { data: { clr_appy_evt_id: second.clr_appy_evt_id, clr_optins: '420500' } }),
      ).toContain('不存在');
    });

    it('sends local agencies to 3202A and the others to 1608', () => {
      const s = settledVisit();
      kit.ok('3201', totals(s));
      expect(kit.refused('1608', application(s))).toContain('本地参保人员请通过[3202A]申请');
      expect(kit.refused('3202A', application(s, { clr_optins: '420500' }))).toContain('请通过[1608]申请');
    });
  });
});
