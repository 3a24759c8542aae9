import { CronExpressionParser } from 'cron-parser';

/** Whether `cron` is a cron expression (5 fields, or 6 with seconds): for a service's schedule configuration. */
export function parsesAsCron(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron);
    return true;
  } catch {
    return false;
  }
}

/** Whether `zone` is an IANA time zone this runtime knows (Asia/Shanghai …). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
