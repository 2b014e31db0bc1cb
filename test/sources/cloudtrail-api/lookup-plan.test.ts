import { describe, expect, it } from "vitest";
import {
  EVENT_HISTORY_MS, STS_SOURCE_MAX_WINDOW_MS, planLookups, usernameOfCallerArn, type LookupPlan,
} from "../../../src/sources/cloudtrail-api/lookup-plan.js";

const NOW = Date.parse("2026-11-18T06:00:00Z");
const SECOND = Date.parse("2026-11-17T10:00:00Z");
const oneSecond = { startMs: SECOND, endMs: SECOND + 999 };
const s = (ms: number) => ms / 1000;

function attributes(plan: LookupPlan): (string | null)[] {
  if (plan.kind !== "lookups") throw new Error(`expected lookups, got ${plan.kind}`);
  return plan.calls.map((c) => (c.attribute ? `${c.attribute.key}=${c.attribute.value}` : null));
}

describe("planLookups", () => {
  it("looks a subject up by EventId, one call per id, over the whole 90-day history", () => {
    const plan = planLookups({ eventIds: ["e-1", "e-2", "e-1"] }, NOW);
    expect(attributes(plan)).toEqual(["EventId=e-1", "EventId=e-2"]);
    expect(plan).toMatchObject({ window: { startMs: NOW - EVENT_HISTORY_MS, endMs: NOW }, clippedByHistory: false });
    expect(plan.kind === "lookups" && plan.calls[0]).toEqual({ attribute: { key: "EventId", value: "e-1" }, startTimeSeconds: s(NOW - EVENT_HISTORY_MS), endTimeSeconds: s(NOW) });
  });

  it("prefers EventId to every other field", () => {
    expect(attributes(planLookups({ eventIds: ["e-1"], eventNames: ["AssumeRole"], accountIds: ["111111111111"] }, NOW))).toEqual(["EventId=e-1"]);
  });

  it("covers the tracer's issuer query (three AssumeRole* names, one second) with one EventSource=sts call", () => {
    const plan = planLookups({
      eventNames: ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"],
      issuedSessionArns: ["arn:aws:sts::111111111111:assumed-role/admin/alice"], timeRange: oneSecond, accountIds: ["111111111111"],
    }, NOW);
    expect(attributes(plan)).toEqual(["EventSource=sts.amazonaws.com"]);
    // StartTime rounds down and EndTime up: the API window never narrows the query's.
    expect(plan.kind === "lookups" && plan.calls[0]).toMatchObject({ startTimeSeconds: s(SECOND), endTimeSeconds: s(SECOND) + 1 });
  });

  it("uses EventName when the query has exactly one name", () => {
    expect(attributes(planLookups({ eventNames: ["GetFederationToken"], timeRange: oneSecond }, NOW))).toEqual(["EventName=GetFederationToken"]);
    expect(attributes(planLookups({ eventNames: ["SwitchRole"], callerArns: ["arn:aws:sts::1:assumed-role/r/s"], timeRange: oneSecond }, NOW)))
      .toEqual(["EventName=SwitchRole"]);
  });

  it("asks per EventName when the names are not all STS's, or the window is long (GetCallerIdentity would fill EventSource pages)", () => {
    const sweep = ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "CreateRole", "UpdateAssumeRolePolicy"];
    expect(attributes(planLookups({ eventNames: sweep, timeRange: { startMs: SECOND, endMs: SECOND + 2 * 86_400_000 } }, NOW + 2 * 86_400_000)))
      .toEqual(sweep.map((n) => `EventName=${n}`));
    const lookback = { startMs: SECOND - 12 * 3_600_000, endMs: SECOND };
    expect(attributes(planLookups({ eventNames: ["AssumeRole", "AssumeRoleWithSAML"], timeRange: lookback }, NOW)))
      .toEqual(["EventName=AssumeRole", "EventName=AssumeRoleWithSAML"]);
    const hour = { startMs: SECOND, endMs: SECOND + STS_SOURCE_MAX_WINDOW_MS };
    expect(attributes(planLookups({ eventNames: ["AssumeRole", "GetSessionToken"], timeRange: hour }, NOW))).toEqual(["EventSource=sts.amazonaws.com"]);
  });

  it("uses Username for a caller ARN (session name or IAM user name) when nothing better is given", () => {
    expect(attributes(planLookups({ callerArns: ["arn:aws:sts::1:assumed-role/admin/alice", "arn:aws:iam::1:user/ops/bob"] }, NOW)))
      .toEqual(["Username=alice", "Username=bob"]);
    expect(usernameOfCallerArn("arn:aws:iam::111111111111:root")).toBeNull();
  });

  it("never looks issued keys up by AccessKeyId (that attribute matches the signing key): a time range alone is searched without attribute", () => {
    expect(attributes(planLookups({ issuedAccessKeyIds: ["ASIAEXAMPLE"], timeRange: oneSecond }, NOW))).toEqual([null]);
    expect(attributes(planLookups({ sharedEventIds: ["s-1"], accountIds: ["111111111111"], timeRange: oneSecond }, NOW))).toEqual([null]);
    expect(attributes(planLookups({ callerArns: ["arn:aws:iam::1:root"], timeRange: oneSecond }, NOW))).toEqual([null]);
  });

  it("refuses a query with neither an attribute nor a time range (it would page through 90 days)", () => {
    expect(planLookups({}, NOW)).toMatchObject({ kind: "refused" });
    expect(planLookups({ issuedSessionArns: ["arn:aws:sts::1:assumed-role/a/b"], accountIds: ["111111111111"] }, NOW)).toMatchObject({ kind: "refused" });
  });

  it("clamps the window to the event history and says when it was clipped", () => {
    const plan = planLookups({ eventNames: ["AssumeRole"], timeRange: { startMs: NOW - 100 * 86_400_000, endMs: NOW + 3_600_000 } }, NOW);
    expect(plan).toMatchObject({ kind: "lookups", window: { startMs: NOW - EVENT_HISTORY_MS, endMs: NOW }, clippedByHistory: true });
  });

  it("runs nothing for a range entirely before the history or after now", () => {
    expect(planLookups({ eventIds: ["e-1"], timeRange: { startMs: NOW - 120 * 86_400_000, endMs: NOW - 91 * 86_400_000 } }, NOW))
      .toMatchObject({ kind: "outside-history" });
    expect(planLookups({ eventIds: ["e-1"], timeRange: { startMs: NOW + 1000, endMs: NOW + 2000 } }, NOW)).toMatchObject({ kind: "outside-history" });
  });

  it("plans no calls for lists that can match nothing", () => {
    expect(attributes(planLookups({ eventIds: [] }, NOW))).toEqual([]);
    expect(attributes(planLookups({ eventNames: [], timeRange: oneSecond }, NOW))).toEqual([]);
  });
});
