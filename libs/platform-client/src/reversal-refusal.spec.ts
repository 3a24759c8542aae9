import { reversalRefusalMeaning, reversalVerdict } from './reversal-refusal';

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

describe('reversalVerdict', () => {
  it('given a 2601 that reversed the original, when judged, then the original was not applied', () => {
    expect(reversalVerdict('REVERSED')).toBe('not-applied');
  });

  it('given a 2601 refused as never received or already reversed, when judged, then the original was not applied', () => {
    expect(reversalVerdict('REVERSAL_REFUSED', '未找到原交易报文ID[H1]的交易记录')).toBe('not-applied');
    expect(reversalVerdict('REVERSAL_REFUSED', '原交易报文ID[H1]已冲正，不能重复冲正')).toBe('not-applied');
  });

  it('given a 2601 that got no answer, when judged, then it is asked again (silence is not an answer)', () => {
    expect(reversalVerdict('UNKNOWN')).toBe('unanswered');
    expect(reversalVerdict('UNKNOWN', 'timeout: no answer within 3000 ms')).toBe('unanswered');
  });

  it('given any other refusal, when judged, then a person must look', () => {
    expect(reversalVerdict('REVERSAL_REFUSED', '人员编号[P1]与原交易人员编号不一致')).toBe('needs-person');
    expect(reversalVerdict('REVERSAL_REFUSED', undefined)).toBe('needs-person');
  });
});
