import { sm2SignBase64, sm2VerifyBase64 } from './sm2';
import { sm4DecryptBase64, sm4EncryptBase64 } from './sm4';

/** Which node carries the payload: `input` in requests, `output` in answers. */
export type PayloadField = 'input' | 'output';

export interface SealKeys {
  /** 16-character SM4 key: the payload travels as Base64 SM4-ECB/PKCS7 ciphertext. */
  sm4Key?: string | undefined;
  /** Sender's SM2 private key (hex): adds signtype SM2 and cainfo. */
  sm2PrivateKey?: string | undefined;
  sm2UserId?: string | undefined;
}

export interface UnsealKeys {
  sm4Key?: string | undefined;
  /** Sender's SM2 public key (hex): when given, the envelope must carry a valid SM2 signature. */
  sm2PublicKey?: string | undefined;
  sm2UserId?: string | undefined;
}

/** Thrown when an envelope's signature does not verify or its payload does not decrypt. */
export class EnvelopeSealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeSealError';
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The text an envelope's SM2 signature covers: every top-level field but `cainfo`, empty ones dropped, keys
 * in ASCII order, `k=v` joined by `&`, objects as JSON with sorted keys. The platform's exact rule is not
 * public (spec §1.5a names a variant without `input`); this one also covers the payload, as sent (so an
 * encrypted payload is signed as its ciphertext).
 */
export function envelopeSignText(envelope: Record<string, unknown>): string {
  return Object.keys(envelope)
    .filter((k) => k !== 'cainfo')
    .sort()
    .filter((k) => envelope[k] !== undefined && envelope[k] !== null && envelope[k] !== '')
    .map((k) => {
      const v = envelope[k];
      return `${k}=${typeof v === 'object' ? canonicalJson(v) : String(v)}`;
    })
    .join('&');
}

/** Encrypts the payload and signs the envelope as the keys ask; returns a new envelope. */
export function sealEnvelope<E extends Record<string, unknown>>(
  envelope: E,
  payloadField: PayloadField,
  keys: SealKeys,
): E {
  const sealed: Record<string, unknown> = { ...envelope };
  if (keys.sm4Key && sealed[payloadField] !== undefined && sealed[payloadField] !== null) {
    sealed[payloadField] = sm4EncryptBase64(JSON.stringify(sealed[payloadField]), keys.sm4Key);
    sealed[payloadField === 'input' ? 'enc_type' : 'enctype'] = 'SM4';
  }
  if (keys.sm2PrivateKey) {
    sealed.signtype = 'SM2';
    delete sealed.cainfo;
    sealed.cainfo = sm2SignBase64(envelopeSignText(sealed), keys.sm2PrivateKey, keys.sm2UserId);
  }
  return sealed as E;
}

/** Verifies the signature (when a public key is given) and decrypts a string payload (when a key is given). */
export function unsealEnvelope<E extends Record<string, unknown>>(
  envelope: E,
  payloadField: PayloadField,
  keys: UnsealKeys,
): E {
  if (keys.sm2PublicKey) {
    const { cainfo, signtype } = envelope;
    if (signtype !== 'SM2' || typeof cainfo !== 'string' || cainfo === '') {
      throw new EnvelopeSealError('the envelope carries no SM2 signature');
    }
    if (!sm2VerifyBase64(envelopeSignText(envelope), cainfo, keys.sm2PublicKey, keys.sm2UserId)) {
      throw new EnvelopeSealError('the SM2 signature does not verify');
    }
  }
  const payload = envelope[payloadField];
  if (typeof payload !== 'string' || payload === '') return envelope;
  if (!keys.sm4Key) throw new EnvelopeSealError(`${payloadField} is a string but no SM4 key is configured`);
  let plain: string;
  try {
    plain = sm4DecryptBase64(payload, keys.sm4Key);
  } catch (err) {
    throw new EnvelopeSealError(`${payloadField} does not decrypt: ${(err as Error).message}`);
  }
  try {
    return { ...envelope, [payloadField]: JSON.parse(plain) as unknown };
  } catch {
    throw new EnvelopeSealError(`decrypted ${payloadField} is not JSON`);
  }
}
