import { retryDelayMs, validateRetryPolicy } from './retry-policy';

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };
  it('doubles from the initial delay up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(policy, a, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(policy, a, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
  it('refuses a policy without a bound', () => {
    expect(() => validateRetryPolicy({ ...policy, maxAttempts: 0 })).toThrow(
      'retry.maxAttempts must be an integer ≥ 1, got 0',
    );
  });
});
