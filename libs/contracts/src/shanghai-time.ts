// The platform's timestamps are Beijing time whatever the server's zone. China has had no daylight saving
// since 1991, so Asia/Shanghai is a fixed UTC+8 and needs no tz database.
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

function shanghaiParts(at: Date): [string, string, string, string, string, string] {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return [
    String(d.getUTCFullYear()).padStart(4, '0'),
    two(d.getUTCMonth() + 1),
    two(d.getUTCDate()),
    two(d.getUTCHours()),
    two(d.getUTCMinutes()),
    two(d.getUTCSeconds()),
  ];
}

/** `yyyyMMddHHmmss` in Asia/Shanghai: the time part of a msgid. */
export function shanghaiSecondStamp(at: Date): string {
  return shanghaiParts(at).join('');
}

/** `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai: the envelope's inf_time. */
export function shanghaiDateTime(at: Date): string {
  const [y, mo, d, h, mi, s] = shanghaiParts(at);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** `yyyy-MM-dd` in Asia/Shanghai: the business day a sign-in is valid for. */
export function shanghaiDate(at: Date): string {
  const [y, mo, d] = shanghaiParts(at);
  return `${y}-${mo}-${d}`;
}
