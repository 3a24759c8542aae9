import { simOptionsFromEnv, SimConfigError } from './sim-config';

describe('simOptionsFromEnv', () => {
  it('defaults to 127.0.0.1:8780, no gateway, sign-in required', () => {
    expect(simOptionsFromEnv({})).toMatchObject({
      host: '127.0.0.1',
      port: 8780,
      admdvs: '420000',
      gateway: { kind: 'none' },
      requireSignIn: true,
      enrolUnknownPersons: false,
      hospitalBearsOverlimit: false,
      refuseCodesOutsideCatalogue: true,
      faults: [],
    });
    expect(
      simOptionsFromEnv({ PLATFORM_SIM_REFUSE_UNKNOWN_CODES: 'false' }).refuseCodesOutsideCatalogue,
    ).toBe(false);
  });

  it('reads the gateway, keys and faults', () => {
    const options = simOptionsFromEnv({
      PLATFORM_SIM_PORT: '0',
      PLATFORM_SIM_GATEWAY: 'tif',
      PLATFORM_SIM_TIF_PAASID: 'paas',
      PLATFORM_SIM_TIF_TOKEN: 'token',
      PLATFORM_SIM_SM4_KEY: '0123456789abcdef',
      PLATFORM_SIM_FAULTS: '[{"infno":"2304","mode":"timeout-after-apply","times":1}]',
    });
    expect(options).toMatchObject({
      port: 0,
      gateway: { kind: 'tif', paasid: 'paas', token: 'token' },
      crypto: { sm4Key: '0123456789abcdef' },
      faults: [{ infno: '2304', mode: 'timeout-after-apply', times: 1 }],
    });
  });

  it('enrols unknown persons only when PLATFORM_SIM_ENROL_UNKNOWN is true', () => {
    expect(simOptionsFromEnv({ PLATFORM_SIM_ENROL_UNKNOWN: 'true' }).enrolUnknownPersons).toBe(true);
    expect(simOptionsFromEnv({ PLATFORM_SIM_ENROL_UNKNOWN: 'false' }).enrolUnknownPersons).toBe(false);
    expect(simOptionsFromEnv({ PLATFORM_SIM_HOSPITAL_BEARS_OVERLIMIT: 'true' }).hospitalBearsOverlimit).toBe(
      true,
    );
    expect(() => simOptionsFromEnv({ PLATFORM_SIM_ENROL_UNKNOWN: 'yes' })).toThrow(
      new SimConfigError('PLATFORM_SIM_ENROL_UNKNOWN', 'must be true or false'),
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => simOptionsFromEnv({ PLATFORM_SIM_GATEWAY: 'tif' })).toThrow(
      new SimConfigError('PLATFORM_SIM_TIF_PAASID', 'is required for this gateway'),
    );
    expect(() => simOptionsFromEnv({ PLATFORM_SIM_PORT: 'eighty' })).toThrow(/PLATFORM_SIM_PORT/);
    expect(() => simOptionsFromEnv({ PLATFORM_SIM_FAULTS: '[{"infno":"2304","mode":"boom"}]' })).toThrow(
      /PLATFORM_SIM_FAULTS: 0.mode/,
    );
  });
});
