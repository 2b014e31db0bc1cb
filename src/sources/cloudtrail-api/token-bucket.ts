/**
 * A token bucket that makes callers wait their turn: `take()` resolves when the caller may send one
 * request. Tokens refill at `ratePerSecond` up to `burst`; a caller that finds none reserves the next
 * one (the balance goes negative) and sleeps until it is due, so waiters are served in call order
 * and the rate holds however many callers queue up.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly burst = 1,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.refilledAt = clock();
  }

  async take(): Promise<void> {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.ratePerSecond) / 1000);
    this.refilledAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.sleep((-this.tokens * 1000) / this.ratePerSecond);
  }
}

/** One bucket per key (per account and region for LookupEvents), created on first use. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  take(key: string): Promise<void> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.clock, this.sleep);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }
}
