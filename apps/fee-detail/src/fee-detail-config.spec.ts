import { feeDetailConfigFromEnv } from './fee-detail-config';

describe('feeDetailConfigFromEnv', () => {
  it('defaults to batches of 50', () => {
    expect(feeDetailConfigFromEnv({})).toEqual({ batchSize: 50 });
  });

  it('reads the batch size, and no default insured area (each visit has its own)', () => {
    expect(
      feeDetailConfigFromEnv({ FEE_DETAIL_BATCH_SIZE: '100', FEE_DETAIL_LOCAL_INSUPLC_ADMDVS: '420102' }),
    ).toEqual({ batchSize: 100 });
  });

  it('names the variable that is wrong', () => {
    expect(() => feeDetailConfigFromEnv({ FEE_DETAIL_BATCH_SIZE: '0' })).toThrow(
      'FEE_DETAIL_BATCH_SIZE must be at least 1',
    );
  });
});
