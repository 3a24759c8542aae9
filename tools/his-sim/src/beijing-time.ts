// The HIS lives in Beijing time (UTC+8, no daylight saving). Simulated instants are epoch milliseconds;
// these turn them into the platform's wall-clock formats and into ISO strings with the +08:00 offset.
const OFFSET_MS = 8 * 3600_000;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;

function wallClock(instant: number): { date: string; time: string } {
  const iso = new Date(instant + OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time. */
export function platformDateTime(instant: number): string {
  const { date, time } = wallClock(instant);
  return `${date} ${time}`;
}

/** `yyyy-MM-dd` in Beijing time. */
export function platformDate(instant: number): string {
  return wallClock(instant).date;
}

/** ISO 8601 with the +08:00 offset, for envelope occurredAt. */
export function isoBeijing(instant: number): string {
  const { date, time } = wallClock(instant);
  return `${date}T${time}+08:00`;
}

/** Midnight (Beijing) of the day `instant` falls in. */
export function beijingMidnight(instant: number): number {
  return Math.floor((instant + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/** A yyyyMMdd stamp in Beijing time. */
export function compactDate(instant: number): string {
  return platformDate(instant).replace(/-/g, '');
}
