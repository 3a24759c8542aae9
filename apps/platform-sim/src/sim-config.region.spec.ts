import { UNIFIED_PATH } from '@yb/platform-client';
import { LedgerTestKit, PSN_NO } from './ledger/ledger-test-kit';
import { PlatformExchange } from './platform/platform-exchange';
import {
  DEFAULT_SIM_OPTIONS,
  REGION_PROFILES,
  SimConfigError,
  simOptionsFromEnv,
  type PlatformSimOptions,
} from './sim-config';

describe('region profiles', () => {
  it('given no region, the sandbox plays Hubei: no gateway headers, sign-in and insuplc_admdvs required', () => {
    expect(simOptionsFromEnv({})).toMatchObject({
      region: 'hubei',
      gateway: { kind: 'none' },
      requireSignIn: true,
      enforceInsuplcAdmdvs: true,
    });
  });

  it('given a region, its gateway scheme applies with the scheme’s own credentials', () => {
    const hebei = simOptionsFromEnv({
      PLATFORM_SIM_REGION: 'hebei',
      PLATFORM_SIM_TIF_PAASID: 'paas',
      PLATFORM_SIM_TIF_TOKEN: 'token',
    });
    expect(hebei).toMatchObject({
      region: 'hebei',
      gateway: { kind: 'tif', paasid: 'paas', token: 'token' },
    });
    expect(() => simOptionsFromEnv({ PLATFORM_SIM_REGION: 'zhejiang' })).toThrow(
      new SimConfigError('PLATFORM_SIM_ZJ_KEY', 'is required for this gateway'),
    );
  });

  it('given the existing variables, each field of the profile is overridden', () => {
    expect(
      simOptionsFromEnv({
        PLATFORM_SIM_REGION: 'hebei',
        PLATFORM_SIM_GATEWAY: 'none',
        PLATFORM_SIM_REQUIRE_SIGN_IN: 'false',
        PLATFORM_SIM_ENFORCE_INSUPLC: 'false',
      }),
    ).toMatchObject({
      region: 'hebei',
      gateway: { kind: 'none' },
      requireSignIn: false,
      enforceInsuplcAdmdvs: false,
    });
  });

  it('given an unknown region, the variable is named with the regions there are', () => {
    expect(() => simOptionsFromEnv({ PLATFORM_SIM_REGION: 'mars' })).toThrow(
      new SimConfigError(
        'PLATFORM_SIM_REGION',
        `"mars" is not one of ${Object.keys(REGION_PROFILES).join(', ')}`,
      ),
    );
  });

  describe('insuplc_admdvs at the front door', () => {
    /** The exchange's verdict on a 2302 for the example person, with or without insuplc_admdvs. */
    function received(enforceInsuplcAdmdvs: boolean, insuplc_admdvs: string) {
      const options = { ...DEFAULT_SIM_OPTIONS, enforceInsuplcAdmdvs } as PlatformSimOptions;
      const exchange = new PlatformExchange(options, new LedgerTestKit().ledger);
      const body = JSON.stringify({
        infno: '2302',
        msgid: 'H42010200123202405150930990001',
        mdtrtarea_admvs: '420100',
        insuplc_admdvs,
        recer_sys_code: 'YBXT',
        infver: 'V1.0',
        opter_type: '1',
        opter: 'OP001',
        opter_name: '张收费',
        inf_time: '2024-05-15 09:30:00',
        fixmedins_code: 'H42010200123',
        fixmedins_name: '武汉市某某医院',
        input: { data: { feedetl_sn: '0000', mdtrt_id: '420100202405061234567890', psn_no: PSN_NO } },
      });
      return exchange.receive(UNIFIED_PATH, {}, body);
    }

    it('when the region enforces it, a call about a person without it is refused', () => {
      const refused = received(true, '');
      expect(refused.kind).toBe('refused');
      expect(refused.kind === 'refused' && refused.envelope.err_msg).toContain(
        '参保地医保区划[insuplc_admdvs]不能为空',
      );
    });

    it('when the region does not, the call goes on to the ledger (the person’s own area)', () => {
      expect(received(false, '')).toMatchObject({
        kind: 'transaction',
        request: { insuplc_admdvs: undefined },
      });
    });
  });
});
