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
        { line: 3, field: 'row', message: '4 cells, the header has 3' },
        { line: 4, field: 'fixmedins_hilist_name', message: 'must not hold control characters' },
        { line: 5, field: 'fixmedins_hilist_id', message: 'also on line 2' },
      ],
    });
    // A line break inside a quoted name is read as one cell, and refused: no item name needs one.
    expect(
      parseItemCsv('fixmedins_hilist_id,fixmedins_hilist_name,list_type\nA1,"两\n行",101').errors,
    ).toEqual([{ line: 2, field: 'fixmedins_hilist_name', message: 'must not hold control characters' }]);
    expect(parseItemCsv('fixmedins_hilist_id,fixmedins_hilist_name,list_type\n').errors).toEqual([
      { line: 2, field: 'row', message: 'no item in the file' },
    ]);
    expect(parseItemCsv('code,fixmedins_hilist_name\nx,y').errors[0]).toMatchObject({
      line: 1,
      field: 'header',
    });
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
