import { dictionaryProblems, extendDictionary } from './dictionaries';

describe('dictionaryProblems: the codes an admission names that no list holds', () => {
  it('names each field whose code its dictionary lacks, and nothing for absent, empty or other fields', () => {
    expect(
      dictionaryProblems({ med_type: '21', insutype: '310', ipt_no: 'ZY1', dise_codg: '', gend: undefined }),
    ).toEqual([]);
    const problems = dictionaryProblems({ med_type: '2199', insutype: '777', mdtrt_cert_type: '02' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^med_type "2199" is not a code of dictionary med_type 医疗类别 \(11, 12/);
    expect(problems[1]).toMatch(/^insutype "777" is not a code of dictionary insutype 险种类型/);
  });

  it('accepts a code once the region adds it', () => {
    expect(dictionaryProblems({ med_type: '2198' })).toHaveLength(1);
    extendDictionary('med_type', ['2198']);
    expect(dictionaryProblems({ med_type: '2198' })).toEqual([]);
  });
});
