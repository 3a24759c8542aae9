import { shanghaiDate, shanghaiDateTime, shanghaiSecondStamp } from './shanghai-time';

describe('Asia/Shanghai timestamps', () => {
  it('formats UTC instants as Beijing time, across the date line of UTC+8', () => {
    const at = new Date('2026-03-31T16:05:09.999Z');
    expect(shanghaiSecondStamp(at)).toBe('20260401000509');
    expect(shanghaiDateTime(at)).toBe('2026-04-01 00:05:09');
    expect(shanghaiDate(at)).toBe('2026-04-01');
  });
});
