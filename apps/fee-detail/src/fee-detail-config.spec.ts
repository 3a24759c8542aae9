import { feeDetailConfigFromEnv } from './fee-detail-config';

describe('feeDetailConfigFromEnv', () => {
  it('defaults to batches of 50 and the hospital’s own area for local patients', () => {
    expect(feeDetailConfigFromEnv({ NHSA_MDTRTAREA_ADMVS: '420100' })).toEqual({
      batchSize: 50,
      localInsuplcAdmdvs: '420100',
    });
  });

  it('reads the batch size and the local area', () => {
    expect(
      feeDetailConfigFromEnv({
        NHSA_MDTRTAREA_ADMVS: '420100',
        FEE_DETAIL_BATCH_SIZE: '100',
        FEE_DETAIL_LOCAL_INSUPLC_ADMDVS: '420102',
      }),
    ).toEqual({ batchSize: 100, localInsuplcAdmdvs: '420102' });
  });

  it('names the variable that is wrong', () => {
    expect(() =>
      feeDetailConfigFromEnv({ NHSA_MDTRTAREA_ADMVS: '420100', FEE_DETAIL_BATCH_SIZE: '0' }),
    ).toThrow('FEE_DETAIL_BATCH_SIZE must be at least 1');
    expect(() => feeDetailConfigFromEnv({})).toThrow('NHSA_MDTRTAREA_ADMVS is required');
  });
});
