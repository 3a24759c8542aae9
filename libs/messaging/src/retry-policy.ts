/** How a failing handler is retried before its message goes to the dead-letter topic. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * The wait before attempt `attempt + 1`: exponential from initialDelayMs, capped at maxDelayMs, with
 * jitter in [50 %, 100 %] so that partitions failing together do not retry in lockstep.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Error(`retry.maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= policy.initialDelayMs)) {
    throw new Error('retry delays must satisfy 0 ≤ initialDelayMs ≤ maxDelayMs');
  }
  return policy;
}

/** A handler error that retrying cannot cure (e.g. a business rule refused the message): dead-letter at once. */
export class PermanentHandlerError extends Error {
  override readonly name = 'PermanentHandlerError';
}

/**
 * A handler error that says "not yet": the message must wait for work outside it (e.g. the visit's platform
 * request, while the platform is away) and is waited out like an unreachable database, never dead-lettered.
 */
export class WaitOutHandlerError extends Error {
  readonly waitOut = true;
}
