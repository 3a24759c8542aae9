import crypto from 'node:crypto';
import { PlatformConfigError } from '../errors';
import { secretFromEnv } from '../secrets';

/** How a sealed request or answer is stored in its jsonb column. */
export interface SealedJson {
  /** AES-256-GCM. */
  readonly enc: 'A256GCM';
  /** Which key of NHSA_JOURNAL_KEYS sealed it. */
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

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

/**
 * Seals the journal's request and answer columns (they hold certno, psn_name, brdy, tel …) with AES-256-GCM.
 * Keys come from NHSA_JOURNAL_KEYS (or NHSA_JOURNAL_KEYS_FILE, owner-readable only): `id:base64-of-32-bytes`,
 * comma-separated, the first sealing and every one opening. Rotation: put a new key first and keep the old
 * ones; rows sealed under an old key are sealed again under the new one as the hourly retention passes
 * (PlatformClient.pruneJournal), after which the old key can go. The additional data binds a sealed value to its
 * row and column (msgid:request), so a ciphertext copied onto another row does not open. Without keys the
 * columns stay clear, which is for development only (PlatformClient warns at start).
 */
export class JournalCipher {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly active: string | null,
  ) {}

  static readonly CLEAR = new JournalCipher(new Map(), null);

  static fromEnv(env: NodeJS.ProcessEnv = process.env): JournalCipher {
    const text = secretFromEnv(env, 'NHSA_JOURNAL_KEYS');
    if (text === undefined) return JournalCipher.CLEAR;
    const keys = new Map<string, Buffer>();
    for (const entry of text.split(',').map((e) => e.trim())) {
      const [id = '', material = ''] = entry.split(':');
      const key = Buffer.from(material, 'base64');
      if (!KEY_ID.test(id) || key.length !== 32 || keys.has(id)) {
        throw new PlatformConfigError(
          'NHSA_JOURNAL_KEYS',
          'must be id:key entries, comma-separated, each id unique and each key 32 bytes in base64 (openssl rand -base64 32)',
        );
      }
      keys.set(id, key);
    }
    return new JournalCipher(keys, [...keys.keys()][0]!);
  }

  /** Whether values are sealed (false: no key configured). */
  get sealing(): boolean {
    return this.active !== null;
  }

  /** The key id new values are sealed under. */
  get activeKeyId(): string | null {
    return this.active;
  }

  seal(value: unknown, aad: string): unknown {
    if (this.active === null || value === null || value === undefined) return value;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.get(this.active)!, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const sealed: SealedJson = {
      enc: 'A256GCM',
      kid: this.active,
      iv: iv.toString('base64'),
      ct: ct.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
    return sealed;
  }

  /** The value back; a value stored clear (before keys were configured) is returned as it is. */
  open(stored: unknown, aad: string): unknown {
    if (!isSealed(stored)) return stored;
    const key = this.keys.get(stored.kid);
    if (!key)
      throw new Error(`journal value sealed under key "${stored.kid}", which NHSA_JOURNAL_KEYS lacks`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(stored.ct, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  }
}
