// kafkajs 2.2.4's request queue, not in its typings: the class each broker connection queues its requests in.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: RequestQueueInternals;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('kafkajs/package.json') as { version: string };

interface RequestQueueInternals {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own interval for a queue that holds requests back (CHECK_PENDING_REQUESTS_INTERVAL, module-private). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * Stops kafkajs 2.2.4's idle loop: every broker connection's request queue re-arms a timer after each check, and
 * with nothing pending and no throttle its delay is `-1 - Date.now()`, which Node runs after 1 ms — a check a
 * millisecond on every connection of every client, for ever (tulios/kafkajs#1556, #1704; the fix, #1667 and #1768,
 * was never released). Measured here: 38–57 ms of CPU a second in each idle service, on a machine whose two cores
 * the services, Kafka and PostgreSQL share. Patched as #1768's review proposes: nothing pending and no throttle
 * running, no timer — a request pushed behind a limit schedules a check itself, and a fulfilled one checks the
 * queue. Applied once per process, on the version it was written for only; `patched` says whether it was (a test
 * fails when an upgrade makes this unnecessary, or different).
 */
function stopIdleLoop(): boolean {
  const queue = RequestQueue.prototype;
  if (
    version !== '2.2.4' ||
    !/this\.throttledUntil - Date\.now\(\)/.test(String(queue.scheduleCheckPendingRequests))
  )
    return false;
  queue.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals) {
    if (this.throttleCheckTimeoutId) return;
    let delay = this.throttledUntil - Date.now();
    if (this.pending.length > 0) delay = delay > 0 ? delay : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    else if (delay <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
  return true;
}

export const kafkajsIdleLoop = { patched: stopIdleLoop() } as const;
