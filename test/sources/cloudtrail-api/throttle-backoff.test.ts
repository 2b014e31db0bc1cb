import { describe, expect, it } from "vitest";
import { backoffDelayMs, retryWhenThrottled, type BackoffPolicy } from "../../../src/sources/cloudtrail-api/throttle-backoff.js";
import { isRegionNotEnabledError, isThrottlingError } from "../../../src/sources/cloudtrail-api/lookup-errors.js";

const policy: BackoffPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

function awsError(name: string, status = 400): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

describe("backoff on throttling", () => {
  it("doubles up to the cap, half of each wait fixed and half random", () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([50, 100, 125, 125]);
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, policy, () => 1))).toEqual([100, 200, 250, 250]);
  });

  it("retries throttled tries until one succeeds, counting each", async () => {
    const outcomes = [awsError("ThrottlingException"), awsError("Unknown", 429), "page"];
    const sleeps: number[] = [];
    let throttled = 0;
    const result = await retryWhenThrottled(async () => {
      const next = outcomes.shift();
      if (next instanceof Error) throw next;
      return next;
    }, { policy, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0, onThrottled: () => { throttled++; } });
    expect(result).toBe("page");
    expect(throttled).toBe(2);
    expect(sleeps).toEqual([50, 100]);
  });

  it("gives up after maxAttempts, and never retries other errors", async () => {
    const hooks = { policy, sleep: async () => {}, random: () => 0, onThrottled: () => {} };
    let tries = 0;
    await expect(retryWhenThrottled(async () => { tries++; throw awsError("ThrottlingException"); }, hooks)).rejects.toThrow("ThrottlingException");
    expect(tries).toBe(4);
    tries = 0;
    await expect(retryWhenThrottled(async () => { tries++; throw awsError("AccessDeniedException"); }, hooks)).rejects.toThrow("AccessDenied");
    expect(tries).toBe(1);
  });

  it("tells throttling and not-enabled regions apart from other errors", () => {
    expect(isThrottlingError(awsError("ThrottlingException"))).toBe(true);
    expect(isThrottlingError(awsError("SomethingElse", 429))).toBe(true);
    expect(isThrottlingError(awsError("AccessDeniedException"))).toBe(false);
    expect(isRegionNotEnabledError(awsError("UnrecognizedClientException"))).toBe(true);
    expect(isRegionNotEnabledError(awsError("InvalidClientTokenId", 403))).toBe(true);
    expect(isRegionNotEnabledError(awsError("AccessDeniedException"))).toBe(false);
  });
});
