import { reversalRefusalMeaning } from './reversal-refusal';

describe('reversalRefusalMeaning', () => {
  it('reads "never received" as: the original was not applied', () => {
    expect(
      reversalRefusalMeaning('冲正失败：未找到原交易报文ID[H42010200123202612030900000001]的交易记录'),
    ).toBe('original-never-received');
    expect(reversalRefusalMeaning('原交易不存在')).toBe('original-never-received');
  });

  it('reads "already reversed" as reversed', () => {
    expect(reversalRefusalMeaning('原交易报文ID[H42010200123202612030900000001]已冲正，不能重复冲正')).toBe(
      'already-reversed',
    );
  });

  it('leaves anything else to a person', () => {
    expect(reversalRefusalMeaning('人员编号[P1]与原交易人员编号不一致')).toBe('other');
    expect(reversalRefusalMeaning(undefined)).toBe('other');
    expect(reversalRefusalMeaning('')).toBe('other');
  });
});
