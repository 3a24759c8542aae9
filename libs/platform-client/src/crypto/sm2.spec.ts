import crypto from 'node:crypto';
import { generateSm2KeyPair, sm2SignBase64, sm2VerifyBase64 } from './sm2';

// The SM2 curve's order.
const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

const mod = (a: bigint) => ((a % N) + N) % N;
function inverse(a: bigint): bigint {
  // Fermat: n is prime.
  let result = 1n;
  let base = mod(a);
  for (let e = N - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = mod(result * base);
    base = mod(base * base);
  }
  return result;
}

/** r and s of a Base64 r||s signature. */
function rs(signature: string): { r: bigint; s: bigint } {
  const hex = Buffer.from(signature, 'base64').toString('hex');
  return { r: BigInt(`0x${hex.slice(0, 64)}`), s: BigInt(`0x${hex.slice(64)}`) };
}

describe('SM2 signatures with nonces from the OS CSPRNG', () => {
  const { privateKey, publicKey } = generateSm2KeyPair();
  const text = 'infno=2304&msgid=H42010200001202601020902030001';

  afterEach(() => jest.restoreAllMocks());

  it('signs the same message differently every time, and every signature verifies', () => {
    const signatures = Array.from({ length: 50 }, () => sm2SignBase64(text, privateKey));
    expect(new Set(signatures.map((s) => rs(s).r)).size).toBe(50);
    for (const signature of signatures) expect(sm2VerifyBase64(text, signature, publicKey)).toBe(true);
    expect(sm2VerifyBase64(`${text}x`, signatures[0]!, publicKey)).toBe(false);
  });

  it('takes k from crypto.randomBytes: with its bytes known, k is known and gives the private key back', () => {
    const bytes = Buffer.alloc(40, 0x5a);
    const randomBytes = jest.spyOn(crypto, 'randomBytes').mockImplementation(() => bytes);
    const first = sm2SignBase64(text, privateKey);
    const second = sm2SignBase64(text, privateKey);
    expect(randomBytes).toHaveBeenCalledWith(40);
    // The same bytes, the same k, the same signature: nothing else random went in.
    expect(second).toBe(first);
    expect(sm2VerifyBase64(text, first, publicKey)).toBe(true);
    // k = bytes mod (n-1) + 1, and s = (1+d)^-1 (k - r·d) gives d = (k - s) / (s + r).
    const k = (BigInt(`0x${bytes.toString('hex')}`) % (N - 1n)) + 1n;
    const { r, s } = rs(first);
    expect(mod((k - s) * inverse(s + r))).toBe(BigInt(`0x${privateKey}`));

    randomBytes.mockImplementation(() => Buffer.alloc(40, 0xa5));
    expect(sm2SignBase64(text, privateKey)).not.toBe(first);
  });

  it('does not take k from Math.random', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(sm2SignBase64(text, privateKey)).not.toBe(sm2SignBase64(text, privateKey));
  });

  it('makes key pairs from crypto.randomBytes', () => {
    const bytes = Buffer.alloc(40, 0x11);
    jest.spyOn(crypto, 'randomBytes').mockImplementation(() => bytes);
    const pair = generateSm2KeyPair();
    expect(BigInt(`0x${pair.privateKey}`)).toBe((BigInt(`0x${bytes.toString('hex')}`) % (N - 1n)) + 1n);
  });
});
