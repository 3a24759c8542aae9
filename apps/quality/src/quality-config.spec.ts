import { qualityConfigFromEnv } from './quality-config';

describe('quality configuration', () => {
  it('defaults: every severity blocks, 60 s deadline, settlement waits when the audit is unavailable', () => {
    expect(qualityConfigFromEnv({})).toEqual({
      policy: {
        blockingSevDeg: ['1', '2'],
        blockingRuleIds: [],
        deadlineMs: 60_000,
        retryInitialMs: 1_000,
        retryMaxMs: 15_000,
        proceedWhenUnavailable: false,
      },
      sweepIntervalMs: 15_000,
      concurrentVisits: 4,
    });
  });

  it('reads the policy from the environment', () => {
    const config = qualityConfigFromEnv({
      QUALITY_BLOCKING_SEV_DEG: 'none',
      QUALITY_BLOCKING_RULE_IDS: 'SIM-R001,SIM-R002',
      QUALITY_AUDIT_DEADLINE_MS: '5000',
      QUALITY_PROCEED_WHEN_UNAVAILABLE: 'true',
    });
    expect(config.policy).toMatchObject({
      blockingSevDeg: [],
      blockingRuleIds: ['SIM-R001', 'SIM-R002'],
      deadlineMs: 5_000,
      proceedWhenUnavailable: true,
    });
  });

  it.each([
    [{ QUALITY_AUDIT_DEADLINE_MS: 'soon' }, /QUALITY_AUDIT_DEADLINE_MS must be a number/],
    [{ QUALITY_PROCEED_WHEN_UNAVAILABLE: 'yes' }, /QUALITY_PROCEED_WHEN_UNAVAILABLE must be true or false/],
    [{ QUALITY_BLOCKING_SEV_DEG: '1, 2' }, /QUALITY_BLOCKING_SEV_DEG must be a comma-separated list/],
    [{ QUALITY_RETRY_INITIAL_MS: '5000', QUALITY_RETRY_MAX_MS: '1000' }, /QUALITY_RETRY_MAX_MS/],
    [{ QUALITY_CONCURRENT_VISITS: '20' }, /QUALITY_CONCURRENT_VISITS must be at most 8/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => qualityConfigFromEnv(env)).toThrow(message);
  });
});
