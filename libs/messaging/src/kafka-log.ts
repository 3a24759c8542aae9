import { type LogEntry, logLevel, type logCreator } from 'kafkajs';
// kafkajs' own table of protocol errors, each marked retriable or not (not in its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: { type: string; message: string; retriable: boolean }[];
};

/** Where kafkajs' lines go: a pino logger satisfies it. */
export interface KafkaLogSink {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

// The member left the group (a rebalance, a missed session): kafkajs rejoins, or the consumer host restarts it
// and says so at error level itself.
const REJOIN_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION']);
const TRANSIENT_PROTOCOL_ERRORS = errorCodes
  .filter((c) => c.retriable || REJOIN_ERRORS.has(c.type))
  .map((c) => c.message);
// A broker still starting, restarting or briefly unreachable: kafkajs retries each of these itself.
const NETWORK_ERRORS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection (error|timeout)|Closed connection|Request .* timed out|reconnecting|Restarting the consumer/i;
/** How long a transient condition is logged at debug before it is worth a warning. */
const QUIET_MS = 30_000;

/** A kind of transient line repeating: since when, when last seen, when last warned of. */
interface Streak {
  since: number;
  last: number;
  warnedAt?: number;
}

/**
 * The streaks of transient lines, by kind: a line's text with its numbers taken out, so that "Restarting the
 * consumer in 1532ms" and "… in 2987ms" are one kind. A streak quiet for QUIET_MS has ended and is forgotten when
 * a new kind comes, so a process that meets many kinds over its life (brokers' addresses change) keeps only those
 * of the last moments.
 */
export class TransientStreaks {
  private readonly byKind = new Map<string, Streak>();

  /** The streak `text` continues at `at`, or the one it starts. */
  seen(text: string, at: number): Streak {
    const kind = text.replace(/\d+/g, '#');
    const previous = this.byKind.get(kind);
    if (previous && at - previous.last <= QUIET_MS) {
      previous.last = at;
      return previous;
    }
    if (!previous) this.forgetEnded(at);
    const streak = { since: at, last: at };
    this.byKind.set(kind, streak);
    return streak;
  }

  /** How many kinds it remembers. */
  get size(): number {
    return this.byKind.size;
  }

  private forgetEnded(at: number): void {
    for (const [kind, streak] of this.byKind) if (at - streak.last > QUIET_MS) this.byKind.delete(kind);
  }
}

/**
 * kafkajs' log lines through the service's logger (one format with everything else), with what kafkajs retries by
 * itself kept quiet while it lasts: a broker warming up answers "The coordinator is loading" for seconds, which
 * kafkajs logs as ERROR though the group joins a moment later; a member that lost its place answers every
 * heartbeat with "not aware of this member" until it rejoins. Such a line is debug for the first 30 s of a
 * streak, then a warning every 30 s while it goes on; an error kafkajs does not retry stays an error.
 */
export function kafkaLogCreator(sink: KafkaLogSink, now: () => number = Date.now): logCreator {
  const streaks = new TransientStreaks();
  return () => (entry: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry.log;
    const line = { kafkajs: entry.namespace, ...fields };
    const text = `kafkajs: ${message}`;
    if (entry.level === logLevel.DEBUG) return sink.debug(line, text);
    if (entry.level === logLevel.INFO) return sink.info(line, text);
    const error = typeof fields.error === 'string' ? fields.error : '';
    const said = `${message} ${error}`;
    const transient =
      NETWORK_ERRORS.test(said) || TRANSIENT_PROTOCOL_ERRORS.some((text) => said.includes(text));
    if (!transient) return entry.level === logLevel.WARN ? sink.warn(line, text) : sink.error(line, text);
    const at = now();
    const streak = streaks.seen(`${entry.namespace}:${error || message}`, at);
    const due = streak.warnedAt === undefined || at - streak.warnedAt >= QUIET_MS;
    if (at - streak.since < QUIET_MS || !due) return sink.debug(line, text);
    streak.warnedAt = at;
    sink.warn({ ...line, transient_for_ms: at - streak.since }, `${text} (still retrying)`);
  };
}
