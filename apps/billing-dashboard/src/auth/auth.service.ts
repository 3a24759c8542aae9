import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_LOGGER } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { type DashboardConfig, type DashboardRole } from '../dashboard-config';
import { DASHBOARD_CONFIG } from '../dashboard-topics';
import { DASHBOARD_TABLES, type DashboardTables } from '../read-model/dashboard-tables';
import { hashPassword, PasswordCheckBusyError, verifyPassword } from './passwords';
import { ADDRESS_LIMIT, SignInLimits, USER_LIMIT, type SignInOutcome } from './sign-in-limits';

export interface SessionUser {
  readonly username: string;
  readonly role: DashboardRole;
  readonly expiresAt: Date;
  /** The SHA-256 of the session token: names the session without being it. */
  readonly sessionId: string;
  /** Sent back in the X-CSRF-Token header of every state change. */
  readonly csrfToken: string;
}

export interface SignedIn {
  readonly token: string;
  readonly user: SessionUser;
  /** The browser presented a device cookie of this user (no new one is needed). */
  readonly deviceTrusted?: boolean;
}

// Compared against when the user does not exist, so that a wrong name costs as long as a wrong password.
const UNKNOWN_USER_HASH = hashPassword(randomBytes(16).toString('hex'));

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** A device cookie lives this long; signing in again from the browser renews it. */
const DEVICE_TTL_DAYS = 90;
const PRUNE_EVERY_MS = 3600_000;

/** The attempt is refused before any password check: too many from the address, or for the user name. */
export class SignInRefusedError extends Error {
  constructor(
    readonly reason: 'ADDRESS_THROTTLED' | 'USER_LOCKED',
    readonly until: Date,
  ) {
    super(`too many wrong passwords: try again after ${until.toISOString()}`);
  }
}

export interface PasswordSignIn {
  readonly username: string;
  readonly password: string;
  /** The client's address (the socket's, or the trusted proxy's X-Forwarded-For). */
  readonly address: string;
  /** The device cookie the browser presented, if any. */
  readonly deviceToken: string | null;
}

/**
 * Users (scrypt-hashed passwords), sessions (random 256-bit tokens; only their SHA-256 is stored, with an expiry
 * and a CSRF token) and the sign-in limits and audit. The first users come from DASHBOARD_BOOTSTRAP_USERS, created
 * at start when missing (an existing user's password is never overwritten from the environment).
 */
@Injectable()
export class AuthService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly limits: SignInLimits;
  /** The session ids signed out by this process (live streams of the session end at once). */
  readonly signedOut = new Subject<string>();
  private pruning: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DASHBOARD_TABLES) private readonly tables: DashboardTables,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.limits = new SignInLimits(dataSource, tables);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const user of this.config.bootstrapUsers) {
      const [created] = await this.dataSource.query(
        `INSERT INTO ${this.tables.users} (username, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT (username) DO NOTHING RETURNING username`,
        [user.username, await hashPassword(user.password), user.role],
      );
      if (created) this.logger.info({ username: user.username, role: user.role }, 'dashboard user created');
    }
    await this.pruneExpired();
    this.pruning = setInterval(() => {
      this.pruneExpired().catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message }, 'pruning expired sign-in records failed'),
      );
    }, PRUNE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruning);
    this.signedOut.complete();
  }

  /** Deletes expired sessions, device cookies, OIDC sign-ins under way, sign-in counters and old audit rows. */
  async pruneExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.tables.sessions} WHERE expires_at < now()`);
    await this.dataSource.query(`DELETE FROM ${this.tables.trustedDevices} WHERE expires_at < now()`);
    await this.dataSource.query(`DELETE FROM ${this.tables.oidcPending} WHERE expires_at < now()`);
    await this.limits.prune(this.config.auditRetentionDays);
  }

  /**
   * A new session for the user, or null when the name or password is wrong. Refused (SignInRefusedError) once the
   * address or the user name is over its limit, before the password is checked; PasswordCheckBusyError when too
   * many checks already wait. Every attempt is in the sign-in audit.
   */
  async signIn(attempt: PasswordSignIn): Promise<SignedIn | null> {
    const { username, password, address } = attempt;
    const audit = (outcome: SignInOutcome) => this.limits.audit(username, address, 'password', outcome);
    const addressLocked = await this.limits.charge('address', address, ADDRESS_LIMIT);
    if (addressLocked) {
      await audit('ADDRESS_THROTTLED');
      if (addressLocked.first) this.logger.warn({ address }, 'dashboard sign-in throttled for an address');
      throw new SignInRefusedError('ADDRESS_THROTTLED', addressLocked.until);
    }
    // A browser the user signed in from before is not subject to the user lockout (its address still is).
    const trusted = attempt.deviceToken !== null && (await this.trustedDevice(attempt.deviceToken, username));
    if (!trusted) {
      const userLocked = await this.limits.charge('user', username, USER_LIMIT);
      if (userLocked) {
        await audit('USER_LOCKED');
        // Once per lock, not per refused attempt (the audit has each).
        if (userLocked.first)
          this.logger.warn({ username }, 'dashboard sign-in locked after wrong passwords');
        throw new SignInRefusedError('USER_LOCKED', userLocked.until);
      }
    }
    const [row]: { password_hash: string; role: DashboardRole }[] = await this.dataSource.query(
      `SELECT password_hash, role FROM ${this.tables.users} WHERE username = $1`,
      [username],
    );
    let valid: boolean;
    try {
      valid = await verifyPassword(password, row?.password_hash ?? (await UNKNOWN_USER_HASH));
    } catch (err) {
      if (err instanceof PasswordCheckBusyError) {
        // Not checked, so not counted against anyone.
        await this.limits.refund('address', address);
        if (!trusted) await this.limits.refund('user', username);
        await audit('BUSY');
      }
      throw err;
    }
    if (!row || !valid) {
      await audit('WRONG_PASSWORD');
      return null;
    }
    await this.limits.refund('address', address);
    if (!trusted) await this.limits.refund('user', username);
    await audit('SIGNED_IN');
    return { ...(await this.createSession(username, row.role)), deviceTrusted: trusted };
  }

  /** Opens a session for a user who proved who they are (a password, or the identity provider). */
  async createSession(username: string, role: DashboardRole): Promise<SignedIn> {
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlSeconds * 1000);
    await this.dataSource.query(
      `INSERT INTO ${this.tables.sessions} (token_hash, username, role, expires_at, csrf_token)
       VALUES ($1, $2, $3, $4, $5)`,
      [tokenHash(token), username, role, expiresAt, csrfToken],
    );
    return { token, user: { username, role, expiresAt, sessionId: tokenHash(token), csrfToken } };
  }

  /** The session's user, or null when the token is unknown or expired. */
  async session(token: string): Promise<SessionUser | null> {
    const [row]: { username: string; role: DashboardRole; expires_at: Date; csrf_token: string }[] =
      await this.dataSource.query(
        `SELECT s.username, u.role, s.expires_at, s.csrf_token FROM ${this.tables.sessions} s
         JOIN ${this.tables.users} u USING (username)
         WHERE s.token_hash = $1 AND s.expires_at > now() AND s.csrf_token IS NOT NULL`,
        [tokenHash(token)],
      );
    return row
      ? {
          username: row.username,
          role: row.role,
          expiresAt: new Date(row.expires_at),
          sessionId: tokenHash(token),
          csrfToken: row.csrf_token,
        }
      : null;
  }

  /** Whether the session is still open (signed out or expired in any process: false). */
  async isOpen(sessionId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM ${this.tables.sessions} WHERE token_hash = $1 AND expires_at > now()`,
      [sessionId],
    );
    return rows.length > 0;
  }

  async signOut(token: string, address: string): Promise<void> {
    const sessionId = tokenHash(token);
    // TypeORM answers a DELETE with [rows, count].
    const [[row]]: [{ username: string }[], number] = await this.dataSource.query(
      `DELETE FROM ${this.tables.sessions} WHERE token_hash = $1 RETURNING username`,
      [sessionId],
    );
    if (!row) return;
    await this.limits.audit(row.username, address, 'password', 'SIGNED_OUT');
    this.signedOut.next(sessionId);
  }

  /** A new device cookie value for the user's browser (only its hash is kept). */
  async trustDevice(username: string): Promise<string> {
    const token = newToken();
    await this.dataSource.query(
      `INSERT INTO ${this.tables.trustedDevices} (token_hash, username, expires_at)
       VALUES ($1, $2, now() + make_interval(days => $3))`,
      [tokenHash(token), username, DEVICE_TTL_DAYS],
    );
    return token;
  }

  private async trustedDevice(token: string, username: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM ${this.tables.trustedDevices} WHERE token_hash = $1 AND username = $2 AND expires_at > now()`,
      [tokenHash(token), username],
    );
    return rows.length > 0;
  }

  get sessionTtlSeconds(): number {
    return this.config.sessionTtlSeconds;
  }

  get deviceTtlSeconds(): number {
    return DEVICE_TTL_DAYS * 86_400;
  }

  get secureCookie(): boolean {
    return this.config.secureCookie;
  }
}

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfTokenMatches(presented: string | undefined, user: SessionUser): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(user.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
