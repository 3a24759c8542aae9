import {
  datetime,
  date,
  inputRefusal,
  node,
  num,
  requiredNode,
  str,
  Y,
  anything,
  type InterfaceRules,
} from './rule-engine';

const RULES: InterfaceRules = {
  info: requiredNode({
    psn_no: Y(str(30)),
    psn_name: str(4),
    insutype: str(6, ['310', '390']),
    sumamt: num(16, 2),
    days: num(2),
    begntime: datetime(),
    brdy: date(),
    exp_content: anything(),
  }),
  rows: node(
    { code: Y(str(10)) },
    {
      children: { items: requiredNode({ amt: Y(num(4, 2)) }) },
      rowCheck: (row, at) => (row['code'] === 'X' && !row['why'] ? `入参[${at('why')}]不能为空` : undefined),
    },
  ),
};

const valid = (info: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  info: { psn_no: 'P1', ...info },
  ...extra,
});

describe('the rule engine', () => {
  describe('given an input that names every required field', () => {
    it('then it is accepted, whatever unknown fields come with it', () => {
      expect(inputRefusal(RULES, valid({ dscgTime: '2024-05-15', local_flag: { any: 1 } }))).toBeUndefined();
    });

    it('then "" and null stand for "not given" in optional fields', () => {
      expect(
        inputRefusal(RULES, valid({ psn_name: '', insutype: null, sumamt: '', begntime: null })),
      ).toBeUndefined();
    });
  });

  describe('when a required field is missing, "" or null', () => {
    it.each([undefined, '', null])('then it is refused naming the field (%p)', (value) => {
      expect(inputRefusal(RULES, { info: { psn_no: value } })).toBe('入参[info.psn_no]不能为空');
    });
  });

  describe('when a node', () => {
    it('is missing or empty and required, then the node is named', () => {
      expect(inputRefusal(RULES, {})).toBe('入参节点[info]不能为空');
      expect(inputRefusal(RULES, { info: [] })).toBe('入参节点[info]不能为空');
    });

    it('comes as a list instead of an object (or the reverse), then it is accepted either way', () => {
      expect(inputRefusal(RULES, { info: [{ psn_no: 'P1' }] })).toBeUndefined();
      expect(inputRefusal(RULES, valid({}, { rows: { code: 'A', items: { amt: 1 } } }))).toBeUndefined();
    });

    it('comes as a list, then a refusal names the row', () => {
      expect(inputRefusal(RULES, { info: [{ psn_no: 'P1' }, { psn_no: '' }] })).toBe(
        '入参[info[1].psn_no]不能为空',
      );
    });

    it('holds something other than rows, then it is refused as malformed', () => {
      expect(inputRefusal(RULES, { info: ['P1'] })).toBe('入参节点[info[0]]格式错误');
    });

    it('has a nested node, then its rows are checked with the full path', () => {
      expect(
        inputRefusal(RULES, valid({}, { rows: [{ code: 'A', items: [{ amt: '1.5' }, { amt: 'x' }] }] })),
      ).toBe('入参[rows[0].items[1].amt]不是有效数字：x');
      expect(inputRefusal(RULES, valid({}, { rows: [{ code: 'A' }] }))).toBe(
        '入参节点[rows[0].items]不能为空',
      );
    });

    it('has a rule across its fields, then that rule refuses the row', () => {
      expect(inputRefusal(RULES, valid({}, { rows: { code: 'X', items: { amt: 1 } } }))).toBe(
        '入参[rows.why]不能为空',
      );
    });
  });

  describe('text fields', () => {
    it('refuses a text longer than its limit, counting characters', () => {
      expect(inputRefusal(RULES, valid({ psn_name: '欧阳小明' }))).toBeUndefined();
      expect(inputRefusal(RULES, valid({ psn_name: '欧阳小明明' }))).toBe(
        '入参[info.psn_name]长度不能超过4位',
      );
    });

    it('refuses a code outside its dictionary', () => {
      expect(inputRefusal(RULES, valid({ insutype: '999' }))).toBe(
        '入参[info.insutype]取值[999]不在字典范围内',
      );
    });

    it('takes a number for text, as the platform does, and refuses an object', () => {
      expect(inputRefusal(RULES, valid({ insutype: 310 }))).toBeUndefined();
      expect(inputRefusal(RULES, valid({ psn_name: { first: 'A' } }))).toBe('入参[info.psn_name]格式错误');
    });
  });

  describe('numbers', () => {
    it.each([86.4, '86.40', '86.4', 0, '-12.50', '100.000'])(
      'accepts %p (JSON number or numeric string)',
      (v) => {
        expect(inputRefusal(RULES, valid({ sumamt: v }))).toBeUndefined();
      },
    );

    it('refuses what is not a number', () => {
      expect(inputRefusal(RULES, valid({ sumamt: '86,40' }))).toBe('入参[info.sumamt]不是有效数字：86,40');
    });

    it('refuses more decimals or integer digits than the field holds', () => {
      expect(inputRefusal(RULES, valid({ sumamt: 0.1 + 0.2 }))).toBe('入参[info.sumamt]小数位数不能超过2位');
      expect(inputRefusal(RULES, valid({ sumamt: '123456789012345' }))).toBe(
        '入参[info.sumamt]整数位数不能超过14位',
      );
      expect(inputRefusal(RULES, valid({ days: '100' }))).toBe('入参[info.days]整数位数不能超过2位');
      expect(inputRefusal(RULES, valid({ days: '1.5' }))).toBe('入参[info.days]小数位数不能超过0位');
    });
  });

  describe('dates', () => {
    it('accepts the platform formats and refuses others', () => {
      expect(
        inputRefusal(RULES, valid({ begntime: '2024-05-06 09:12:00', brdy: '1980-01-01' })),
      ).toBeUndefined();
      expect(inputRefusal(RULES, valid({ begntime: '2024-05-06' }))).toBe(
        '入参[info.begntime]格式错误，应为yyyy-MM-dd HH:mm:ss：2024-05-06',
      );
      expect(inputRefusal(RULES, valid({ brdy: '19800101' }))).toBe(
        '入参[info.brdy]格式错误，应为yyyy-MM-dd：19800101',
      );
    });
  });

  it('lets free content (exp_content) through as it comes', () => {
    expect(inputRefusal(RULES, valid({ exp_content: { local_dise: '' } }))).toBeUndefined();
  });
});
