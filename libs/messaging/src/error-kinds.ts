/**
 * What an error is, read from itself and what it wraps: `cause` (kafkajs retries, Error options), `driverError`
 * (TypeORM's QueryFailedError around pg's), `originalError` (kafkajs) and AggregateError's `errors` (Node's
 * connect to every address of a host).
 */
function* errorChain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 8 || typeof error !== 'object' || error === null) return;
  const e = error as Record<string, unknown>;
  yield e;
  for (const inner of [e.cause, e.driverError, e.originalError]) yield* errorChain(inner, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* errorChain(inner, depth + 1);
}

/** Whether the broker refused a produce request as larger than the topic's max.message.bytes allows. */
export function isMessageTooLarge(error: unknown): boolean {
  for (const e of errorChain(error)) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}

/** Socket errors of a server that is down, restarting or unreachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's SQLSTATEs of a server that cannot serve now: 57P01 admin_shutdown (a failover, a restart),
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up), 53300 too_many_connections; class 08 (connection
 * exception) is matched as a whole.
 */
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/** What pg and pg-pool say, without a code, when a connection is lost or cannot be had in time. */
const POSTGRES_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
];

/** kafkajs's errors of a broker that cannot be reached or answered too late. */
const KAFKAJS_CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
]);

/**
 * Whether the error says that PostgreSQL or the broker is unreachable or unavailable, rather than that the message
 * or the business refused: the fault is the infrastructure's and passes, so the message is waited out, never
 * dead-lettered. kafkajs protocol errors count when kafkajs marks them retriable (no leader, a coordinator
 * moving, not enough replicas…). A WaitOutHandlerError counts too: the handler says the message must wait.
 */
export function isInfrastructureError(error: unknown): boolean {
  for (const e of errorChain(error)) {
    const code = e.code;
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || POSTGRES_UNAVAILABLE.has(code)) return true;
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    if (typeof e.name === 'string') {
      if (KAFKAJS_CONNECTION_ERRORS.has(e.name)) return true;
      if (e.name === 'KafkaJSProtocolError' && e.retriable === true) return true;
    }
    if (e.waitOut === true) return true;
    const message = e.message;
    if (typeof message === 'string' && POSTGRES_CONNECTION_MESSAGES.some((m) => m.test(message))) return true;
  }
  return false;
}
