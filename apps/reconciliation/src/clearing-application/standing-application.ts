import Decimal from 'decimal.js';
import { type Output3205A } from '@yb/platform-client';
import { type ClearingSubject, type DeclaredTotals } from './clearing-application.events';

export type PlatformClearingRecord = Output3205A['clr_appys'][number];

const AMOUNTS = ['medfee_sumamt', 'fund_appy_sum', 'cash_payamt', 'acct_pay'] as const;

/**
 * The application the platform holds for the month that is the one we asked for: of our clr_type and month,
 * with the totals we declared, to the fen (each one the platform gives; it is tolerant of a field left out).
 * The platform keeps one standing application per month × clr_type × agency, so at most one fits; a standing
 * one with other totals was made elsewhere (at the agency's counter, another system) and is not ours.
 */
export function ourStandingApplication(
  records: readonly PlatformClearingRecord[],
  subject: ClearingSubject,
  declared: DeclaredTotals,
): PlatformClearingRecord | undefined {
  const fits = records.filter(
    (record) =>
      (record.clr_type === undefined || record.clr_type === subject.clr_type) &&
      (record.clr_ym === undefined || record.clr_ym === subject.setlym) &&
      AMOUNTS.every((field) => record[field] === undefined || new Decimal(record[field]).eq(declared[field])),
  );
  return fits.length === 1 ? fits[0] : undefined;
}
