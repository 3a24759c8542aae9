import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { platformClientConfigFromEnv } from './config';
import { generateSm2KeyPair } from './crypto/sm2';
import { PlatformConfigError } from './errors';

const env = {
  NHSA_BASE_URL: 'https://fsi.example:8080',
  NHSA_FIXMEDINS_CODE: 'H42010200001',
  NHSA_FIXMEDINS_NAME: '武汉测试医院',
  NHSA_MDTRTAREA_ADMVS: '420100',
  NHSA_OPTER_TYPE: '1',
  NHSA_OPTER: 'op01',
  NHSA_OPTER_NAME: '张收费',
  NHSA_SIGN_IN_IP: '10.0.0.1',
};

describe('platformClientConfigFromEnv', () => {
  it('reads the variables and applies the defaults', () => {
    const config = platformClientConfigFromEnv({
      ...env,
      NHSA_GATEWAY: 'tif',
      NHSA_TIF_PAASID: 'paas',
      NHSA_TIF_TOKEN: 'token',
      NHSA_CALL_POLICIES: '{"2304":{"timeoutMs":60000,"maxAttempts":2}}',
      NHSA_SIGN_IN_REQUIRED_PATTERN: '请先签到',
    });
    expect(config).toMatchObject({
      endpointMode: 'unified',
      recer_sys_code: 'YBXT',
      infver: 'V1.0',
      gateway: { kind: 'tif', paasid: 'paas', token: 'token' },
      callPolicies: { '2304': { timeoutMs: 60000, maxAttempts: 2 } },
      timeoutMs: 30000,
      msgidSchema: 'nhsa_msgid',
    });
    expect(config.signInRequiredPattern.test('签到编码为空，请先签到')).toBe(true);
    expect(config.recerSysCodes).toEqual({});
  });

  it('reads 接收方系统代码 by patient kind, naming a rule that is not a patient kind', () => {
    const config = platformClientConfigFromEnv({
      ...env,
      NHSA_RECER_SYS_CODE: 'YBXT',
      NHSA_RECER_SYS_CODES: '{"psn_type:1300":"LXXT","insutype:410":"GSXT"}',
    });
    expect(config.recerSysCodes).toEqual({ 'psn_type:1300': 'LXXT', 'insutype:410': 'GSXT' });
    expect(() => platformClientConfigFromEnv({ ...env, NHSA_RECER_SYS_CODES: '{"1300":"LXXT"}' })).toThrow(
      'platform client configuration: NHSA_RECER_SYS_CODES: 1300: must be insutype:<code> or psn_type:<code>',
    );
  });

  it.each([
    [{ NHSA_FIXMEDINS_CODE: 'H420' }, 'NHSA_FIXMEDINS_CODE'],
    [{ NHSA_MDTRTAREA_ADMVS: undefined }, 'NHSA_MDTRTAREA_ADMVS'],
    [{ NHSA_GATEWAY: 'csb', NHSA_CSB_ACCESS_KEY: 'ak' }, 'NHSA_CSB_SECRET_KEY'],
    [{ NHSA_GATEWAY: 'vpn' }, 'NHSA_GATEWAY'],
    [{ NHSA_SM4_KEY: 'short' }, 'NHSA_SM4_KEY'],
    [{ NHSA_CALL_POLICIES: '{oops' }, 'NHSA_CALL_POLICIES'],
    [{ NHSA_RECER_SYS_CODES: '{"1300":"LXXT"}' }, 'NHSA_RECER_SYS_CODES'],
    [{ NHSA_RECER_SYS_CODES: '{"psn_type:1300":"LIXIU_SYSTEM"}' }, 'NHSA_RECER_SYS_CODES'],
  ])('names the variable to fix (%j)', (override, variable) => {
    try {
      platformClientConfigFromEnv({ ...env, ...override });
      throw new Error('expected a configuration error');
    } catch (err) {
      expect(err).toBeInstanceOf(PlatformConfigError);
      expect((err as PlatformConfigError).field).toBe(variable);
    }
  });

  describe('keys from a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhsa-keys-'));
    const { privateKey } = generateSm2KeyPair();
    const keyFile = (mode: string) => {
      const file = path.join(dir, `sm2-${mode}.key`);
      fs.writeFileSync(file, `${privateKey}\n`);
      fs.chmodSync(file, Number.parseInt(mode, 8));
      return file;
    };
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it.each(['600', '400'])('reads NHSA_SM2_PRIVATE_KEY_FILE of mode %s', (mode) => {
      const config = platformClientConfigFromEnv({ ...env, NHSA_SM2_PRIVATE_KEY_FILE: keyFile(mode) });
      expect(config.crypto.sm2PrivateKey).toBe(privateKey);
    });

    it.each(['644', '640', '604'])('refuses a key file of mode %s, which others can read', (mode) => {
      expect(() => platformClientConfigFromEnv({ ...env, NHSA_SM2_PRIVATE_KEY_FILE: keyFile(mode) })).toThrow(
        expect.objectContaining({
          field: 'NHSA_SM2_PRIVATE_KEY_FILE',
          detail: expect.stringMatching(/chmod 600/),
        }),
      );
    });

    it('refuses a key in both the variable and a file, and a file that is missing', () => {
      expect(() =>
        platformClientConfigFromEnv({
          ...env,
          NHSA_SM4_KEY: '0123456789abcdef',
          NHSA_SM4_KEY_FILE: keyFile('600'),
        }),
      ).toThrow(PlatformConfigError);
      expect(() =>
        platformClientConfigFromEnv({ ...env, NHSA_SM4_KEY_FILE: path.join(dir, 'missing') }),
      ).toThrow(/NHSA_SM4_KEY_FILE: cannot read .*ENOENT/);
    });
  });
});
