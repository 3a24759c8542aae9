import { itemsToCsv, parseItemCsv } from './item-csv';

describe('the item list as CSV', () => {
  it('reads quoted cells (commas, quotes), a BOM, CRLF or LF, columns in any order', () => {
    const text =
      '\uFEFFlist_type,fixmedins_hilist_id,fixmedins_hilist_name,pric\r\n' +
      '101,A1,"葡萄糖注射液, 5%",3.5\r\n' +
      '301,A2,"碘伏 ""大瓶"" 500ml",\n' +
      '\r\n';
    expect(parseItemCsv(text)).toEqual({
      items: [
        {
          fixmedins_hilist_id: 'A1',
          fixmedins_hilist_name: '葡萄糖注射液, 5%',
          list_type: '101',
          pric: '3.5',
        },
        { fixmedins_hilist_id: 'A2', fixmedins_hilist_name: '碘伏 "大瓶" 500ml', list_type: '301' },
      ],
      errors: [],
    });
  });

  it('gives nothing when any row is wrong, naming each by line and field', () => {
    const text = [
      'fixmedins_hilist_id,fixmedins_hilist_name,list_type',
      'A1,好的,101',
      'A2,短,101,多一格',
      'A3,坏\u0000名,101',
      'A1,重复,101',
    ].join('\n');
    expect(parseItemCsv(text)).toEqual({
      items: [],
      errors: [
        {
          line: 3,
          field: 'row',
          code: 'cell_count',
          params: { cells: 4, expected: 3 },
          message: '第 3 行：本行有 4 格，表头有 3 列',
        },
        {
          line: 4,
          field: 'fixmedins_hilist_name',
          column: 2,
          code: 'control_characters',
          params: {},
          message: '第 4 行 第 2 列（fixmedins_hilist_name）：不能含有控制字符（如换行、制表符）',
        },
        {
          line: 5,
          field: 'fixmedins_hilist_id',
          column: 1,
          code: 'duplicate',
          params: { first: 2 },
          message: '第 5 行 第 1 列（fixmedins_hilist_id）：项目编码与第 2 行重复',
        },
      ],
    });
    // A line break inside a quoted name is read as one cell, and refused: no item name needs one.
    expect(
      parseItemCsv('fixmedins_hilist_id,fixmedins_hilist_name,list_type\nA1,"两\n行",101').errors,
    ).toEqual([
      expect.objectContaining({ line: 2, field: 'fixmedins_hilist_name', code: 'control_characters' }),
    ]);
    expect(parseItemCsv('fixmedins_hilist_id,fixmedins_hilist_name,list_type\n').errors).toEqual([
      { line: 2, field: 'row', code: 'no_items', params: {}, message: '第 2 行：文件中没有任何项目' },
    ]);
    expect(parseItemCsv('code,fixmedins_hilist_name\nx,y').errors.map((e) => e.message)).toEqual([
      '第 1 行：表头有未知的列：code',
      '第 1 行：表头缺少必填列：fixmedins_hilist_id, list_type',
    ]);
  });

  it("words the contract's refusals in Chinese, naming the row and the column, never zod's English", () => {
    const text = [
      'list_type,fixmedins_hilist_id,fixmedins_hilist_name,pric',
      `101,${'A'.repeat(31)},名称,1`,
      '101,A2,,1',
      '999,A3,名称,1',
      '101,A4,名称,12.3456789',
    ].join('\n');
    const { errors } = parseItemCsv(text);
    expect(errors.map((e) => [e.line, e.column, e.field, e.code, e.params])).toEqual([
      [2, 2, 'fixmedins_hilist_id', 'too_long', { max: 30 }],
      [3, 3, 'fixmedins_hilist_name', 'required', {}],
      [4, 1, 'list_type', 'not_in_list', { allowed: '101, 102, 103, 104, 105, 201, 301' }],
      [5, 4, 'pric', 'not_decimal', { integer: 10, fraction: 6 }],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      '第 2 行 第 2 列（fixmedins_hilist_id）：不能超过 30 个字符',
      '第 3 行 第 3 列（fixmedins_hilist_name）：必填，不能为空',
      '第 4 行 第 1 列（list_type）：须为以下之一：101, 102, 103, 104, 105, 201, 301',
      '第 5 行 第 4 列（pric）：须为数字，整数最多 10 位、小数最多 6 位（如 12.5）',
    ]);
    for (const { message } of errors) expect(message).not.toMatch(/Required|Invalid|must|String|Expected/);
  });

  it('writes cells a spreadsheet opens as text, and reads its own file back', () => {
    const csv = itemsToCsv([
      { fixmedins_hilist_id: 'B1', fixmedins_hilist_name: '=cmd|"/c calc"!A1', list_type: '201', pric: '2' },
      {
        fixmedins_hilist_id: 'B2',
        fixmedins_hilist_name: '@SUM(1)',
        list_type: '101',
        mapping_status: 'mapped',
      },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain(`B1,"'=cmd|""/c calc""!A1",201,`);
    expect(parseItemCsv(csv).items.map((i) => i.fixmedins_hilist_name)).toEqual([
      '\'=cmd|"/c calc"!A1',
      "'@SUM(1)",
    ]);
  });
});
