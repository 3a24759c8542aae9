/** The logging the messaging library needs; a pino logger satisfies it. */
export interface MessagingLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

function line(level: string) {
  return (fields: object, message: string) =>
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`,
    );
}

/** JSON lines on stderr, for hosts that are not given a logger. */
export const stderrLogger: MessagingLogger = { info: line('info'), warn: line('warn'), error: line('error') };
