import { type LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import {
  PATIENT_IDENTIFIER_FIELDS,
  maskIdentifier,
  maskIdentifiersInText,
  maskPatientIdentifiers,
} from './patient-identifiers';

export interface LoggerOptions {
  serviceName: string;
  /** Defaults to LOG_LEVEL, then info. */
  level?: string;
  /** Defaults to stdout. */
  destination?: DestinationStream;
}

/**
 * A pino logger whose lines carry the active span's trace_id and span_id (so an SRE jumps from a log
 * line to its trace) and never a patient identifier in clear: every logged object and child binding is
 * masked at any depth by the one identifier list.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: options.serviceName },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const span = trace.getActiveSpan()?.spanContext();
        return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
      },
      // Logged objects are masked at any depth by the formatter; child-logger bindings do not pass
      // through it, so the same list is also given to pino's redaction for them.
      formatters: { log: (object) => maskPatientIdentifiers(object) },
      // The message itself (and its printf arguments) may quote an ID or mobile number.
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskIdentifiersInText(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      redact: {
        paths: PATIENT_IDENTIFIER_FIELDS.flatMap((field) => [field, `*.${field}`]),
        censor: (value) => maskIdentifier(value),
      },
    },
    options.destination ?? pino.destination(1),
  );
}

/**
 * Nest's start-up inventory (each module initialised, each controller and route mapped): a hundred lines per
 * service that say the code is what it is. Debug, so that a start shows what happened rather than the wiring.
 */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** NestJS's LoggerService on top of a pino logger, so that Nest's own messages get the same treatment. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    this.write(WIRING_CONTEXTS.has(context as string) ? 'debug' : 'info', message, optionalParams);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  // Nest passes the context (the class name) last and, for errors, the stack before it.
  private write(level: pino.Level, message: unknown, params: unknown[]): void {
    const context =
      typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    const rest = context === undefined ? params : params.slice(0, -1);
    const fields: Record<string, unknown> = context ? { context } : {};
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}
