import { describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import { createLookupEventsSource } from "../../../src/sources/cloudtrail-api/lookup-events-source.js";
import { fakeCloudTrailPerTest } from "./fake-cloudtrail-accounts.js";
import { ACCOUNT_A, NOW_MS, manyEvents, sameAccountChain } from "./small-org-records.js";

const fake = fakeCloudTrailPerTest();

describe("LookupEvents rate limits", () => {
  it("at the default 2 requests/s never trips the endpoint's real 2/s limit", async () => {
    await fake.start({ records: sameAccountChain.records, nowMs: NOW_MS });
    const accounts = fake.accounts();
    const source = createLookupEventsSource({ accounts, regions: ["us-east-1", "eu-west-1"], now: () => NOW_MS });
    const report = await traceRoleChain(source, { eventId: sameAccountChain.subjectEventId, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });
    expect(report.complete).toBe(true);
    expect(report.hops).toHaveLength(1);
    expect(source.stats().throttledCalls).toBe(0);
    // Subject by EventId, then the issuer (EventSource=sts) and the SwitchRole lookup: 3 per region.
    expect(fake.server.requests.map((r) => r.outcome)).toEqual(Array(6).fill("ok"));
  });

  it("above the endpoint's limit, throttled requests back off and the query still completes", async () => {
    const records = manyEvents(12);
    await fake.start({ records, nowMs: NOW_MS, requestsPerSecond: 5 });
    const accounts = fake.accounts();
    const source = createLookupEventsSource({
      accounts, regions: ["us-east-1"], requestsPerSecond: 50, now: () => NOW_MS,
      backoff: { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 30 },
    });
    const ids = records.map((r) => String(r["eventID"]));
    const [answer] = await source.query([{ eventIds: ids, accountIds: [ACCOUNT_A] }]);
    expect(answer?.events.map((e) => e.eventID).sort()).toEqual([...ids].sort());
    expect(answer?.coverage.accounts).toEqual([ACCOUNT_A]);
    const stats = source.stats();
    const throttled = fake.server.requests.filter((r) => r.outcome === "ThrottlingException").length;
    expect(stats.throttledCalls).toBeGreaterThan(0);
    expect(stats.throttledCalls).toBe(throttled);
    expect(stats.apiCalls).toBe(fake.server.requests.length);
    expect(source.problems()).toEqual([]);
  });
});
