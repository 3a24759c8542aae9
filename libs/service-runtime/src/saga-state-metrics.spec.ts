import { SagaStateMetrics } from './saga-state-metrics';

describe('SagaStateMetrics', () => {
  it('reads every registered saga and reports the one whose count failed', async () => {
    const sagas = new SagaStateMetrics()
      .register('discharge-settlement', async () => ({ AWAITING_AUDIT: 2, SETTLED: 5 }))
      .register('report-upload', () => Promise.reject(new Error('relation does not exist')));
    const { counts, failed } = await sagas.read();
    expect(counts).toEqual([
      { saga: 'discharge-settlement', state: 'AWAITING_AUDIT', count: 2 },
      { saga: 'discharge-settlement', state: 'SETTLED', count: 5 },
    ]);
    expect(failed).toEqual([{ saga: 'report-upload', error: new Error('relation does not exist') }]);
  });

  it('refuses a second source for one saga', () => {
    const sagas = new SagaStateMetrics().register('discharge-settlement', async () => ({}));
    expect(() => sagas.register('discharge-settlement', async () => ({}))).toThrow(/already registers/);
  });
});
