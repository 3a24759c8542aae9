import crypto from 'node:crypto';
import { BigInteger } from 'jsbn';
import { sm2, type KeyPairHex, type KeyPairPoint } from 'sm-crypto';

export const DEFAULT_SM2_USER_ID = '1234567812345678';

/**
 * A scalar in [1, n-1] from the operating system's CSPRNG, with its point k·G. sm-crypto's own randomness is
 * jsbn's SecureRandom, which under Node is seeded from Math.random() and the clock: whoever recovers V8's random
 * state would know k, and k with one signature gives the private key. Its generateKeyPairHex(hex, 16) reduces the
 * number we give (mod n-1, +1); 320 random bits keep the bias of that reduction below 2^-64.
 */
function csprngKeyPair(): KeyPairHex {
  // @types/sm-crypto lags the source here: generateKeyPairHex(a, b) builds its scalar as new BigInteger(a, b).
  const fromScalar = sm2.generateKeyPairHex as unknown as (hex: string, radix: number) => KeyPairHex;
  return fromScalar(crypto.randomBytes(40).toString('hex'), 16);
}

/**
 * The nonce source handed to sm-crypto's doSignature as its `pointPool`: it pops a pool point when there is
 * one (and only calls its own generator when the pool is empty), so a pool that is never empty makes every k,
 * including the rare retry when r or s comes out zero, come from crypto.randomBytes.
 */
function csprngNonces(): { length: number; pop(): { k: BigInteger; x1: BigInteger } } {
  return {
    length: 1,
    pop() {
      const { privateKey, publicKey } = csprngKeyPair();
      return { k: new BigInteger(privateKey, 16), x1: new BigInteger(publicKey.slice(2, 66), 16) };
    },
  };
}

/** SM2 signature with the SM3 Z-value digest, as Base64 of the raw 64-byte r||s (not DER). */
export function sm2SignBase64(text: string, privateKeyHex: string, userId = DEFAULT_SM2_USER_ID): string {
  const hex = sm2.doSignature(text, privateKeyHex, {
    hash: true,
    userId,
    // The pool's points hold jsbn BigIntegers (the types say bigi's) and it is array-like, not an array.
    pointPool: csprngNonces() as unknown as KeyPairPoint[],
  });
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Checks a Base64 r||s signature; false (never a throw) for anything malformed. */
export function sm2VerifyBase64(
  text: string,
  signatureBase64: string,
  publicKeyHex: string,
  userId = DEFAULT_SM2_USER_ID,
): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  try {
    return sm2.doVerifySignature(text, signature.toString('hex'), publicKeyHex, { hash: true, userId });
  } catch {
    return false;
  }
}

/** A key pair whose private key comes from crypto.randomBytes (not sm-crypto's generator). */
export function generateSm2KeyPair(): KeyPairHex {
  return csprngKeyPair();
}
