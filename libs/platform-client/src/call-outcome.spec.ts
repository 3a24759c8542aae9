import { classifyAnswer, classifyFailure } from './call-outcome';
import { sealEnvelope } from './crypto/envelope-seal';
import { generateSm2KeyPair } from './crypto/sm2';
import { TransportFailure } from './transport/platform-transport';

const answer = (body: unknown, status = 200) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('call outcome', () => {
  it('infcode 0 or "0" is SUCCEEDED', () => {
    expect(classifyAnswer(answer({ infcode: 0, output: { a: 1 } }), {})).toMatchObject({
      status: 'SUCCEEDED',
      infcode: 0,
    });
    expect(classifyAnswer(answer({ infcode: '0', output: {} }), {}).status).toBe('SUCCEEDED');
  });

  it('infcode -1 is REJECTED with err_msg kept', () => {
    expect(classifyAnswer(answer({ infcode: -1, err_msg: '冲正失败' }), {})).toMatchObject({
      status: 'REJECTED',
      infcode: -1,
      err_msg: '冲正失败',
    });
  });

  it.each([
    ['HTTP 5xx', answer({ infcode: 0 }, 502)],
    ['not JSON', answer('<html>gateway</html>')],
    ['no infcode', answer({ output: {} })],
    ['an array', answer([1])],
  ])('%s is UNKNOWN', (_why, reply) => {
    expect(classifyAnswer(reply, {}).status).toBe('UNKNOWN');
  });

  it('an answer whose SM2 signature does not verify is UNKNOWN; a valid one is read', () => {
    const platform = generateSm2KeyPair();
    const signed = sealEnvelope({ infcode: 0, output: { ok: 1 } }, 'output', {
      sm2PrivateKey: platform.privateKey,
    });
    const keys = { sm2PublicKey: platform.publicKey };
    expect(classifyAnswer(answer(signed), keys).status).toBe('SUCCEEDED');
    expect(classifyAnswer(answer({ ...signed, output: { ok: 2 } }), keys)).toMatchObject({
      status: 'UNKNOWN',
      reason: expect.stringMatching(/unverifiable/),
    });
  });

  it('an SM4-encrypted output is decrypted', () => {
    const sealed = sealEnvelope({ infcode: 0, output: { result: { mdtrt_id: 'M1' } } }, 'output', {
      sm4Key: 'ACC10563D7382BF6',
    });
    const outcome = classifyAnswer(answer(sealed), { sm4Key: 'ACC10563D7382BF6' });
    expect(outcome.status === 'SUCCEEDED' && outcome.response.output).toEqual({ result: { mdtrt_id: 'M1' } });
  });

  it('no answer is UNKNOWN', () => {
    expect(classifyFailure(new TransportFailure('timeout', 'no answer within 10 ms'))).toEqual({
      status: 'UNKNOWN',
      reason: 'timeout: no answer within 10 ms',
    });
    expect(classifyFailure(new Error('vendor component crashed')).status).toBe('UNKNOWN');
  });
});
