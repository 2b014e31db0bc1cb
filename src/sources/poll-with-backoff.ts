/** How a query engine's status is polled: fast at first for small queries, then backing off. */
export interface BackoffPolicy {
  /** First wait between polls; doubled after each until maxIntervalMs. */
  initialIntervalMs: number;
  maxIntervalMs: number;
  /** Stop asking once this much time has been waited in total. */
  timeoutMs: number;
}

export type PollOutcome<T> = { settled: true; value: T } | { settled: false; waitedMs: number };

/**
 * Calls `check` until it returns a value (the query reached a final state), sleeping between calls
 * as the policy says. When the timeout has been waited without one, says how long was waited: the
 * caller cancels the query in its own API's words.
 */
export async function pollWithBackoff<T>(
  check: () => Promise<T | undefined>, policy: BackoffPolicy, sleep: (ms: number) => Promise<void>,
): Promise<PollOutcome<T>> {
  let interval = policy.initialIntervalMs;
  let waitedMs = 0;
  for (;;) {
    const value = await check();
    if (value !== undefined) return { settled: true, value };
    if (waitedMs >= policy.timeoutMs) return { settled: false, waitedMs };
    await sleep(interval);
    waitedMs += interval;
    interval = Math.min(interval * 2, policy.maxIntervalMs);
  }
}
