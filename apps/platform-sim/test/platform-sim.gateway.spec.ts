import {
  envelopeSignText,
  generateSm2KeyPair,
  sealEnvelope,
  sm2VerifyBase64,
  sm4DecryptBase64,
  TifGatewaySigner,
  type PlatformCallResult,
} from '@yb/platform-client';
import { exampleInput, SimClientKit } from './sim-client-kit';

// The simulator as a gateway with TIF headers and the envelope sealed both ways (SM4 input/output, SM2
// signatures), reached through the unified endpoint and the per-service paths.

const hospital = generateSm2KeyPair();
const platform = generateSm2KeyPair();
const SM4_KEY = 'Sim4Key16Chars!!';
const TIF = { kind: 'tif' as const, paasid: 'paas-hb', token: 'tif-secret-token' };
const CALL = { visitKey: 'ZY20240506001', insuplc_admdvs: '420100' };

describe('platform-sim gateway headers, SM4 and SM2', () => {
  const kit = new SimClientKit();

  beforeAll(() =>
    kit.start('sim_gateway', {
      gateway: TIF,
      crypto: {
        sm4Key: SM4_KEY,
        platformSm2PrivateKey: platform.privateKey,
        hospitalSm2PublicKey: hospital.publicKey,
      },
    }),
  );
  afterAll(() => kit.stop());

  const sealedClient = (overrides: Record<string, unknown> = {}) =>
    kit.client({
      gateway: TIF,
      crypto: {
        sm4Key: SM4_KEY,
        sm2PrivateKey: hospital.privateKey,
        platformSm2PublicKey: platform.publicKey,
      },
      ...overrides,
    });

  it('serves a client that signs its headers and seals its envelopes, on the unified endpoint', async () => {
    const client = await sealedClient();
    const result = (await client.call('1101', exampleInput('1101'), CALL)) as PlatformCallResult;
    expect(result.status).toBe('SUCCEEDED');
  });

  it('serves the per-service paths and refuses an infno sent to another service’s path', async () => {
    const client = await sealedClient({ endpointMode: 'per-service' });
    const result = (await client.call('1101', exampleInput('1101'), CALL)) as PlatformCallResult;
    expect(result.status).toBe('SUCCEEDED');
    const admitted = (await client.call('2401', exampleInput('2401'), CALL)) as PlatformCallResult;
    expect(admitted.status).toBe('SUCCEEDED');
    const misrouted = await sealedClient({
      endpointMode: 'per-service',
      servicePaths: { '2404': '/fsi/api/fsiPsnInfoService/queryPsnInfo' },
      operator: { opter_type: '1', opter: 'OP002', opter_name: '李收费', ip: '127.0.0.1' },
    });
    const refused = (await misrouted.call('2404', exampleInput('2404'), CALL)) as PlatformCallResult;
    expect(refused).toMatchObject({
      status: 'REJECTED',
      err_msg: expect.stringContaining('与服务地址不匹配'),
    });
  });

  it('refuses a request with a wrong gateway signature (HTTP 401, infcode -1)', async () => {
    const forged = kit.client({
      gateway: { ...TIF, token: 'not-the-token' },
      crypto: {
        sm4Key: SM4_KEY,
        sm2PrivateKey: hospital.privateKey,
        platformSm2PublicKey: platform.publicKey,
      },
      operator: { opter_type: '1', opter: 'OP003', opter_name: '王收费', ip: '127.0.0.1' },
    });
    await expect(forged).rejects.toThrow(/网关鉴权失败/);
  });

  it('refuses a request signed with another SM2 key', async () => {
    const impostor = kit.client({
      gateway: TIF,
      crypto: {
        sm4Key: SM4_KEY,
        sm2PrivateKey: generateSm2KeyPair().privateKey,
        platformSm2PublicKey: platform.publicKey,
      },
      operator: { opter_type: '1', opter: 'OP004', opter_name: '赵收费', ip: '127.0.0.1' },
    });
    await expect(impostor).rejects.toThrow(/验签或解密失败/);
  });

  it('signs even its refusals (signtype SM2, cainfo)', async () => {
    const response = await fetch(`${kit.sim.url}/fsi/api/rsfComIfsService/callService`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ infcode: -1, signtype: 'SM2', cainfo: expect.any(String) });
  });

  it('answers output SM4-encrypted as a Base64 string and SM2-signed with the platform key', async () => {
    const envelope = sealEnvelope(
      {
        infno: '9001',
        msgid: 'H42010200123209901010000000009',
        mdtrtarea_admvs: '420100',
        insuplc_admdvs: '',
        recer_sys_code: 'YBXT',
        infver: 'V1.0',
        opter_type: '1',
        opter: 'OP009',
        opter_name: '测试',
        inf_time: '2024-05-15 09:30:00',
        fixmedins_code: 'H42010200123',
        fixmedins_name: '武汉市某某医院',
        sign_no: '',
        input: { signIn: { opter_no: 'OP009', ip: '127.0.0.1' } },
      },
      'input',
      { sm4Key: SM4_KEY, sm2PrivateKey: hospital.privateKey },
    );
    const body = JSON.stringify(envelope);
    const response = await fetch(`${kit.sim.url}/fsi/api/signInSignOutService/signIn`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...new TifGatewaySigner(TIF.paasid, TIF.token).sign({ infno: '9001', body }),
      },
      body,
    });
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ infcode: 0, signtype: 'SM2', enctype: 'SM4', output: expect.any(String) });
    expect(sm2VerifyBase64(envelopeSignText(answer), answer['cainfo'] as string, platform.publicKey)).toBe(
      true,
    );
    expect(JSON.parse(sm4DecryptBase64(answer['output'] as string, SM4_KEY))).toMatchObject({
      signinoutb: { sign_no: expect.stringMatching(/^420100\d{24}$/) },
    });
  });
});
