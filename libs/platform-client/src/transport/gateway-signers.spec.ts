import { createHash } from 'node:crypto';
import {
  CsbGatewaySigner,
  TifGatewaySigner,
  ZhejiangGatewaySigner,
  type GatewaySigner,
} from './gateway-signers';

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe('gateway header signers', () => {
  const request = { infno: '2401', body: '{"infno":"2401","input":{"x":"住院"}}' };
  const now = new Date('2026-01-02T01:02:03Z');

  it('TIF: signature is SHA-256 hex of timestamp + token + nonce + timestamp', () => {
    const headers = new TifGatewaySigner('paas-1', 'tok').sign(request, now);
    const { 'x-tif-timestamp': ts, 'x-tif-nonce': nonce } = headers;
    expect(ts).toBe(String(now.getTime() / 1000));
    expect(headers['x-tif-signature']).toBe(
      createHash('sha256').update(`${ts}tok${nonce}${ts}`).digest('hex'),
    );
  });

  it('Zhejiang: x-ca-signature = seconds + ":" + upper-case HMAC-SM3 hex', () => {
    const headers = new ZhejiangGatewaySigner('H42010200001', 'secret').sign(request, now);
    expect(headers['x-ca-key']).toBe('H42010200001');
    expect(headers['x-ca-signature']).toMatch(/^1767315723:[0-9A-F]{64}$/);
  });

  it('CSB: HMAC-SHA1 Base64 over the sorted _api_ parameters', () => {
    const headers = new CsbGatewaySigner('ak', 'sk', '1.0.0').sign(request, now);
    expect(headers).toMatchObject({ _api_name: '2401', _api_version: '1.0.0', _api_access_key: 'ak' });
    expect(headers._api_signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  const signers: Array<[string, () => GatewaySigner, () => GatewaySigner]> = [
    ['tif', () => new TifGatewaySigner('paas-1', 'tok'), () => new TifGatewaySigner('paas-1', 'other')],
    [
      'csb',
      () => new CsbGatewaySigner('ak', 'sk', '1.0.0'),
      () => new CsbGatewaySigner('ak', 'other', '1.0.0'),
    ],
    [
      'zhejiang',
      () => new ZhejiangGatewaySigner('k', 'secret'),
      () => new ZhejiangGatewaySigner('k', 'other'),
    ],
  ];

  it.each(signers)(
    '%s: verify accepts its own headers and refuses wrong secrets, stale times',
    (_kind, make, wrong) => {
      const headers = lower(make().sign(request, now));
      expect(make().verify(headers, request.body, now)).toBe(true);
      expect(wrong().verify(headers, request.body, now)).toBe(false);
      expect(make().verify(headers, request.body, new Date(now.getTime() + 3_600_000))).toBe(false);
      expect(make().verify({}, request.body, now)).toBe(false);
    },
  );

  it('zhejiang: a changed body does not verify', () => {
    const signer = new ZhejiangGatewaySigner('k', 'secret');
    const headers = lower(signer.sign(request, now));
    expect(signer.verify(headers, request.body.replace('住院', '门诊'), now)).toBe(false);
  });
});
