import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt with N=2^15, r=8, p=1 (OWASP's minimum is N=2^17 with r=8 for interactive logins on servers with
// memory to spare; 2^15 keeps a sign-in near 50 ms on the hospital's small hosts), a 16-byte salt, 32-byte key.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

/** Thrown when more password checks wait than the process takes on: the caller answers 503, not a queue. */
export class PasswordCheckBusyError extends Error {
  constructor() {
    super('too many sign-ins at once: try again in a moment');
  }
}

/**
 * Each scrypt takes 32 MiB and ~50 ms of a libuv thread (4 in the pool, shared with DNS and the file system):
 * at most SCRYPT_CONCURRENCY run at once, at most SCRYPT_QUEUE wait, and the next is refused at once, so a
 * burst of sign-ins bounds the memory and leaves threads to the rest of the process.
 */
const SCRYPT_CONCURRENCY = 2;
const SCRYPT_QUEUE = 32;
let running = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SCRYPT_CONCURRENCY) {
    if (waiting.length >= SCRYPT_QUEUE) throw new PasswordCheckBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running += 1;
  try {
    return await work();
  } finally {
    // The slot passes to the next waiter as is (running unchanged), or frees.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** How many scrypt computations run right now (a test reads it to see the bound hold). */
export function scryptRunning(): number {
  return running;
}

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return inSlot(
    () =>
      new Promise((resolve, reject) =>
        scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
