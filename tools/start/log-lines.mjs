// One log format for everything `npm start` prints: its own lines, every app's (pino JSON on their stdout and
// stderr), kafkajs' and Nest's (routed through pino in the apps), the HIS simulator's. On a terminal it is one
// readable line per entry; when the output is not a terminal, or NODE_ENV=production, or LOG_FORMAT=json, it is
// pino's JSON, one object per line, for a log shipper.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLOURS = { 10: 90, 20: 90, 30: 32, 40: 33, 50: 31, 60: 35 };
// Shown elsewhere in the line, or noise on a developer's terminal.
const HIDDEN = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'span_id', 'err', 'stack']);

/** 'pretty' or 'json', from the environment and whether stdout is a terminal. */
export function logFormat(stream = process.stdout, env = process.env) {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return stream.isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/** A line an app printed that is not pino's JSON (a stray console.log): as pino would have logged it. */
export function asEntry(line, service, level = 30) {
  try {
    const entry = JSON.parse(line);
    if (entry && typeof entry === 'object' && typeof entry.level === 'number') {
      return { service, ...entry };
    }
  } catch {
    // not JSON: wrapped below
  }
  return { level, time: new Date().toISOString(), service, msg: line };
}

const value = (v) => (typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v));

/** One entry as a terminal line: time, level, service, message, the other fields as key=value. */
export function prettyLine(entry, colour = false) {
  const time =
    typeof entry.time === 'string'
      ? entry.time.slice(11, 23)
      : new Date(entry.time ?? Date.now()).toISOString().slice(11, 23);
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const paint = (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const fields = Object.entries(entry)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(([k, v]) => paint(90, `${k}=${k === 'trace_id' ? String(v).slice(0, 8) : value(v)}`));
  const error = entry.err ?? (entry.stack ? { stack: entry.stack } : undefined);
  const errorText = error
    ? `\n${paint(90, String(error.stack ?? error.message ?? JSON.stringify(error)).trimEnd())}`
    : '';
  return `${paint(90, time)} ${paint(COLOURS[entry.level] ?? 0, level)} ${paint(36, String(entry.service ?? '?').padEnd(17))} ${entry.msg ?? ''}${fields.length ? ` ${fields.join(' ')}` : ''}${errorText}`;
}

/** A writer of entries in the chosen format. */
export function logWriter(format = logFormat(), stream = process.stdout) {
  const colour = format === 'pretty' && stream.isTTY === true && !process.env.NO_COLOR;
  return (entry) =>
    stream.write(`${format === 'pretty' ? prettyLine(entry, colour) : JSON.stringify(entry)}\n`);
}
