import { ServiceConfigError } from '@yb/service-runtime';
import { admissionConfigFromEnv } from './admission-config';

describe('admission configuration', () => {
  it('checks entitlement (2001) by default, as Hubei opens it', () => {
    expect(admissionConfigFromEnv({})).toMatchObject({ entitlementCheck: true });
    expect(admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: '' })).toMatchObject({
      entitlementCheck: true,
    });
  });

  it('turns the check on or off with true or false', () => {
    expect(admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'true' })).toMatchObject({
      entitlementCheck: true,
    });
    expect(admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'false' })).toMatchObject({
      entitlementCheck: false,
    });
  });

  it("sends 32 visits' requests at a time unless told otherwise, from 1 to 200", () => {
    expect(admissionConfigFromEnv({}).platformConcurrency).toBe(32);
    expect(admissionConfigFromEnv({ ADMISSION_PLATFORM_CONCURRENCY: '200' }).platformConcurrency).toBe(200);
    for (const refused of ['0', '201', '1.5'])
      expect(() => admissionConfigFromEnv({ ADMISSION_PLATFORM_CONCURRENCY: refused })).toThrow(
        /ADMISSION_PLATFORM_CONCURRENCY must be a whole number from 1 to 200/,
      );
  });

  it('refuses any other value, naming the variable', () => {
    expect(() => admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'no' })).toThrow(ServiceConfigError);
    expect(() => admissionConfigFromEnv({ ADMISSION_ELIGIBILITY_CHECK: 'no' })).toThrow(
      /ADMISSION_ELIGIBILITY_CHECK must be true or false/,
    );
  });
});
