import { sm4 } from 'sm-crypto';

// The platform's SM4 key is 16 ASCII characters used as raw key bytes (spec §1.5a), not hex.
function keyBytes(key: string): number[] {
  if (key.length !== 16 || !/^[\x20-\x7e]+$/.test(key))
    throw new Error('SM4 key must be 16 ASCII characters');
  return Array.from(Buffer.from(key, 'ascii'));
}

/** SM4-ECB/PKCS7 of the UTF-8 text, Base64: how an encrypted `input`/`output` travels. */
export function sm4EncryptBase64(plaintext: string, key: string): string {
  const cipher = sm4.encrypt(plaintext, keyBytes(key), { padding: 'pkcs#7', output: 'array' });
  return Buffer.from(cipher).toString('base64');
}

/** Inverse of sm4EncryptBase64; throws when the text is not a valid ciphertext under this key. */
export function sm4DecryptBase64(ciphertext: string, key: string): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0) throw new Error('SM4 ciphertext has an invalid length');
  const plain = sm4.decrypt(Array.from(bytes), keyBytes(key), { padding: 'pkcs#7', output: 'array' });
  return Buffer.from(plain).toString('utf8');
}
