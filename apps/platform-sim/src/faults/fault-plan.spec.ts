import { FaultPlan, FaultSpecError, parseFaultSpec } from './fault-plan';

describe('FaultPlan', () => {
  it('hits the armed infno only, counting `times` down and then letting calls through', () => {
    const plan = new FaultPlan();
    plan.arm(parseFaultSpec({ infno: '2304', mode: 'http-5xx', times: 2 }));
    expect(plan.take('2401')).toBeUndefined();
    expect(plan.take('2304')).toEqual({ infno: '2304', mode: 'http-5xx', times: 2 });
    expect(plan.take('2304')?.mode).toBe('http-5xx');
    expect(plan.take('2304')).toBeUndefined();
  });

  it('keeps a fault without `times` until it is cleared', () => {
    const plan = new FaultPlan();
    plan.arm(parseFaultSpec({ infno: '2401', mode: 'reject', errMsg: '系统维护中' }));
    plan.arm(parseFaultSpec({ infno: '2304', mode: 'connection-reset' }));
    expect([plan.take('2401'), plan.take('2401')].map((f) => f?.errMsg)).toEqual([
      '系统维护中',
      '系统维护中',
    ]);
    plan.clear('2401');
    expect(plan.list().map((f) => f.infno)).toEqual(['2304']);
    plan.clear();
    expect(plan.list()).toEqual([]);
  });

  it('names the wrong field of a fault spec', () => {
    expect(() => parseFaultSpec({ infno: '2401', mode: 'latency' })).toThrow(
      new FaultSpecError('latencyMs', 'latency needs latencyMs'),
    );
    expect(() => parseFaultSpec({ infno: '24', mode: 'reject' })).toThrow(/fault infno: must be an infno/);
    expect(() => parseFaultSpec({ infno: '2401', mode: 'reject', times: 0 })).toThrow(/fault times/);
  });

  it('hits only the calls naming its visit when given one (mdtrt_id at any depth)', () => {
    const plan = new FaultPlan();
    plan.arm(parseFaultSpec({ infno: '4401', mode: 'reject', times: 1, errMsg: 'x', mdtrtId: 'M2' }));
    expect(plan.take('4401', { baseinfo: { mdtrt_id: 'M1' } })).toBeUndefined();
    expect(plan.take('4401', { data: [{ mdtrt_id: 'M2' }] })).toMatchObject({ mode: 'reject' });
    expect(plan.take('4401', { baseinfo: { mdtrt_id: 'M2' } })).toBeUndefined();
  });
});
