import { isThrottlingError } from "./lookup-errors.js";

export interface BackoffPolicy {
  /** Tries per request, the first included. */
  maxAttempts: number;
  /** Wait before the second try; doubles with every further try. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Generous on purpose: a long trace should slow down under throttling, not fail (~2 min worst case). */
export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 20_000 };

/**
 * The wait after the `attempt`-th throttled try (1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that callers throttled together do not retry together.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

export interface RetryHooks {
  policy: BackoffPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Called for every throttled try, the last one included. */
  onThrottled: () => void;
}

/** Runs `send` until it succeeds, fails with anything but throttling, or runs out of tries. */
export async function retryWhenThrottled<T>(send: () => Promise<T>, hooks: RetryHooks): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      hooks.onThrottled();
      if (attempt >= hooks.policy.maxAttempts) throw error;
      await hooks.sleep(backoffDelayMs(attempt, hooks.policy, hooks.random));
    }
  }
}
