import { feeDetailConfigFromEnv } from './fee-detail-config';

describe('feeDetailConfigFromEnv', () => {
  it('defaults to batches of 50 gathered for 50 ms, 32 visits uploaded at once, and ledgers of 5,000 visits holding 20,000 events in memory', () => {
    expect(feeDetailConfigFromEnv({})).toEqual({
      batchSize: 50,
      ledgerCache: { visits: 5_000, events: 20_000 },
      uploadConcurrency: 32,
      coalesceMs: 50,
    });
  });

  it('reads the uploads at once and the coalescing delay', () => {
    expect(feeDetailConfigFromEnv({ FEE_DETAIL_UPLOAD_CONCURRENCY: '24' }).uploadConcurrency).toBe(24);
    expect(() => feeDetailConfigFromEnv({ FEE_DETAIL_UPLOAD_CONCURRENCY: '0' })).toThrow(
      'FEE_DETAIL_UPLOAD_CONCURRENCY must be at least 1',
    );
    // Not tied to DATABASE_POOL_SIZE (no connection is held while the platform answers), but bounded.
    expect(feeDetailConfigFromEnv({ FEE_DETAIL_UPLOAD_CONCURRENCY: '200' }).uploadConcurrency).toBe(200);
    expect(() => feeDetailConfigFromEnv({ FEE_DETAIL_UPLOAD_CONCURRENCY: '201' })).toThrow(
      'FEE_DETAIL_UPLOAD_CONCURRENCY must be at most 200',
    );
    expect(() => feeDetailConfigFromEnv({ FEE_DETAIL_COALESCE_MS: '-5' })).toThrow(
      'FEE_DETAIL_COALESCE_MS must be at least 0',
    );
  });

  it('reads the ledger cache bounds', () => {
    expect(
      feeDetailConfigFromEnv({ FEE_DETAIL_LEDGER_CACHE_VISITS: '100', FEE_DETAIL_LEDGER_CACHE_EVENTS: '0' })
        .ledgerCache,
    ).toEqual({ visits: 100, events: 0 });
    expect(() => feeDetailConfigFromEnv({ FEE_DETAIL_LEDGER_CACHE_EVENTS: '-1' })).toThrow(
      'FEE_DETAIL_LEDGER_CACHE_EVENTS must be at least 0',
    );
  });

  it('reads the batch size, and no default insured area (each visit has its own)', () => {
    expect(
      feeDetailConfigFromEnv({ FEE_DETAIL_BATCH_SIZE: '100', FEE_DETAIL_LOCAL_INSUPLC_ADMDVS: '420102' }),
    ).toMatchObject({ batchSize: 100 });
  });

  it('names the variable that is wrong', () => {
    expect(() => feeDetailConfigFromEnv({ FEE_DETAIL_BATCH_SIZE: '0' })).toThrow(
      'FEE_DETAIL_BATCH_SIZE must be at least 1',
    );
  });
});
