import { INTERFACE_EXAMPLES } from './examples';
import { extendDictionary } from './dictionaries';
import { INTERFACE_SCHEMAS, TYPED_INFNOS, type Input2301, type Input2401 } from './interface-schemas';
import { parseOutput, PlatformInputError, PlatformOutputError, validateInput } from './validation';

const clone = <T>(value: T): T => structuredClone(value);

function rejection(run: () => unknown): PlatformInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformInputError) return error;
    throw error;
  }
  throw new Error('expected a PlatformInputError');
}

describe('typed interfaces', () => {
  it('types exactly the interfaces the inpatient flow uses', () => {
    expect(TYPED_INFNOS.sort()).toEqual(
      [
        '9001',
        '9002',
        '1101',
        '2001',
        '2401',
        '2402',
        '2403',
        '2404',
        '2405',
        '2406',
        '2407',
        '2301',
        '2302',
        '2303',
        '2304',
        '2305',
        '2601',
        '3101',
        '3102',
        '4101A',
        '4401',
        '4402',
        '4501',
        '4502',
        '4503',
        '4504',
        '4505',
        '4506',
      ].sort(),
    );
  });

  it.each(TYPED_INFNOS)('%s accepts its realistic example input and output', (infno) => {
    const example = INTERFACE_EXAMPLES[infno];
    expect(validateInput(infno, clone(example.input))).toEqual(example.input);
    expect(() => parseOutput(infno, clone(example.output))).not.toThrow();
  });

  it('describes each input node on the wire', () => {
    expect(INTERFACE_SCHEMAS['2401'].inputNodes).toEqual(['mdtrtinfo', 'diseinfo[]']);
    expect(INTERFACE_SCHEMAS['2301'].inputNodes).toEqual(['feedetail[]']);
    expect(INTERFACE_SCHEMAS['9001'].inputNodes).toEqual(['signIn']);
  });
});

describe('validateInput rejections name the field', () => {
  it('a missing psn_no', () => {
    const input = clone(INTERFACE_EXAMPLES['2401'].input) as Input2401;
    delete (input.mdtrtinfo as Partial<Input2401['mdtrtinfo']>).psn_no;
    const error = rejection(() => validateInput('2401', input));
    expect(error.field).toBe('mdtrtinfo.psn_no');
    expect(error.message).toBe('2401 input: mdtrtinfo.psn_no is required');
  });

  it('a 31-character mdtrt_id', () => {
    const input = clone(INTERFACE_EXAMPLES['2404'].input);
    input.data.mdtrt_id = '4'.repeat(31);
    const error = rejection(() => validateInput('2404', input));
    expect(error.field).toBe('data.mdtrt_id');
    expect(error.message).toContain('data.mdtrt_id is too long (max 30 characters)');
    expect(error.message).not.toContain(input.data.mdtrt_id);
  });

  it('a code outside its dictionary', () => {
    const input = clone(INTERFACE_EXAMPLES['2401'].input) as Input2401;
    input.mdtrtinfo.med_type = '77';
    const error = rejection(() => validateInput('2401', input));
    expect(error.field).toBe('mdtrtinfo.med_type');
    expect(error.message).toContain('is not a code of dictionary med_type 医疗类别');
  });

  it('a code added from the region 1901 download is accepted', () => {
    const input = clone(INTERFACE_EXAMPLES['2401'].input) as Input2401;
    input.mdtrtinfo.med_type = '9930';
    expect(() => validateInput('2401', input)).toThrow(PlatformInputError);
    extendDictionary('med_type', ['9930']);
    expect(validateInput('2401', input).mdtrtinfo.med_type).toBe('9930');
  });

  it.each<[unknown, string]>([
    ['12.345', 'three decimals'],
    [1e16, 'a number (and 17 digits)'],
    ['10000000000000000', '17 integer digits'],
    ['1e3', 'exponent notation'],
    ['', 'empty'],
  ])('%p as an amount (%s)', (bad) => {
    const input = clone(INTERFACE_EXAMPLES['2301'].input) as Input2301;
    (input.feedetail[1] as Record<string, unknown>).det_item_fee_sumamt = bad;
    const error = rejection(() => validateInput('2301', input));
    expect(error.field).toBe('feedetail[1].det_item_fee_sumamt');
    expect(error.message).toMatch(/feedetail\[1\]\.det_item_fee_sumamt (is not a 16,2 amount|is required)/);
  });

  it('accepts the largest 16,2 amount and negative refund amounts', () => {
    const input = clone(INTERFACE_EXAMPLES['2301'].input) as Input2301;
    input.feedetail[0].det_item_fee_sumamt = '99999999999999.99';
    input.feedetail[1].det_item_fee_sumamt = '-0.01';
    expect(() => validateInput('2301', input)).not.toThrow();
  });

  it('an unknown field is refused, not dropped (2403 says ipt_otp_no, not ipt_no)', () => {
    const input = clone(INTERFACE_EXAMPLES['2403'].input) as Record<string, Record<string, unknown>>;
    input.adminfo.ipt_no = input.adminfo.ipt_otp_no;
    const error = rejection(() => validateInput('2403', input));
    expect(error.field).toBe('adminfo.ipt_no');
    expect(error.message).toContain('unknown field');
  });

  it('an impossible datetime', () => {
    const input = clone(INTERFACE_EXAMPLES['2402'].input);
    input.dscginfo.endtime = '2024-02-30 09:00:00';
    expect(rejection(() => validateInput('2402', input)).message).toContain(
      'dscginfo.endtime is not a datetime in yyyy-MM-dd HH:mm:ss',
    );
  });

  it('accepts 2302 data as an array (OH) or an object (HSA), and names fields inside either', () => {
    const row = { feedetl_sn: '0000', mdtrt_id: 'M1', psn_no: 'P1' };
    expect(validateInput('2302', { data: row })).toEqual({ data: row });
    expect(validateInput('2302', { data: [row] })).toEqual({ data: [row] });
    expect(rejection(() => validateInput('2302', { data: [row, { ...row, psn_no: '' }] })).field).toBe(
      'data[1].psn_no',
    );
    expect(rejection(() => validateInput('2302', { data: { ...row, mdtrt_id: undefined } })).field).toBe(
      'data.mdtrt_id',
    );
  });

  it('3102 refuses a 事前 trigger scenario', () => {
    const input = clone(INTERFACE_EXAMPLES['3102'].input);
    input.data.trig_scen = '9,3';
    const error = rejection(() => validateInput('3102', input));
    expect(error.field).toBe('data.trig_scen');
    expect(error.message).toContain('has 3: not a code of dictionary trig_scen_during');
  });

  it('lists every problem, the first one as .field', () => {
    const error = rejection(() =>
      validateInput('2601', { data: { omsgid: 'x'.repeat(31), oinfno: '2304' } }),
    );
    expect(error.field).toBe('data.psn_no');
    expect(error.problems.map((problem) => problem.field)).toEqual(['data.psn_no', 'data.omsgid']);
  });
});

describe('parseOutput', () => {
  it('normalises the platform numbers to decimal strings', () => {
    const output = parseOutput('2304', clone(INTERFACE_EXAMPLES['2304'].output));
    expect(output.setlinfo.medfee_sumamt).toBe('12345.67');
    expect(output.setlinfo.hifp_pay).toBe('8859.94');
    expect(output.setlinfo.acct_pay).toBe('1000');
    expect(output.setlinfo.pool_prop_selfpay).toBe('0.85');
    expect(output.setlinfo.psn_part_amt).toBe('3485.73');
    expect(output.setldetail?.[0].fund_payamt).toBe('8859.94');
  });

  it('keeps negative reversal amounts and string decimals', () => {
    const output = parseOutput('2305', clone(INTERFACE_EXAMPLES['2305'].output));
    expect(output.setlinfo.medfee_sumamt).toBe('-12345.67');
    const fees = parseOutput('2301', clone(INTERFACE_EXAMPLES['2301'].output));
    expect(fees.result[1].det_item_fee_sumamt).toBe('-43.2');
    expect(fees.result[1].pric).toBe('43.2');
  });

  it('keeps fields the spec does not list (nothing dropped)', () => {
    const output = parseOutput('2401', { result: { mdtrt_id: 'M1', insu_admdvs: '420100' } });
    expect(output.result).toEqual({ mdtrt_id: 'M1', insu_admdvs: '420100' });
  });

  it('names the field of an unreadable answer', () => {
    const answer = clone(INTERFACE_EXAMPLES['2304'].output) as { setlinfo: Record<string, unknown> };
    answer.setlinfo.hifp_pay = 'abc';
    expect(() => parseOutput('2304', answer)).toThrow(PlatformOutputError);
    expect(() => parseOutput('2304', answer)).toThrow(/setlinfo\.hifp_pay is not a decimal number/);
    delete answer.setlinfo.setl_id;
    answer.setlinfo.hifp_pay = 1;
    expect(() => parseOutput('2304', answer)).toThrow('2304 output: setlinfo.setl_id is required');
  });
});
