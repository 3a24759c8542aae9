import crypto from 'node:crypto';
import { ConfigError, secretFromEnv, type ConfigErrorClass } from './secrets';

/**
 * The keyring every store of patient data at rest seals with: the platform call journal, the event stores'
 * identifier fields, the kept dead-letter payloads. One variable for all of them, so that one rotation covers all.
 */
export const DATA_KEYS_VARIABLE = 'NHSA_JOURNAL_KEYS';

/** How a sealed value is stored in a jsonb column (or in place of one field of a JSON document). */
export interface SealedJson {
  /** AES-256-GCM. */
  readonly enc: 'A256GCM';
  /** Which key of the keyring sealed it. */
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

/** A value that is sealed under a key the keyring has, yet does not open: a wrong key, or altered or moved. */
export class SealedValueError extends Error {
  constructor(
    readonly keyId: string,
    detail: string,
  ) {
    super(`a value sealed under key "${keyId}"${detail}`);
    this.name = 'SealedValueError';
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** Sealed bytes (a bytea column) start with this, then the key id's length, the id, iv, tag and ciphertext. */
const BYTES_MAGIC = Buffer.from('YBS1');

export function isSealed(value: unknown): value is SealedJson {
  const v = value as Partial<SealedJson> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.enc === 'A256GCM' &&
    typeof v.kid === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string' &&
    typeof v.tag === 'string'
  );
}

export function isSealedBytes(value: Buffer): boolean {
  return value.length > BYTES_MAGIC.length && value.subarray(0, BYTES_MAGIC.length).equals(BYTES_MAGIC);
}

/** Keyrings by variable and text: parsed once per process, whatever number of stores ask. */
const parsed = new Map<string, Keyring>();

/**
 * Seals patient data at rest with AES-256-GCM. Keys come from a variable (or its `_FILE`, owner-readable only):
 * `id:base64-of-32-bytes`, comma-separated, the first sealing and every one opening. Rotation: put a new key first
 * and keep the old ones while any row names them (each store says how its rows move to the new key). The
 * additional data binds a sealed value to where it is kept (row, column, field), so a ciphertext copied elsewhere
 * does not open. Without keys values stay clear, which is for development only (the users warn at start).
 */
export class Keyring {
  private constructor(
    private readonly variable: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly active: string | null,
  ) {}

  static readonly CLEAR = new Keyring(DATA_KEYS_VARIABLE, new Map(), null);

  static fromEnv(
    variable: string = DATA_KEYS_VARIABLE,
    env: NodeJS.ProcessEnv = process.env,
    Refusal: ConfigErrorClass = ConfigError,
  ): Keyring {
    const text = secretFromEnv(env, variable, Refusal);
    if (text === undefined) return Keyring.CLEAR;
    const memo = `${variable}\u0000${text}`;
    const known = parsed.get(memo);
    if (known) return known;
    const keys = new Map<string, Buffer>();
    for (const entry of text.split(',').map((e) => e.trim())) {
      const [id = '', material = ''] = entry.split(':');
      const key = Buffer.from(material, 'base64');
      if (!KEY_ID.test(id) || key.length !== 32 || keys.has(id)) {
        throw new Refusal(
          variable,
          'must be id:key entries, comma-separated, each id unique and each key 32 bytes in base64 (openssl rand -base64 32)',
        );
      }
      keys.set(id, key);
    }
    const keyring = new Keyring(variable, keys, [...keys.keys()][0]!);
    parsed.set(memo, keyring);
    return keyring;
  }

  /** Whether values are sealed (false: no key configured). */
  get sealing(): boolean {
    return this.active !== null;
  }

  /** The key id new values are sealed under. */
  get activeKeyId(): string | null {
    return this.active;
  }

  /**
   * How bytes sealed under the active key start (magic, id length, id): a store finds its rows still clear or under
   * an older key by this prefix, to seal them again after a rotation. Null without keys.
   */
  get activeBytesPrefix(): Buffer | null {
    if (this.active === null) return null;
    const kid = Buffer.from(this.active, 'ascii');
    return Buffer.concat([BYTES_MAGIC, Buffer.of(kid.length), kid]);
  }

  seal(value: unknown, aad: string): unknown {
    if (this.active === null || value === null || value === undefined) return value;
    const { iv, ct, tag } = this.encrypt(Buffer.from(JSON.stringify(value), 'utf8'), aad);
    const sealed: SealedJson = {
      enc: 'A256GCM',
      kid: this.active,
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: tag.toString('base64'),
    };
    return sealed;
  }

  /** The value back; a value stored clear (before keys were configured) is returned as it is. */
  open(stored: unknown, aad: string): unknown {
    if (!isSealed(stored)) return stored;
    const plain = this.decrypt(
      stored.kid,
      Buffer.from(stored.iv, 'base64'),
      Buffer.from(stored.tag, 'base64'),
      Buffer.from(stored.ct, 'base64'),
      aad,
    );
    return JSON.parse(plain.toString('utf8')) as unknown;
  }

  /**
   * A value sealed whole (a jsonb column) under the active key: sealed again when under an older key, sealed when
   * clear; the same value back when it already is, or without keys. Throws SealedValueError when it does not open.
   */
  reseal(stored: unknown, aad: string): unknown {
    if (this.active === null || stored === null || stored === undefined) return stored;
    if (isSealed(stored) && stored.kid === this.active) return stored;
    return this.seal(this.open(stored, aad), aad);
  }

  /** Bytes sealed under the active key, as reseal does for a value (the same Buffer back when they already are). */
  resealBytes(stored: Buffer, aad: string): Buffer {
    const prefix = this.activeBytesPrefix;
    if (prefix === null || stored.subarray(0, prefix.length).equals(prefix)) return stored;
    return this.sealBytes(this.openBytes(stored, aad), aad);
  }

  /** Bytes sealed (for a bytea column): magic, key id, iv, tag, ciphertext. Clear without keys. */
  sealBytes(value: Buffer, aad: string): Buffer {
    if (this.active === null) return value;
    const { iv, ct, tag } = this.encrypt(value, aad);
    return Buffer.concat([this.activeBytesPrefix!, iv, tag, ct]);
  }

  /** The bytes back; bytes stored clear (before keys were configured) are returned as they are. */
  openBytes(stored: Buffer, aad: string): Buffer {
    if (!isSealedBytes(stored)) return stored;
    let at = BYTES_MAGIC.length;
    const kidLength = stored[at]!;
    const kid = stored.subarray((at += 1), (at += kidLength)).toString('ascii');
    const iv = stored.subarray(at, (at += 12));
    const tag = stored.subarray(at, (at += 16));
    return this.decrypt(kid, iv, tag, stored.subarray(at), aad);
  }

  private encrypt(plain: Buffer, aad: string): { iv: Buffer; ct: Buffer; tag: Buffer } {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.get(this.active!)!, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { iv, ct, tag: cipher.getAuthTag() };
  }

  private decrypt(kid: string, iv: Buffer, tag: Buffer, ct: Buffer, aad: string): Buffer {
    const key = this.keys.get(kid);
    if (!key) throw new SealedValueError(kid, `, which ${this.variable} lacks`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ct), decipher.final()]);
    } catch {
      throw new SealedValueError(
        kid,
        `, which does not open with ${this.variable}'s key "${kid}": a different key under that id, or the value was altered or moved`,
      );
    }
  }
}
