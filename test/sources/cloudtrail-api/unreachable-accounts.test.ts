import { describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import { createLookupEventsSource } from "../../../src/sources/cloudtrail-api/lookup-events-source.js";
import { fakeCloudTrailPerTest, type FakeAccountsOptions } from "./fake-cloudtrail-accounts.js";
import { ACCOUNT_A, ACCOUNT_B, NOW_MS, crossAccountChain, issuerInOtherAccount, sameAccountChain } from "./small-org-records.js";

const RATE = 100;
const OPT_IN_REGION = "ap-east-2";
const fake = fakeCloudTrailPerTest();

async function setUp(records: readonly unknown[], accountOptions: FakeAccountsOptions = {}) {
  await fake.start({ records, nowMs: NOW_MS, requestsPerSecond: RATE, disabledRegions: [OPT_IN_REGION] });
  const access = fake.accounts(accountOptions);
  return createLookupEventsSource({ accounts: access, regions: ["us-east-1", "eu-west-1", OPT_IN_REGION], requestsPerSecond: RATE, now: () => NOW_MS });
}

const traceOptions = (eventId: string) => ({ eventId, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });

describe("LookupEvents source: accounts and regions it cannot read", () => {
  it("an unreachable caller account is a problem and the gap names it; the trace does not fail", async () => {
    const source = await setUp(crossAccountChain.records, { defaultAccounts: [ACCOUNT_A, ACCOUNT_B], reachable: [ACCOUNT_A] });
    const report = await traceRoleChain(source, traceOptions(crossAccountChain.subjectEventId));
    expect(report.hops).toHaveLength(1);
    expect(report.complete).toBe(false);
    expect(report.gaps.map((g) => g.reason)).toEqual(["caller-account-logs-missing"]);
    expect(report.gaps[0]?.message).toContain(`account ${ACCOUNT_B}`);
    expect(report.skipped).toEqual([{
      location: `cloudtrail:${ACCOUNT_B}`, reason: `account ${ACCOUNT_B}: no credentials for this account (no profile or role to assume)`, effect: "skipped",
    }]);
  });

  it("an issuer in an unreachable account: the gap's coverage lacks that account and skipped says why", async () => {
    const source = await setUp(issuerInOtherAccount.records, { defaultAccounts: [ACCOUNT_A, ACCOUNT_B], reachable: [ACCOUNT_A] });
    const report = await traceRoleChain(source, traceOptions(issuerInOtherAccount.subjectEventId));
    expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
    expect(report.gaps[0]?.searched?.coverage.accounts).toEqual([ACCOUNT_A]);
    expect(report.gaps[0]?.searched?.coverage.earliestEventTime).toBe("2026-11-17T09:00:00Z");
    expect(report.skipped.map((s) => s.reason)).toEqual([`account ${ACCOUNT_B}: no credentials for this account (no profile or role to assume)`]);
  });

  it("a region the account has not enabled is dropped silently after its first answer", async () => {
    const source = await setUp(sameAccountChain.records, {});
    const report = await traceRoleChain(source, traceOptions(sameAccountChain.subjectEventId));
    expect(report.complete).toBe(true);
    expect(report.skipped).toEqual([]);
    expect(fake.server.requests.filter((r) => r.region === OPT_IN_REGION)).toEqual([
      { account: ACCOUNT_A, region: OPT_IN_REGION, attribute: `EventId=${sameAccountChain.subjectEventId}`, page: 1, outcome: "UnrecognizedClientException" },
    ]);
    expect(source.stats().regionsNotEnabled).toBe(1);
    const [answer] = await source.query([{ eventIds: [sameAccountChain.subjectEventId] }]);
    expect(answer?.coverage.regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("credentials every region rejects are one problem for the account", async () => {
    await fake.start({ records: sameAccountChain.records, nowMs: NOW_MS, requestsPerSecond: RATE, accessKeys: new Map() });
    const access = fake.accounts({ reachable: [ACCOUNT_A], defaultAccounts: [ACCOUNT_A] });
    const source = createLookupEventsSource({ accounts: access, regions: ["us-east-1", "eu-west-1"], requestsPerSecond: RATE, now: () => NOW_MS });
    const [answer] = await source.query([{ eventIds: [sameAccountChain.subjectEventId] }]);
    expect(answer).toEqual({ events: [], coverage: { accounts: [], regions: [], earliestEventTime: null, latestEventTime: null } });
    expect(source.problems()).toEqual([{
      location: `cloudtrail:${ACCOUNT_A}`, effect: "skipped",
      reason: `account ${ACCOUNT_A}: no region accepted the credentials (UnrecognizedClientException: The security token included in the request is invalid.)`,
    }]);
  });
});
