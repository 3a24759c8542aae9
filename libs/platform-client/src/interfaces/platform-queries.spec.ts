import { INTERFACE_EXAMPLES } from './examples';
import { type TypedInfno } from './interface-schemas';
import { parseOutput, PlatformInputError, readOutput, validateInput } from './validation';

// 5201–5206, 5301–5304 and 4103 (visit-queries.ts, person-queries.ts): inputs strict, answers lenient.

const QUERIES = ['5201', '5202', '5204', '5205', '5206', '5301', '5302', '5303', '5304', '4103'] as const;

/** Each query's required input fields, as the spec marks them Y (part 2 §7.2, §2.5, §8.2). */
const REQUIRED_INPUT: Record<(typeof QUERIES)[number], readonly string[]> = {
  '5201': ['psn_no', 'begntime', 'med_type'],
  '5202': ['mdtrt_id', 'psn_no'],
  '5204': ['psn_no', 'setl_id', 'mdtrt_id'],
  '5205': ['psn_no', 'begntime'],
  '5206': ['psn_no'],
  '5301': ['psn_no'],
  '5302': ['psn_no', 'biz_appy_type'],
  '5303': ['begntime', 'endtime'],
  '5304': ['psn_no', 'begntime'],
  '4103': ['psn_no', 'setl_id'],
};

/** The first row of an example's list node (the examples give lists; the raw type also allows one object). */
const firstRow = <Row>(rows: Row | Row[] | null | undefined): Row => (Array.isArray(rows) ? rows[0] : rows)!;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function refusal(infno: TypedInfno, input: unknown): PlatformInputError {
  try {
    validateInput(infno, input);
  } catch (error) {
    if (error instanceof PlatformInputError) return error;
    throw error;
  }
  throw new Error(`${infno} accepted ${JSON.stringify(input)}`);
}

describe.each(QUERIES)('%s input', (infno) => {
  const example = () => clone(INTERFACE_EXAMPLES[infno].input) as { data: Record<string, unknown> };

  it('sends the example as it is', () => {
    expect(validateInput(infno, example())).toStrictEqual(INTERFACE_EXAMPLES[infno].input);
  });

  it.each(REQUIRED_INPUT[infno])('is refused without %s, naming it', (field) => {
    const input = example();
    delete input.data[field];
    expect(refusal(infno, input).field).toBe(`data.${field}`);
    input.data[field] = '';
    expect(refusal(infno, input).field).toBe(`data.${field}`);
  });

  it('is refused with a field the spec does not list', () => {
    const input = example();
    input.data.ipt_no = 'ZY20240506001';
    expect(refusal(infno, input).message).toContain('data.ipt_no');
  });
});

describe('query inputs: the values the spec constrains', () => {
  it('5201 checks med_type against its dictionary and begntime as a datetime', () => {
    const { data } = INTERFACE_EXAMPLES['5201'].input;
    expect(refusal('5201', { data: { ...data, med_type: '77' } }).message).toContain('med_type 医疗类别');
    expect(refusal('5201', { data: { ...data, begntime: '2024-05-01' } }).field).toBe('data.begntime');
  });

  it('5206 takes cum_ym as yyyyMM only', () => {
    expect(validateInput('5206', { data: { psn_no: 'P1' } })).toStrictEqual({ data: { psn_no: 'P1' } });
    for (const cum_ym of ['2024-05', '202413', '20245']) {
      expect(refusal('5206', { data: { psn_no: 'P1', cum_ym } }).field).toBe('data.cum_ym');
    }
  });

  it('a 31-character key is refused (str 30)', () => {
    expect(
      refusal('5204', { data: { ...INTERFACE_EXAMPLES['5204'].input.data, setl_id: '4'.repeat(31) } }).field,
    ).toBe('data.setl_id');
  });
});

describe('query answers as the platform gives them', () => {
  it('5201 reads a visit with "" for fields not given, numbers as numbers and a field the spec calls required missing', () => {
    const { mdtrtinfo } = INTERFACE_EXAMPLES['5201'].output;
    const { psn_name: _name, ...visit } = firstRow(mdtrtinfo);
    const answer = parseOutput('5201', {
      mdtrtinfo: { ...visit, endtime: '', dscg_way: null, inhosp_stas: 1, ipt_days: '9' },
    });
    expect(answer.mdtrtinfo).toHaveLength(1);
    expect(answer.mdtrtinfo[0]).toMatchObject({ mdtrt_id: visit.mdtrt_id, inhosp_stas: '1', ipt_days: '9' });
    expect(answer.mdtrtinfo[0]!.endtime).toBeUndefined();
    expect(answer.mdtrtinfo[0]).not.toHaveProperty('psn_name');
  });

  it('5201 / 5202 / 5303 read no rows as an empty list', () => {
    expect(parseOutput('5201', {}).mdtrtinfo).toEqual([]);
    expect(parseOutput('5202', { diseinfo: null }).diseinfo).toEqual([]);
    expect(parseOutput('5303', { data: [] }).data).toEqual([]);
  });

  it('5202 reads a diagnosis with its order as a string and without its doctor', () => {
    const diagnosis = firstRow(INTERFACE_EXAMPLES['5202'].output.diseinfo);
    const answer = parseOutput('5202', {
      diseinfo: [{ ...diagnosis, diag_srt_no: '1', dise_dor_no: '', dise_dor_name: null }],
    });
    expect(answer.diseinfo[0]).toMatchObject({
      diag_code: 'J18.900',
      diag_srt_no: '1',
      inout_diag_type: '1',
    });
    expect(answer.diseinfo[0]).not.toHaveProperty('dise_dor_no');
  });

  it('5204 reads the bare list of fee lines with amounts to the fen as decimal strings, never floats', () => {
    const [line] = INTERFACE_EXAMPLES['5204'].output as Record<string, unknown>[];
    const answer = parseOutput('5204', [
      {
        ...line,
        det_item_fee_sumamt: '86.40',
        preselfpay_amt: 8.64,
        inscp_scp_amt: '77.76',
        overlmt_amt: '',
      },
      { ...line, feedetl_sn: 'FY202405060002', det_item_fee_sumamt: -43.2, cnt: '-1', pric: '43.200000' },
    ]);
    expect(
      answer.map((l) => [l.feedetl_sn, l.det_item_fee_sumamt, l.preselfpay_amt, l.inscp_scp_amt]),
    ).toEqual([
      ['FY202405060001', '86.4', '8.64', '77.76'],
      ['FY202405060002', '-43.2', '8.64', '77.76'],
    ]);
    expect(answer[0]!.overlmt_amt).toBeUndefined();
    expect(answer[1]!.pric).toBe('43.2');
    // One line as an object, nothing as no lines.
    expect(parseOutput('5204', line)).toHaveLength(1);
    expect(parseOutput('5204', null)).toEqual([]);
  });

  it('5204: a file reference instead of lines (the 9102 text allows it, never seen) is unreadable, not guessed at', () => {
    const reading = readOutput('5204', { file_qury_no: 'fsi/dl/1', filename: '5204.txt.zip' });
    expect(reading.readable).toBe(false);
  });

  it('5206 reads each yearly total to the fen, given as a number or a string', () => {
    const answer = parseOutput('5206', {
      cuminfo: [
        { insutype: 310, year: 2024, cum_ym: '', cum_type_code: 'Q0000', cum: 800 },
        { insutype: '310', year: '2024', cum_type_code: 'S0000', cum: '12345.67' },
        { insutype: '310', year: '2024', cum_type_code: 'J0000', cum: 8859.94 },
      ],
    });
    expect(answer.cuminfo.map((row) => [row.insutype, row.year, row.cum_type_code, row.cum])).toEqual([
      ['310', '2024', 'Q0000', '800'],
      ['310', '2024', 'S0000', '12345.67'],
      ['310', '2024', 'J0000', '8859.94'],
    ]);
    expect(answer.cuminfo[0]!.cum_ym).toBeUndefined();
  });

  it('5206 cannot read a total without its amount or its 累计类别', () => {
    expect(
      readOutput('5206', { cuminfo: [{ insutype: '310', year: '2024', cum_type_code: 'Q0000', cum: '' }] }),
    ).toEqual({
      readable: false,
      problems: [{ field: 'cuminfo[0].cum', problem: 'is required' }],
    });
    expect(readOutput('5206', { cuminfo: { insutype: '310', year: '2024', cum: 1 } })).toEqual({
      readable: false,
      problems: [{ field: 'cuminfo[0].cum_type_code', problem: 'is required' }],
    });
  });

  it('5205 / 5301 / 5302 / 5304 read one row as an object, numbers as strings, optional fields empty', () => {
    const drug = firstRow(INTERFACE_EXAMPLES['5205'].output.feedetail);
    expect(
      parseOutput('5205', { feedetail: { ...drug, cnt: 30, pric: 1.25, fixmedins_name: '' } }).feedetail,
    ).toEqual([expect.objectContaining({ feedetl_sn: 'MZ202404100001', cnt: '30', pric: '1.25' })]);
    expect(
      parseOutput('5301', { feedetail: { opsp_dise_code: 'M03900', opsp_dise_name: '', enddate: null } }),
    ).toEqual({
      feedetail: [{ opsp_dise_code: 'M03900' }],
    });
    expect(
      parseOutput('5302', { psnfixmedin: [{ fixmedins_code: 'H42010200123', fix_srt_no: 1 }] }).psnfixmedin,
    ).toEqual([{ fixmedins_code: 'H42010200123', fix_srt_no: '1' }]);
    expect(
      parseOutput('5304', { refmedin: { psn_no: 'P1', refl_date: '2024-05-16', hosp_agre_refl_flag: 1 } })
        .refmedin,
    ).toEqual([{ psn_no: 'P1', refl_date: '2024-05-16', hosp_agre_refl_flag: '1' }]);
  });

  it('4103 reads the stored list with its money as decimal strings, every child node as a list or an object', () => {
    const { setlinfo, payinfo } = INTERFACE_EXAMPLES['4103'].output;
    const answer = parseOutput('4103', {
      setlinfo: [{ ...setlinfo, psn_cashpay: '2485.73', acct_payamt: 1000, stas_type: 0, chk_cont: '' }],
      payinfo: firstRow(payinfo),
      iteminfo: { med_chrgitm_type: '09', item_sumamt: '12345.67' },
      icuinfo: null,
    });
    expect(answer.setlinfo).toMatchObject({
      setl_id: setlinfo.setl_id,
      psn_cashpay: '2485.73',
      acct_payamt: '1000',
      stas_type: '0',
    });
    expect(answer.setlinfo.chk_cont).toBeUndefined();
    expect(answer.payinfo).toEqual([{ fund_pay_type: '310100', fund_payamt: '8859.94' }]);
    expect(answer.iteminfo).toEqual([{ med_chrgitm_type: '09', item_sumamt: '12345.67' }]);
    expect([answer.icuinfo, answer.oprninfo, answer.bldinfo]).toEqual([[], [], []]);
  });

  it('4103 cannot read a list without its setl_id', () => {
    const { setl_id: _setl_id, ...withoutKey } = INTERFACE_EXAMPLES['4103'].output.setlinfo;
    expect(readOutput('4103', { setlinfo: withoutKey })).toEqual({
      readable: false,
      problems: [{ field: 'setlinfo.setl_id', problem: 'is required' }],
    });
  });
});
