import { ServiceConfigError } from '@yb/service-runtime';
import { admissionConfigFromEnv } from './admission-config';

describe('admission configuration', () => {
  it('checks entitlement (2001) by default, as Hubei opens it', () => {
    expect(admissionConfigFromEnv({})).toEqual({ entitlementCheck: true });
    expect(admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: '' })).toEqual({ entitlementCheck: true });
  });

  it('turns the check on or off with true or false', () => {
    expect(admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'true' })).toEqual({
      entitlementCheck: true,
    });
    expect(admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'false' })).toEqual({
      entitlementCheck: false,
    });
  });

  it('refuses any other value, naming the variable', () => {
    expect(() => admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'no' })).toThrow(ServiceConfigError);
    expect(() => admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'no' })).toThrow(
      /ADMISSION_ELIGIBILITY_CHECK must be true or false/,
    );
  });
});
