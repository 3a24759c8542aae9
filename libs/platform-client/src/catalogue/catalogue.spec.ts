import {
  assertCallable,
  CATALOGUE,
  findInterface,
  InterfaceClosedError,
  InterfaceStatusUnknownError,
  MUST_VERIFY_BY_INSTITUTION_TYPE,
  requireInterface,
  UnknownInterfaceError,
} from './catalogue';

describe('catalogue entries', () => {
  it('2401 入院办理 is real-time, open in Hubei and reversible by 2601', () => {
    expect(requireInterface('2401')).toMatchObject({
      infno: '2401',
      name: '入院办理',
      callMode: 'realtime',
      openInHubei: true,
      reversibleBy2601: true,
      institutionTypes: ['定点医疗机构'],
      sources: ['national', 'hubei'],
    });
  });

  it('2301 fee upload is not reversible by 2601', () => {
    expect(requireInterface('2301').reversibleBy2601).toBe(false);
  });

  it('marks exactly the spec §3.10 transactions reversible', () => {
    const reversible = CATALOGUE.filter((entry) => entry.reversibleBy2601).map((entry) => entry.infno);
    expect(reversible.sort()).toEqual(['2102', '2103', '2207', '2208', '2304', '2305', '2401']);
  });

  it("4101A is Hubei's daily settlement list, found whatever the case of the suffix", () => {
    const entry = findInterface('4101a');
    expect(entry).toMatchObject({ infno: '4101A', callMode: 'daily', openInHubei: true, sources: ['hubei'] });
    expect(entry?.rawCodes).toEqual({ national: null, hubei: '4101a' });
    expect(findInterface(' 4101A ')).toBe(entry);
  });

  it("takes Hubei's name and keeps the national one where they differ", () => {
    expect(requireInterface('1901')).toMatchObject({ name: '字典表查询', nationalName: '字典表下载' });
  });

  it('leaves Hubei fields null for interfaces only the national catalogue lists', () => {
    expect(requireInterface('2181')).toMatchObject({
      callMode: null,
      openInHubei: null,
      institutionTypes: null,
      sources: ['national'],
    });
  });

  it('carries the must-verify counts per institution type', () => {
    expect(
      MUST_VERIFY_BY_INSTITUTION_TYPE.map(({ institutionType, count }) => [institutionType, count]),
    ).toEqual([
      ['药店（含特药药店）', 59],
      ['诊所/村卫生室', 59],
      ['一级医院', 115],
      ['二级及以上医院', 151],
    ]);
  });
});

describe('assertCallable', () => {
  it('returns the entry of an interface open in Hubei', () => {
    expect(assertCallable('2304').name).toBe('住院结算');
  });

  it('refuses an interface Hubei marks closed, naming it and the option that allows it', () => {
    expect(() => assertCallable('1301')).toThrow(InterfaceClosedError);
    expect(() => assertCallable('1301')).toThrow(
      /1301 西药中成药目录下载 is not open in Hubei.*allowClosedInHubei: true/,
    );
    expect(assertCallable('1301', { allowClosedInHubei: true }).infno).toBe('1301');
  });

  it('refuses an interface whose status in Hubei is unknown unless allowed', () => {
    expect(() => assertCallable('2181')).toThrow(InterfaceStatusUnknownError);
    expect(() => assertCallable('2181', { allowClosedInHubei: true })).toThrow(
      /not in Hubei's list.*allowUnknown/,
    );
    expect(assertCallable('2181', { allowUnknown: true }).name).toBe('冲正交易');
  });

  it('refuses an infno in neither seed', () => {
    expect(() => assertCallable('2999', { allowUnknown: true, allowClosedInHubei: true })).toThrow(
      UnknownInterfaceError,
    );
    expect(findInterface('2999')).toBeUndefined();
  });
});
