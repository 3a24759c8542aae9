import { output2001, input2001 } from './eligibility';
import { input1101, output1101 } from './person';
import { parseOutput } from './validation';

describe('1101 人员信息获取', () => {
  const byCard = { mdtrt_cert_type: '03', mdtrt_cert_no: 'H42010200001' };

  it('requires card_sn with a social security card (03), naming the field', () => {
    const refused = input1101.safeParse({ data: byCard });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['data', 'card_sn'] });
    expect(input1101.safeParse({ data: { ...byCard, card_sn: '420100D15600000500A1B2C3' } }).success).toBe(
      true,
    );
  });

  it('takes an ID card (02) without card_sn, with the name where given', () => {
    const data = { mdtrt_cert_type: '02', mdtrt_cert_no: '420102198001011234', psn_name: '张三' };
    expect(input1101.parse({ data })).toEqual({ data });
  });

  it('reads an answer with only what the business uses, status as a number or a string', () => {
    const answer = output1101.parse({
      baseinfo: { psn_no: 'P1' },
      insuinfo: [{ insutype: 310, insuplc_admdvs: '420100', psn_insu_stas: 2 }],
    });
    expect(answer.insuinfo).toEqual([{ insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: '2' }]);
  });

  it('reads a single insurance sent as an object, and none as an empty list', () => {
    const one = { insutype: '310', insuplc_admdvs: '420100', psn_insu_stas: '1' };
    expect(output1101.parse({ baseinfo: { psn_no: 'P1' }, insuinfo: one }).insuinfo).toEqual([one]);
    expect(output1101.parse({ baseinfo: { psn_no: 'P1' }, insuinfo: null }).insuinfo).toEqual([]);
    expect(output1101.parse({ baseinfo: { psn_no: 'P1' } }).insuinfo).toEqual([]);
  });

  it('cannot read an insurance without its status (the refusal depends on it)', () => {
    const answer = { baseinfo: { psn_no: 'P1' }, insuinfo: [{ insutype: '310', insuplc_admdvs: '420100' }] };
    expect(() => parseOutput('1101', answer)).toThrow(/insuinfo\[0\]\.psn_insu_stas is required/);
  });
});

describe('2001 人员待遇享受检查', () => {
  const query = {
    psn_no: '42000019800101123456',
    insutype: '310',
    fixmedins_code: 'H42010200123',
    med_type: '21',
    begntime: '2024-05-06 09:30:00',
  };

  it('requires the person, insutype, hospital, med_type and start; checks the dictionaries', () => {
    expect(input2001.parse({ data: query })).toEqual({ data: query });
    const { begntime: _b, ...withoutStart } = query;
    expect(input2001.safeParse({ data: withoutStart }).error?.issues[0]?.path).toEqual(['data', 'begntime']);
    expect(input2001.safeParse({ data: { ...query, med_type: 'X1' } }).success).toBe(false);
  });

  it('reads the fund rows leniently: flags as numbers, one row as an object, reasons absent', () => {
    const answer = output2001.parse({
      trtinfo: { fund_pay_type: 310100, trt_enjymnt_flag: 0, extra: 'kept' },
    });
    expect(answer.trtinfo).toEqual([{ fund_pay_type: '310100', trt_enjymnt_flag: '0', extra: 'kept' }]);
  });

  it('reads an answer without trtinfo as no finding', () => {
    expect(output2001.parse({}).trtinfo).toEqual([]);
    expect(output2001.parse({ trtinfo: null }).trtinfo).toEqual([]);
  });
});
