import { LedgerTestKit, PSN_NO } from './ledger-test-kit';

// YH03 结算单据打印 against the sandbox's books: the slip of a standing settlement, as a file its hospital
// downloads with 9102; nothing for a settlement that does not stand.

describe('YH03 结算单据打印', () => {
  let kit: LedgerTestKit;
  beforeEach(() => {
    kit = new LedgerTestKit();
  });

  function settled(): { mdtrt_id: string; setl_id: string } {
    const mdtrt_id = kit.admit();
    kit.ok('2301', { feedetail: [kit.feeLine(mdtrt_id, 'FY1', '1', '300', '300.00')] });
    kit.discharge(mdtrt_id);
    const { setlinfo } = kit.ok('2304', kit.settlementData(mdtrt_id, '300.00')) as {
      setlinfo: { setl_id: string };
    };
    return { mdtrt_id, setl_id: setlinfo.setl_id };
  }

  it("prints the settlement's slip from the books: a file the hospital downloads with 9102", () => {
    const { mdtrt_id, setl_id } = settled();
    const answer = kit.ok('YH03', { data: { psn_no: PSN_NO, mdtrt_id, setl_id } }) as Record<string, string>;
    expect(answer).toMatchObject({ filename: `${setl_id}.html`, fixmedins_code: 'H42010200123' });
    const file = kit.ok('9102', {
      fsDownloadIn: {
        file_qury_no: answer['file_qury_no'],
        filename: answer['filename'],
        fixmedins_code: 'H42010200123',
      },
    }) as Record<string, string>;
    const slip = Buffer.from(Object.values(file)[0]!, 'base64').toString('utf8');
    expect(slip).toContain(setl_id);
    expect(slip).toContain('<th>医疗费总额</th><td>300.00</td>');
  });

  it('refuses a settlement that is not on the books, another person, or a cancelled one', () => {
    const { mdtrt_id, setl_id } = settled();
    expect(kit.refused('YH03', { data: { psn_no: PSN_NO, mdtrt_id, setl_id: 'S0' } })).toContain('不存在');
    expect(kit.refused('YH03', { data: { psn_no: 'P0', mdtrt_id, setl_id } })).toContain('不存在');
    kit.ok('2305', { data: { psn_no: PSN_NO, mdtrt_id, setl_id } });
    expect(kit.refused('YH03', { data: { psn_no: PSN_NO, mdtrt_id, setl_id } })).toContain('已撤销');
    expect(kit.refused('YH03', { data: { psn_no: PSN_NO, mdtrt_id } })).toContain('setl_id');
  });
});
