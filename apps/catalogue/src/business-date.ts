/** The calendar day (yyyy-MM-dd) of an instant in a time zone (the platform's dates are Beijing days). */
export function businessDate(at: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
