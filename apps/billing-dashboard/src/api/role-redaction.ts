import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { isPatientIdentifier, maskIdentifier, maskIdentifiersInText } from '@yb/observability';
import { from, mergeMap, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { type SessionUser } from '../auth/auth.service';
import { DASHBOARD_TABLES, type DashboardTables } from '../read-model/dashboard-tables';
import { VisitPatients } from '../read-model/visit-patient';

/**
 * Fields that hold free text from the platform, the services or a person (err_msg quoted in an attention or a
 * timeline detail, a finding's wording, a comment): masked for viewers and operators, at any depth inside them.
 */
const FREE_TEXT = new Set([
  'attention',
  'detail',
  'reason',
  'reasons',
  'vola_cont',
  'rule_name',
  'ack_comment',
  'comment',
  'target',
  'err_msg',
  'explanation',
  'stmt_rslt_dscr',
]);

function collectIptNos(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collectIptNos(item, into);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, field] of Object.entries(value)) {
      if (key === 'ipt_no' && typeof field === 'string') into.add(field);
      else collectIptNos(field, into);
    }
  }
}

/** Every string inside `value` with identifiers masked (free text), dates and numbers as they are. */
function maskText(value: unknown, known: readonly string[]): unknown {
  if (typeof value === 'string') return maskIdentifiersInText(value, known);
  if (Array.isArray(value)) return value.map((item) => maskText(item, known));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, maskText(field, known)]));
  }
  return value;
}

/** The answer as a viewer or operator sees it: identifier fields masked, free-text fields masked. */
export function redactAnswer(value: unknown, known: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => redactAnswer(item, known));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      isPatientIdentifier(key) && typeof field === 'string'
        ? maskIdentifier(field)
        : FREE_TEXT.has(key)
          ? maskText(field, known)
          : redactAnswer(field, known),
    ]),
  );
}

/**
 * Masks patient identifiers in every read-model answer for viewers and operators (admins see them): fields
 * named in the identifier list, ID and mobile numbers in free text, and the identifiers of the visits the answer
 * names (their name, certificate, person number), which no pattern could find.
 */
@Injectable()
export class RoleRedaction implements NestInterceptor {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DASHBOARD_TABLES) private readonly t: DashboardTables,
  ) {}

  private readonly patients = new VisitPatients();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = context.switchToHttp().getRequest<{ user?: SessionUser }>().user;
    return next
      .handle()
      .pipe(mergeMap((answer: unknown) => (user?.role === 'admin' ? [answer] : from(this.redacted(answer)))));
  }

  private async redacted(answer: unknown): Promise<unknown> {
    const iptNos = new Set<string>();
    collectIptNos(answer, iptNos);
    const rows: { ipt_no: string; patient: unknown; patient_identifiers: string[] }[] =
      iptNos.size === 0
        ? []
        : await this.db.query(
            `SELECT ipt_no, patient, patient_identifiers FROM ${this.t.visits} WHERE ipt_no = ANY($1)`,
            [[...iptNos]],
          );
    return redactAnswer(
      answer,
      rows.flatMap((row) => [
        ...this.patients.open(row.ipt_no, row.patient).identifiers,
        ...row.patient_identifiers,
      ]),
    );
  }
}
