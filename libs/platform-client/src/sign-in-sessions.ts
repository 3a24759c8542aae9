import type { PlatformOperator } from './envelope';
import { shanghaiDate } from '@yb/contracts';

/** An operator as 9001 needs it: the envelope's 经办人 plus the sign-in ip/mac. */
export interface SigningOperator extends PlatformOperator {
  ip: string;
  mac?: string | undefined;
}

interface Session {
  operator: SigningOperator;
  sign_no: string;
  /** The Asia/Shanghai day the sign-in belongs to; a new day needs a new 9001. */
  day: string;
}

/**
 * sign_no per operator: one 9001 per operator and day, shared by concurrent callers, dropped when the
 * platform asks to sign in again.
 */
export class SignInSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly signingIn = new Map<string, Promise<string>>();

  constructor(
    private readonly signIn: (operator: SigningOperator) => Promise<string>,
    private readonly now: () => Date,
  ) {}

  async signNo(operator: SigningOperator): Promise<string> {
    const day = shanghaiDate(this.now());
    const session = this.sessions.get(operator.opter);
    if (session && session.day === day) return session.sign_no;
    let pending = this.signingIn.get(operator.opter);
    if (!pending) {
      pending = this.signIn(operator)
        .then((sign_no) => {
          this.sessions.set(operator.opter, { operator, sign_no, day });
          return sign_no;
        })
        .finally(() => this.signingIn.delete(operator.opter));
      this.signingIn.set(operator.opter, pending);
    }
    return pending;
  }

  /** Forgets a sign_no the platform no longer accepts (unless a newer one already replaced it). */
  invalidate(opter: string, sign_no: string): void {
    if (this.sessions.get(opter)?.sign_no === sign_no) this.sessions.delete(opter);
  }

  /** The live sessions, removed from the cache (for sign-out). */
  takeAll(): Array<{ operator: SigningOperator; sign_no: string }> {
    const all = [...this.sessions.values()].map(({ operator, sign_no }) => ({ operator, sign_no }));
    this.sessions.clear();
    return all;
  }
}
