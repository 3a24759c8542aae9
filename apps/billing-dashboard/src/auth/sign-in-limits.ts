import { type DataSource } from 'typeorm';
import { type DashboardTables } from '../read-model/dashboard-tables';

/**
 * How many sign-in attempts a client address and a user name get. The address limit is the lower one, so a
 * single address is throttled before it can lock a user; locking a user takes several addresses, and even then
 * the user's own browsers (device cookie) are spared, so nobody can keep `admin` out.
 */
export interface SignInLimit {
  readonly attempts: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

export const ADDRESS_LIMIT: SignInLimit = { attempts: 5, windowSeconds: 900, lockSeconds: 900 };
export const USER_LIMIT: SignInLimit = { attempts: 10, windowSeconds: 900, lockSeconds: 900 };

export type LimitKind = 'address' | 'user';

/** What the sign-in audit records for an attempt. */
export type SignInOutcome =
  | 'SIGNED_IN'
  | 'WRONG_PASSWORD'
  | 'ADDRESS_THROTTLED'
  | 'USER_LOCKED'
  | 'BUSY'
  | 'SIGNED_OUT'
  | 'OIDC_REFUSED';

/**
 * Attempts counted in PostgreSQL, shared by every dashboard process. An attempt is charged before the password
 * is checked, in one atomic upsert, and refused when it is over the limit: however many arrive at once, at most
 * `attempts` are checked per window. A right password gives its charge back.
 */
export class SignInLimits {
  constructor(
    private readonly db: DataSource,
    private readonly t: DashboardTables,
  ) {}

  /**
   * Charges one attempt; when it is over the limit, until when the subject is locked and whether this attempt
   * is the first refused (the one that locked it); null when it may go on.
   */
  async charge(
    kind: LimitKind,
    subject: string,
    limit: SignInLimit,
  ): Promise<{ until: Date; first: boolean } | null> {
    // A row whose window and lock are both over starts again from one.
    const [row]: { failures: number; locked_until: Date | null }[] = await this.db.query(
      `INSERT INTO ${this.t.signInFailures} AS f (kind, subject, failures, window_ends)
       VALUES ($1, $2, 1, now() + make_interval(secs => $3))
       ON CONFLICT (kind, subject) DO UPDATE SET
         failures = CASE WHEN greatest(f.window_ends, f.locked_until) <= now() THEN 1 ELSE f.failures + 1 END,
         window_ends = CASE WHEN greatest(f.window_ends, f.locked_until) <= now()
           THEN now() + make_interval(secs => $3) ELSE f.window_ends END,
         locked_until = CASE
           WHEN greatest(f.window_ends, f.locked_until) <= now() THEN NULL
           WHEN f.failures + 1 > $4 THEN coalesce(f.locked_until, now() + make_interval(secs => $5))
           ELSE f.locked_until END
       RETURNING failures, locked_until`,
      [kind, subject, limit.windowSeconds, limit.attempts, limit.lockSeconds],
    );
    return row!.failures > limit.attempts
      ? { until: new Date(row!.locked_until!), first: row!.failures === limit.attempts + 1 }
      : null;
  }

  /** Gives back the charge of an attempt whose password was right; a user's count restarts unless locked. */
  async refund(kind: LimitKind, subject: string): Promise<void> {
    if (kind === 'user') {
      await this.db.query(
        `DELETE FROM ${this.t.signInFailures} WHERE kind = $1 AND subject = $2
           AND (locked_until IS NULL OR locked_until <= now())`,
        [kind, subject],
      );
    }
    await this.db.query(
      `UPDATE ${this.t.signInFailures} SET failures = greatest(failures - 1, 0) WHERE kind = $1 AND subject = $2`,
      [kind, subject],
    );
  }

  async audit(username: string, address: string, method: 'password' | 'oidc', outcome: SignInOutcome) {
    await this.db.query(
      `INSERT INTO ${this.t.signInAudit} (username, address, method, outcome) VALUES ($1, $2, $3, $4)`,
      [username.slice(0, 200), address, method, outcome],
    );
  }

  /** The latest sign-in audit entries, newest first (admins read them), and how many there are. */
  async recent(limit: number, offset: number): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const rows = await this.db.query(
      `SELECT at, username, address, method, outcome FROM ${this.t.signInAudit} ORDER BY id DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${this.t.signInAudit}`);
    return { rows, total };
  }

  /** Drops counters whose window and lock are over and audit entries older than `auditDays`. */
  async prune(auditDays: number): Promise<void> {
    await this.db.query(
      `DELETE FROM ${this.t.signInFailures} WHERE greatest(window_ends, locked_until) <= now()`,
    );
    await this.db.query(`DELETE FROM ${this.t.signInAudit} WHERE at < now() - make_interval(days => $1)`, [
      auditDays,
    ]);
  }
}
