import { type Operator } from '@yb/contracts';
import { type ClearingPrintout } from './clearing-form';

/** One month's application (清算申请) as apps/reconciliation answers it (its `ClearingApplication` schema). */
export interface ClearingApplicationAnswer {
  readonly setlym: string;
  readonly clr_type: string;
  readonly setl_optins: string;
  readonly scope: 'LOCAL' | 'CROSS_AREA';
  readonly status: 'NOT_APPLIED' | 'APPLIED' | 'WITHDRAWN';
  readonly pending: 'apply' | 'withdraw' | null;
  readonly clr_appy_evt_id?: string;
  readonly refusal?: string;
  readonly [field: string]: unknown;
}

export interface ClearingSubject {
  readonly setlym: string;
  readonly clr_type: string;
  readonly setl_optins: string;
}

/** Why the service could not be asked or gave no usable answer; `message` is for the billing office (中文). */
export class ReconciliationUnavailable extends Error {
  override readonly name = 'ReconciliationUnavailable';
  constructor(
    /** The answer the dashboard gives: 503 not configured / unreachable, 504 no answer in time, 502 a fault. */
    readonly status: 502 | 503 | 504,
    message: string,
  ) {
    super(message);
  }
}

/** The service refused what was asked (409 the application's state, 400 the request): its own words. */
export class ReconciliationRefused extends Error {
  override readonly name = 'ReconciliationRefused';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ReconciliationClientTimeouts {
  /** A list: the service reads its ledger and books. */
  readonly readMs: number;
  /** An application or withdrawal: the service waits up to 15 s for the platform, so a little longer. */
  readonly actionMs: number;
}

export const RECONCILIATION_TIMEOUTS: ReconciliationClientTimeouts = { readMs: 10_000, actionMs: 20_000 };

/**
 * apps/reconciliation's clearing endpoints (`/clearing/…`, its OpenAPI document) over HTTP, each call bounded
 * by a timeout. The dashboard checked the person's role and names them in requested_by; the service records it.
 */
export class ReconciliationClient {
  constructor(
    /** The service's origin (RECONCILIATION_URL). */
    private readonly baseUrl: string,
    private readonly timeouts: ReconciliationClientTimeouts = RECONCILIATION_TIMEOUTS,
  ) {}

  list(setlym: string): Promise<ClearingApplicationAnswer[]> {
    return this.call(
      'GET',
      `/clearing/applications?setlym=${encodeURIComponent(setlym)}`,
      this.timeouts.readMs,
    );
  }

  apply(subject: ClearingSubject, requested_by: Operator): Promise<ClearingApplicationAnswer> {
    return this.call('POST', '/clearing/applications', this.timeouts.actionMs, { ...subject, requested_by });
  }

  /** The month's application form (3205A): the service asks the platform, hence the longer timeout. */
  printout(subject: ClearingSubject): Promise<ClearingPrintout> {
    const query = new URLSearchParams({ ...subject }).toString();
    return this.call('GET', `/clearing/applications/printout?${query}`, this.timeouts.actionMs);
  }

  withdraw(subject: ClearingSubject, requested_by: Operator): Promise<ClearingApplicationAnswer> {
    return this.call('POST', '/clearing/applications/withdrawal', this.timeouts.actionMs, {
      ...subject,
      requested_by,
    });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, timeoutMs: number, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError')
        throw new ReconciliationUnavailable(
          504,
          `对账服务 ${timeoutMs / 1000} 秒内未应答：申请可能仍在办理，请稍后刷新查看`,
        );
      throw new ReconciliationUnavailable(503, '对账服务暂时无法访问，请稍后重试');
    }
    const text = await response.text().catch(() => '');
    const parsed = parseJson(text);
    if (response.ok && parsed !== undefined) return parsed as T;
    if (response.status >= 400 && response.status < 500) {
      // A 409 is the application's state, in the service's Chinese; anything else was a request it refused.
      const said = (parsed as { message?: unknown } | undefined)?.message;
      const message = typeof said === 'string' ? said : '';
      throw new ReconciliationRefused(
        response.status,
        response.status === 409 && message !== ''
          ? message
          : `对账服务不接受该请求（HTTP ${response.status}）${message && `：${message}`}`,
      );
    }
    throw new ReconciliationUnavailable(502, `对账服务出错（HTTP ${response.status}），请稍后重试`);
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
