import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_LOGGER } from '@yb/service-runtime';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type DashboardConfig, type DashboardRole } from '../dashboard-config';
import { DASHBOARD_CONFIG } from '../dashboard-topics';
import { DASHBOARD_TABLES, type DashboardTables } from '../read-model/dashboard-tables';
import { hashPassword, verifyPassword } from './passwords';

export interface SessionUser {
  readonly username: string;
  readonly role: DashboardRole;
  readonly expiresAt: Date;
}

// Compared against when the user does not exist, so that a wrong name costs as long as a wrong password.
const UNKNOWN_USER_HASH = hashPassword(randomBytes(16).toString('hex'));

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Consecutive wrong passwords after which a user name is refused for LOCKOUT_MS (per instance, in memory). */
const MAX_FAILURES = 5;
const LOCKOUT_MS = 5 * 60_000;

/** Too many wrong passwords for this user name: refused until `until`. */
export class SignInLockedError extends Error {
  constructor(readonly until: Date) {
    super(`too many wrong passwords: try again after ${until.toISOString()}`);
  }
}

/**
 * Users (scrypt-hashed passwords) and sessions (random 256-bit tokens; only their SHA-256 is stored, with an
 * expiry). The first users come from DASHBOARD_BOOTSTRAP_USERS, created at start when missing (an existing
 * user's password is never overwritten from the environment).
 */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DASHBOARD_TABLES) private readonly tables: DashboardTables,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const user of this.config.bootstrapUsers) {
      const [created] = await this.dataSource.query(
        `INSERT INTO ${this.tables.users} (username, password_hash, role) VALUES ($1, $2, $3)
         ON CONFLICT (username) DO NOTHING RETURNING username`,
        [user.username, await hashPassword(user.password), user.role],
      );
      if (created) this.logger.info({ username: user.username, role: user.role }, 'dashboard user created');
    }
    await this.dataSource.query(`DELETE FROM ${this.tables.sessions} WHERE expires_at < now()`);
  }

  /**
   * A new session token for the user, or null when the name or password is wrong; SignInLockedError after
   * MAX_FAILURES wrong passwords in a row for the name, until the lockout ends.
   */
  async signIn(username: string, password: string): Promise<{ token: string; user: SessionUser } | null> {
    const failed = this.failures.get(username);
    if (failed && failed.lockedUntil > Date.now()) throw new SignInLockedError(new Date(failed.lockedUntil));
    const [row]: { password_hash: string; role: DashboardRole }[] = await this.dataSource.query(
      `SELECT password_hash, role FROM ${this.tables.users} WHERE username = $1`,
      [username],
    );
    const valid = await verifyPassword(password, row?.password_hash ?? (await UNKNOWN_USER_HASH));
    if (!row || !valid) {
      const count = (failed && failed.lockedUntil === 0 ? failed.count : 0) + 1;
      this.failures.set(username, {
        count,
        lockedUntil: count >= MAX_FAILURES ? Date.now() + LOCKOUT_MS : 0,
      });
      if (count >= MAX_FAILURES)
        this.logger.warn({ username }, 'dashboard sign-in locked after wrong passwords');
      return null;
    }
    this.failures.delete(username);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlSeconds * 1000);
    await this.dataSource.query(
      `INSERT INTO ${this.tables.sessions} (token_hash, username, role, expires_at) VALUES ($1, $2, $3, $4)`,
      [tokenHash(token), username, row.role, expiresAt],
    );
    return { token, user: { username, role: row.role, expiresAt } };
  }

  /** The session's user, or null when the token is unknown or expired. */
  async session(token: string): Promise<SessionUser | null> {
    const [row]: { username: string; role: DashboardRole; expires_at: Date }[] = await this.dataSource.query(
      `SELECT s.username, u.role, s.expires_at FROM ${this.tables.sessions} s
       JOIN ${this.tables.users} u USING (username) WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash(token)],
    );
    return row ? { username: row.username, role: row.role, expiresAt: new Date(row.expires_at) } : null;
  }

  async signOut(token: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.tables.sessions} WHERE token_hash = $1`, [
      tokenHash(token),
    ]);
  }

  get sessionTtlSeconds(): number {
    return this.config.sessionTtlSeconds;
  }

  get secureCookie(): boolean {
    return this.config.secureCookie;
  }
}
