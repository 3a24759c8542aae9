import { isInfrastructureError } from '@yb/messaging';
import { type Logger } from 'pino';

/** How long a start waits for PostgreSQL or the broker (a failover, a restart during an outage) before failing. */
const START_WAIT_MS = 5 * 60_000;
const RETRY_MS = 2_000;

/**
 * Runs `attempt` until it succeeds, again every 2 s while it fails because `what` is unreachable (an
 * infrastructure error), for at most 5 minutes: a service started during an outage waits for it to pass, as it
 * would once running, instead of exiting. Any other error fails the start at once.
 */
export async function waitOutAtStart<T>(
  what: string,
  attempt: () => Promise<T>,
  logger?: Logger,
): Promise<T> {
  const giveUpAt = Date.now() + START_WAIT_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isInfrastructureError(err) || Date.now() > giveUpAt) throw err;
      logger?.warn({ err }, `${what} unreachable at start: trying again in ${RETRY_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
