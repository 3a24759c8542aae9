import { sm2 } from 'sm-crypto';

export const DEFAULT_SM2_USER_ID = '1234567812345678';

/** SM2 signature with the SM3 Z-value digest, as Base64 of the raw 64-byte r||s (not DER). */
export function sm2SignBase64(text: string, privateKeyHex: string, userId = DEFAULT_SM2_USER_ID): string {
  const hex = sm2.doSignature(text, privateKeyHex, { hash: true, userId });
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

export function generateSm2KeyPair(): { privateKey: string; publicKey: string } {
  return sm2.generateKeyPairHex();
}
