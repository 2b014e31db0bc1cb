import { describe, expect, it } from "vitest";
import { KeyedRateLimiter, TokenBucket } from "../../../src/sources/cloudtrail-api/token-bucket.js";

/** A clock that only moves when someone sleeps: sleeps are recorded and advance time at once. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => { sleeps.push(ms); now += ms; },
    advance: (ms: number) => { now += ms; },
    sleeps,
  };
}

describe("TokenBucket", () => {
  it("lets the first request through and spaces the rest 1/rate apart", async () => {
    const time = virtualTime();
    const bucket = new TokenBucket(2, time.clock, time.sleep);
    const sentAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      await bucket.take();
      sentAt.push(time.clock());
    }
    expect(sentAt).toEqual([0, 500, 1000, 1500]);
  });

  it("queues concurrent callers in call order, each reserving the next slot", async () => {
    const time = virtualTime();
    const bucket = new TokenBucket(2, time.clock, async (ms) => { time.sleeps.push(ms); });
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(time.sleeps).toEqual([500, 1000]);
  });

  it("does not save up tokens beyond the burst while idle", async () => {
    const time = virtualTime();
    const bucket = new TokenBucket(2, time.clock, time.sleep);
    await bucket.take();
    time.advance(10_000);
    await bucket.take();
    await bucket.take();
    expect(time.sleeps).toEqual([500]);
  });

  it("rejects a rate that is not positive", () => {
    const time = virtualTime();
    expect(() => new TokenBucket(0, time.clock, time.sleep)).toThrow(RangeError);
  });
});

describe("KeyedRateLimiter", () => {
  it("keeps one bucket per key: account+region pairs do not slow each other down", async () => {
    const time = virtualTime();
    const limiter = new KeyedRateLimiter(2, time.clock, async (ms) => { time.sleeps.push(ms); });
    await Promise.all([limiter.take("111/us-east-1"), limiter.take("111/eu-west-1"), limiter.take("222/us-east-1"), limiter.take("111/us-east-1")]);
    expect(time.sleeps).toEqual([500]);
  });
});
