import { INTERFACE_EXAMPLES } from './examples';
import { extendDictionary } from './dictionaries';
import { INTERFACE_SCHEMAS, TYPED_INFNOS, type Input2301, type Input2401 } from './interface-schemas';
import {
  parseOutput,
  PlatformInputError,
  PlatformOutputError,
  readOutput,
  validateInput,
} from './validation';

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
        '1307',
        '1308',
        '1310',
        '1311',
        '1312',
        '1312A',
        '1313',
        '1314',
        '1315',
        '1318',
        '1319',
        '1901',
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
        '3301',
        '3302',
        '4101A',
        '4102',
        '4401',
        '4402',
        '4501',
        '4502',
        '4503',
        '4504',
        '4505',
        '4506',
        '3201',
        '3202',
        '3203',
        '3204',
        '3202A',
        '3204A',
        '1608',
        '1618',
        '3205A',
        '5201',
        '5202',
        '5203',
        '5204',
        '5205',
        '5206',
        '5301',
        '5302',
        '5303',
        '5304',
        '4103',
        '5262',
        '5267',
        '9101',
        '9102',
        'YH03',
      ].sort(),
    );
  });

  it.each(TYPED_INFNOS)('%s accepts its realistic example input and output', (infno) => {
    const example = INTERFACE_EXAMPLES[infno];
    // The examples are in the canonical form: validating one sends it unchanged.
    expect(validateInput(infno, clone(example.input))).toStrictEqual(example.input);
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
    const input = clone(INTERFACE_EXAMPLES['2403'].input) as unknown as Record<
      string,
      Record<string, unknown>
    >;
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

  it('sends 2302 data as a list, given as a list (OH) or a single object (HSA), and names fields inside', () => {
    const row = { feedetl_sn: '0000', mdtrt_id: 'M1', psn_no: 'P1' };
    expect(validateInput('2302', { data: row })).toStrictEqual({ data: [row] });
    expect(validateInput('2302', { data: [row] })).toStrictEqual({ data: [row] });
    expect(rejection(() => validateInput('2302', { data: [row, { ...row, psn_no: '' }] })).field).toBe(
      'data[1].psn_no',
    );
    expect(rejection(() => validateInput('2302', { data: { ...row, mdtrt_id: undefined } })).field).toBe(
      'data[0].mdtrt_id',
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

describe('the wire edge: tolerant in what callers give, strict in what is sent', () => {
  it('sends a production-style 2401 ("" for fields not given, whole numbers as strings, one diagnosis as an object) as the canonical request', () => {
    // Given the 2401 a HIS really sends: optional fields as "", diag_srt_no as a string, diseinfo as an object
    const canonical = INTERFACE_EXAMPLES['2401'].input;
    const [diagnosis] = canonical.diseinfo;
    const sent = {
      mdtrtinfo: {
        ...canonical.mdtrtinfo,
        medrcdno: '',
        main_cond_dscr: '',
        dise_codg: '',
        dise_name: '',
        oprn_oprt_code: '',
        oprn_oprt_name: '',
        fpsc_no: '',
        matn_type: '',
        birctrl_type: '',
        latechb_flag: '',
        geso_val: '',
        fetts: null,
        fetus_cnt: '',
        pret_flag: '',
        birctrl_matn_date: '',
        dise_type_code: '',
        exp_content: '',
      },
      diseinfo: { ...diagnosis, diag_srt_no: '1', adm_cond: '' },
    };
    // When it is validated, Then what goes on the wire has none of them and the number as a number
    const { medrcdno: _medrcdno, main_cond_dscr: _main, ...withoutGiven } = canonical.mdtrtinfo;
    const { adm_cond: _adm_cond, ...diagnosisWithoutCondition } = diagnosis;
    expect(JSON.stringify(validateInput('2401', sent))).toBe(
      JSON.stringify(
        validateInput('2401', { mdtrtinfo: withoutGiven, diseinfo: [diagnosisWithoutCondition] }),
      ),
    );
    expect(validateInput('2401', sent).diseinfo[0].diag_srt_no).toBe(1);
  });

  it('still refuses a required field given as "" or null, naming it', () => {
    const input = clone(INTERFACE_EXAMPLES['2401'].input) as unknown as {
      mdtrtinfo: Record<string, unknown>;
    };
    input.mdtrtinfo.psn_no = '';
    input.mdtrtinfo.adm_bed = null;
    const error = rejection(() => validateInput('2401', input));
    expect(error.problems.map((p) => `${p.field} ${p.problem}`)).toEqual([
      'mdtrtinfo.psn_no is required',
      'mdtrtinfo.adm_bed is required',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['det_item_fee_sumamt', 86.4, '86.40'],
    ['det_item_fee_sumamt', '86.4', '86.40'],
    ['det_item_fee_sumamt', ' 86.400 ', '86.40'],
    ['det_item_fee_sumamt', -0, '0.00'],
    ['cnt', 2, '2'],
    ['cnt', '2.0000', '2'],
    ['pric', '43.200000', '43.2'],
    ['pric', 43.2, '43.2'],
  ])('sends %s given as %p as %p', (field, given, sent) => {
    const input = clone(INTERFACE_EXAMPLES['2301'].input) as unknown as {
      feedetail: Record<string, unknown>[];
    };
    input.feedetail[0][field] = given;
    expect(validateInput('2301', input).feedetail[0][field as 'cnt']).toBe(sent);
  });

  it.each<[unknown, string]>([
    [12.345, 'a number with three decimals'],
    ['12.345', 'a string with three decimals'],
    [0.1 + 0.2, 'a float sum'],
    [Number.NaN, 'not a number'],
  ])('refuses %p as money instead of rounding it (%s)', (given) => {
    const input = clone(INTERFACE_EXAMPLES['2303'].input) as unknown as { data: Record<string, unknown> };
    input.data.medfee_sumamt = given;
    const error = rejection(() => validateInput('2303', input));
    expect(error.field).toBe('data.medfee_sumamt');
    expect(error.message).toContain('is not a 16,2 amount');
  });

  it.each<[unknown, string]>([
    ['1.5', 'must be a whole number'],
    ['-1', 'must be a whole number'],
    [-1, 'must not be negative'],
    ['100', 'must have at most 2 digits'],
    [true, 'must be a whole number'],
  ])('refuses %p as a num 2', (given, problem) => {
    const input = clone(INTERFACE_EXAMPLES['2401'].input) as unknown as {
      diseinfo: Record<string, unknown>[];
    };
    input.diseinfo[0].diag_srt_no = given;
    const error = rejection(() => validateInput('2401', input));
    expect(`${error.field} ${error.problems[0].problem}`).toBe(`diseinfo[0].diag_srt_no ${problem}`);
  });

  it('sends a one-element list as the object where the platform takes one object, and refuses a longer one', () => {
    const { data } = INTERFACE_EXAMPLES['2304'].input;
    expect(validateInput('2304', { data: [data] })).toStrictEqual({ data });
    expect(rejection(() => validateInput('2304', { data: [data, data] })).field).toBe('data');
  });

  it('keeps the caller’s extension content exactly as given', () => {
    const input = clone(INTERFACE_EXAMPLES['2404'].input) as unknown as { data: Record<string, unknown> };
    input.data.exp_content = { local_dise: '' };
    expect(validateInput('2404', input).data.exp_content).toStrictEqual({ local_dise: '' });
  });
});

describe('readOutput: an answer is unreadable only for lack of what the business needs', () => {
  it('reads a settlement answer with "" and null for optional fields, numbers as strings, extra fields and one fund row as an object', () => {
    const { setlinfo, setldetail } = INTERFACE_EXAMPLES['2304'].output;
    const answer = {
      setlinfo: [
        {
          ...setlinfo,
          psn_name: '',
          certno: null,
          clr_type: '',
          hosp_part_amt: '',
          balc: null,
          medfee_sumamt: '12345.67',
          psn_pay: 3485.73,
          insu_admdvs: '500100',
        },
      ],
      setldetail: { ...setldetail![0], crt_payb_lmt_amt: '' },
    };
    const reading = readOutput('2304', answer);
    if (!reading.readable) throw new Error(JSON.stringify(reading.problems));
    expect(reading.output.setlinfo.medfee_sumamt).toBe('12345.67');
    expect(reading.output.setlinfo.hosp_part_amt).toBeUndefined();
    expect(reading.output.setlinfo.psn_name).toBeUndefined();
    expect(reading.output.setlinfo).toMatchObject({ psn_pay: 3485.73, insu_admdvs: '500100' });
    expect(reading.output.setldetail).toHaveLength(1);
    expect(reading.output.setldetail?.[0].fund_payamt).toBe('8859.94');
  });

  it.each<[string, unknown]>([
    ['absent', undefined],
    ['""', ''],
    ['null', null],
  ])('a 2304 answer whose setl_id is %s is unreadable, naming the field', (_how, setl_id) => {
    const answer = clone(INTERFACE_EXAMPLES['2304'].output) as { setlinfo: Record<string, unknown> };
    answer.setlinfo.setl_id = setl_id;
    expect(readOutput('2304', answer)).toEqual({
      readable: false,
      problems: [{ field: 'setlinfo.setl_id', problem: 'is required' }],
    });
  });

  it('reads any body of an interface that documents none', () => {
    for (const body of [null, {}, '', { anything: 'kept' }, []]) {
      expect(readOutput('2402', body)).toEqual({ readable: true, output: body });
    }
  });
});
