import { describe, expect, it } from "vitest";
import { createLookupEventsSource, type LookupEventsSource } from "../../../src/sources/cloudtrail-api/lookup-events-source.js";
import { fakeCloudTrailPerTest } from "./fake-cloudtrail-accounts.js";
import { ACCOUNT_A, ACCOUNT_B, NOW_MS, crossAccountChain, manyEvents } from "./small-org-records.js";

const RATE = 100;
const fake = fakeCloudTrailPerTest();

async function sourceOver(records: readonly unknown[], nowMs = NOW_MS): Promise<LookupEventsSource> {
  await fake.start({ records, nowMs, requestsPerSecond: RATE });
  const accounts = fake.accounts();
  return createLookupEventsSource({ accounts, regions: ["us-east-1"], requestsPerSecond: RATE, now: () => nowMs });
}

const TEN_AM = Date.parse("2026-11-17T10:00:00Z");

describe("LookupEvents source", () => {
  it("pages with NextToken until the lookup is exhausted, 50 events a page", async () => {
    const source = await sourceOver([...manyEvents(120), ...manyEvents(7, "RunInstances")]);
    const [answer] = await source.query([{ eventNames: ["DescribeInstances"], timeRange: { startMs: TEN_AM, endMs: TEN_AM + 3_600_000 } }]);
    expect(answer?.events).toHaveLength(120);
    expect(fake.server.requests.map((r) => [r.attribute, r.page])).toEqual([1, 2, 3].map((p) => ["EventName=DescribeInstances", p]));
    expect(source.stats()).toMatchObject({ apiCalls: 3, unitsRead: 3, lookups: 1, maxPagesPerLookup: 3, recordsScanned: 120, queries: 1 });
    expect(answer?.events[0]?.location).toEqual({ origin: `cloudtrail:${ACCOUNT_A}:us-east-1`, accountId: ACCOUNT_A, region: "us-east-1" });
  });

  it("filters what a lookup over-fetches with the query's own meaning", async () => {
    // GetCallerIdentity in the same second: EventSource=sts returns it, the query does not want it.
    const [noise] = manyEvents(1, "GetCallerIdentity").map((r) => ({ ...r, eventSource: "sts.amazonaws.com", eventTime: "2026-11-17T09:00:00Z" }));
    const source = await sourceOver([...crossAccountChain.records, noise]);
    const [answer] = await source.query([{
      eventNames: ["AssumeRole", "AssumeRoleWithSAML"], issuedSessionArns: [`arn:aws:sts::${ACCOUNT_A}:assumed-role/deploy/bob`],
      timeRange: { startMs: Date.parse("2026-11-17T09:00:00Z"), endMs: Date.parse("2026-11-17T09:00:00Z") + 999 },
    }]);
    // Both copies of the cross-account call (owner's in A, caller's in B), nothing else.
    expect(answer?.events.map((e) => `${e.eventName} ${e.recipientAccountId}`)).toEqual([`AssumeRole ${ACCOUNT_A}`, `AssumeRole ${ACCOUNT_B}`]);
    expect(fake.server.requests.map((r) => r.attribute)).toEqual(["EventSource=sts.amazonaws.com", "EventSource=sts.amazonaws.com"]);
    expect(source.stats().recordsScanned).toBe(3);
    expect(answer?.coverage).toEqual({ accounts: [ACCOUNT_A, ACCOUNT_B], regions: ["us-east-1"], earliestEventTime: "2026-11-17T09:00:00Z", latestEventTime: "2026-11-17T09:00:00Z" });
  });

  it("refuses a query with nothing to look up by and no time range, without a request", async () => {
    const source = await sourceOver(manyEvents(3));
    const [answer] = await source.query([{ issuedSessionArns: ["arn:aws:sts::111111111111:assumed-role/a/b"] }]);
    expect(answer?.events).toEqual([]);
    expect(answer?.coverage.accounts).toEqual([]);
    expect(fake.server.requests).toEqual([]);
    expect(source.problems()).toHaveLength(1);
    expect(source.problems()[0]?.reason).toMatch(/would page through all 90 days/);
  });

  it("answers a range older than the 90-day history with nothing searched, and says so once", async () => {
    const source = await sourceOver(manyEvents(3), TEN_AM + 100 * 86_400_000);
    const old = { eventIds: ["x"], timeRange: { startMs: TEN_AM - 3_600_000, endMs: TEN_AM + 3_600_000 } };
    const answers = await source.query([old, old]);
    expect(answers.map((a) => a.coverage)).toEqual([0, 1].map(() => ({ accounts: [], regions: [], earliestEventTime: null, latestEventTime: null })));
    expect(fake.server.requests).toEqual([]);
    expect(source.problems().map((p) => p.reason)).toEqual([expect.stringMatching(/last 90 days/)]);
  });

  it("reports a window clipped by the 90-day history as the clipped window", async () => {
    const now = TEN_AM + 30 * 86_400_000;
    const source = await sourceOver(manyEvents(3), now);
    const [answer] = await source.query([{ eventNames: ["DescribeInstances"], timeRange: { startMs: now - 200 * 86_400_000, endMs: now } }]);
    expect(answer?.events).toHaveLength(3);
    expect(answer?.coverage.earliestEventTime).toBe(new Date(now - 90 * 86_400_000).toISOString().replace(".000Z", "Z"));
    expect(source.problems().map((p) => p.effect)).toEqual(["partial"]);
  });
});
