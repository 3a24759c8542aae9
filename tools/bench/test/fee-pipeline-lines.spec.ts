import { FeeLineTimes } from '../src/fee-pipeline-lines';

describe('fee line times', () => {
  it('counts the charged lines acknowledged from a time on, and the last one’s time', () => {
    const times = new FeeLineTimes();
    times.charged('ZY1', ['1', '2', '3'], 0);
    times.acknowledged('ZY1', ['1'], 100);
    times.acknowledged('ZY1', ['2'], 200);
    times.acknowledged('ZY1', ['3'], 300);
    // A line no HIS message charged is not counted, however late.
    times.acknowledged('ZY2', ['9'], 400);
    expect(times.acknowledgedFrom(150)).toEqual({ count: 2, lastAtMs: 300 });
    expect(times.acknowledgedFrom(0)).toEqual({ count: 3, lastAtMs: 300 });
    expect(times.acknowledgedFrom(301).count).toBe(0);
    expect(times.acknowledgedFrom(301).lastAtMs).toBeNaN();
  });
});
