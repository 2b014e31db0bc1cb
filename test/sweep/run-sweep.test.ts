import { describe, expect, it } from "vitest";
import { SWEEP_EVENT_NAMES } from "../../src/core/sweep/detect-findings.js";
import { FindingSchema, type Finding } from "../../src/schema/finding.js";
import { SweepConfigSchema } from "../../src/schema/sweep-config.js";
import { runSweep } from "../../src/sweep/run-sweep.js";
import { resolveSweepWindow } from "../../src/sweep/sweep-window.js";
import { memorySource } from "../helpers/memory-source.js";
import { assumeRoleEvent, iamUserIdentity, longTermKey, tempKey, updateAssumeRolePolicyEvent, uuid } from "../helpers/cloudtrail-records.js";
import { crossAccountCall, ORG_ACCOUNT, OUTSIDE_ACCOUNT, OTHER_ORG_ACCOUNT, ownerEventId, simpleCrossAccountDetector } from "./sweep-test-kit.js";

const config = SweepConfigSchema.parse({ trustedAccounts: [ORG_ACCOUNT, OTHER_ORG_ACCOUNT] });
const window = resolveSweepWindow({ since: "2026-11-17T00:00:00Z", until: "2026-11-18T00:00:00Z", watermarkMs: null, overlapMs: 0, nowMs: 0 });

// An outside account whose own logs we hold (both copies), one whose logs we do not, and org-internal noise.
const traced = crossAccountCall("traced", { time: "2026-11-17T10:00:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT });
const ownerOnly = crossAccountCall("owner-only", { time: "2026-11-17T09:00:00Z", callerAccount: "888888888888", roleAccount: ORG_ACCOUNT });
const internal = crossAccountCall("internal", { time: "2026-11-17T11:00:00Z", callerAccount: OTHER_ORG_ACCOUNT, roleAccount: ORG_ACCOUNT });
const outsideWindow = crossAccountCall("late", { time: "2026-11-18T00:00:01Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT });
const records = [
  traced.ownerCopy, traced.callerCopy, traced.ownerCopy, // a duplicate copy (two files held it)
  ownerOnly.ownerCopy,
  internal.ownerCopy, internal.callerCopy,
  outsideWindow.ownerCopy,
  assumeRoleEvent({
    caller: iamUserIdentity({ accountId: ORG_ACCOUNT, userName: "dev", accessKeyId: longTermKey("dev") }),
    session: { roleArn: `arn:aws:iam::${ORG_ACCOUNT}:role/dev`, sessionName: "dev", accessKeyId: tempKey("dev"), issuedAt: "2026-11-17T08:00:00Z" },
    eventID: uuid("same-account"),
  }),
];

describe("runSweep", () => {
  it("asks the source once for cross-account AssumeRole and the other swept names in the window, and dedupes by eventID", async () => {
    const source = memorySource(records);
    const detect = simpleCrossAccountDetector();
    const result = await runSweep(source, { config, window, trace: false }, detect);
    const timeRange = { startMs: window.startMs, endMs: window.endMs };
    expect(source.queriesSeen).toEqual([
      { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange },
      { eventNames: SWEEP_EVENT_NAMES.filter((n) => n !== "AssumeRole"), timeRange },
    ]);
    expect(detect.calls).toBe(1);
    expect(detect.lastEvents.map((e) => e.eventID).filter((id) => id === ownerEventId("traced"))).toHaveLength(1);
    // The same-account AssumeRole cannot break a rule: it is not asked for.
    expect(detect.lastEvents.map((e) => e.eventID)).not.toContain(uuid("same-account"));
    expect(result.summary).toEqual({
      eventsScanned: records.length, candidateEvents: 5, findings: 2, newFindings: 2, suppressedAsAlreadyReported: 0, skippedFiles: 0,
    });
    expect(result.window).toEqual({ from: "2026-11-17T00:00:00Z", to: "2026-11-18T00:00:00Z" });
    // Ordered by eventTime.
    expect(result.findings.map((f) => f.eventID)).toEqual([ownerEventId("owner-only"), ownerEventId("traced")]);
    expect(result.findings.every((f) => f.trace === null)).toBe(true);
  });

  // VendorAudit's new trust policy admits the outside account, which an allow entry admits to
  // role/vendors/* only: whether the sweep reports it depends on knowing the role's path, which only
  // a same-account assumption of the role shows (UpdateAssumeRolePolicy names the role, not its path).
  const vendorConfig = SweepConfigSchema.parse({
    trustedAccounts: [ORG_ACCOUNT, OTHER_ORG_ACCOUNT],
    allow: [{ callerAccount: OUTSIDE_ACCOUNT, roleArn: `arn:aws:iam::${ORG_ACCOUNT}:role/vendors/*` }],
  });
  const vendorTrustChange = updateAssumeRolePolicyEvent({
    actor: iamUserIdentity({ accountId: ORG_ACCOUNT, userName: "admin", accessKeyId: longTermKey("admin") }), accountId: ORG_ACCOUNT,
    roleName: "VendorAudit", eventID: uuid("trust-change"), eventTime: "2026-11-17T12:00:00Z",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OUTSIDE_ACCOUNT}:root` }, Action: "sts:AssumeRole" }] },
  });
  const vendorAuditUse = assumeRoleEvent({
    caller: iamUserIdentity({ accountId: ORG_ACCOUNT, userName: "ops", accessKeyId: longTermKey("ops") }),
    session: { roleArn: `arn:aws:iam::${ORG_ACCOUNT}:role/vendors/VendorAudit`, sessionName: "ops", accessKeyId: tempKey("ops"), issuedAt: "2026-11-17T13:00:00Z" },
    eventID: uuid("same-account-vendor-audit"),
  });
  const trustFindings = (result: { findings: Finding[] }) => result.findings.filter((f) => f.kind === "trust-policy-external-principal");

  it("for a role whose trust policy changed, asks for its assumptions too: they show its path", async () => {
    const source = memorySource([...records, vendorTrustChange, vendorAuditUse]);
    const detect = simpleCrossAccountDetector();
    const counted = await runSweep(source, { config, window, trace: false }, detect);
    expect(source.queriesSeen[2]).toEqual({
      eventNames: ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"], roleNames: ["VendorAudit"],
      timeRange: { startMs: window.startMs, endMs: window.endMs },
    });
    // The detector judges the candidates; the role's own assumptions only show its path, and are counted.
    expect(detect.lastEvents.map((e) => e.eventID)).toContain(uuid("trust-change"));
    expect(detect.lastEvents.map((e) => e.eventID)).not.toContain(uuid("same-account-vendor-audit"));
    expect(counted.summary.candidateEvents).toBe(5 + 2);

    const withPath = await runSweep(memorySource([...records, vendorTrustChange, vendorAuditUse]), { config: vendorConfig, window, trace: false });
    expect(trustFindings(withPath)).toEqual([]);
    const withoutPath = await runSweep(memorySource([...records, vendorTrustChange]), { config: vendorConfig, window, trace: false });
    expect(trustFindings(withoutPath).map((f) => f.eventID)).toEqual([uuid("trust-change")]);
  });

  it("asks a source that rereads the window per batch for every assumption at once, and finds the same", async () => {
    const twoPasses = memorySource([...records, vendorTrustChange, vendorAuditUse]);
    const onePass = { ...memorySource([...records, vendorTrustChange, vendorAuditUse]), eachBatchRereads: true };
    const seenByTwo = simpleCrossAccountDetector();
    const seenByOne = simpleCrossAccountDetector();
    const two = await runSweep(twoPasses, { config, window, trace: false }, seenByTwo);
    const one = await runSweep(onePass, { config, window, trace: false }, seenByOne);
    const timeRange = { startMs: window.startMs, endMs: window.endMs };
    expect(onePass.queriesSeen).toEqual([
      { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange },
      { eventNames: SWEEP_EVENT_NAMES.filter((n) => n !== "AssumeRole"), timeRange },
      { eventNames: ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"], timeRange },
    ]);
    expect(twoPasses.queriesSeen).toHaveLength(3); // 2 + the second pass
    expect(seenByOne.lastEvents).toEqual(seenByTwo.lastEvents);
    // Every assumption was read, but only those of the changed role count as examined.
    expect(one.summary).toEqual(two.summary);
    expect(one.summary.candidateEvents).toBe(5 + 2);

    const rereading = { ...memorySource([...records, vendorTrustChange, vendorAuditUse]), eachBatchRereads: true };
    expect(trustFindings(await runSweep(rereading, { config: vendorConfig, window, trace: false }))).toEqual([]);
  });

  it("does not ask again when a call found in the window already showed the changed role's path", async () => {
    const crossAccountUse = crossAccountCall("vendor", { time: "2026-11-17T13:00:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT, roleName: "vendors/VendorAudit" });
    const change = updateAssumeRolePolicyEvent({
      actor: iamUserIdentity({ accountId: ORG_ACCOUNT, userName: "admin", accessKeyId: longTermKey("admin") }), accountId: ORG_ACCOUNT,
      roleName: "vendoraudit", policy: { Version: "2012-10-17", Statement: [] }, eventID: uuid("trust-change"), eventTime: "2026-11-17T12:00:00Z",
    });
    const unknownPath = updateAssumeRolePolicyEvent({
      actor: iamUserIdentity({ accountId: ORG_ACCOUNT, userName: "admin", accessKeyId: longTermKey("admin") }), accountId: ORG_ACCOUNT,
      roleName: "Other", policy: { Version: "2012-10-17", Statement: [] }, eventID: uuid("other-change"), eventTime: "2026-11-17T12:00:00Z",
    });
    const shownOnly = memorySource([...records, change, crossAccountUse.ownerCopy]);
    await runSweep(shownOnly, { config, window, trace: false }, simpleCrossAccountDetector());
    expect(shownOnly.queriesSeen).toHaveLength(2); // one batch of two queries: the window is read once

    const oneUnknown = memorySource([...records, change, unknownPath, crossAccountUse.ownerCopy]);
    await runSweep(oneUnknown, { config, window, trace: false }, simpleCrossAccountDetector());
    expect(oneUnknown.queriesSeen[2]).toMatchObject({ roleNames: ["Other"] });
  });

  it("fills in the trace summary from the caller's copy when the detector names one", async () => {
    const result = await runSweep(memorySource(records), { config, window }, simpleCrossAccountDetector());
    const [untraceable, withTrace] = result.findings;
    expect(untraceable?.trace).toBeNull();
    expect(withTrace?.trace).toMatchObject({ complete: true, hops: 0, gaps: [] });
    expect(withTrace?.trace?.origin?.arn).toBe(`arn:aws:iam::${OUTSIDE_ACCOUNT}:user/user-traced`);
    for (const f of result.findings) FindingSchema.parse(f);
  });

  it("drops findings the state already reported and counts them", async () => {
    const already = new Set([`unexpected-cross-account-assume-role:${ownerEventId("traced")}`]);
    const result = await runSweep(memorySource(records), { config, window, alreadyReported: already, trace: false }, simpleCrossAccountDetector());
    expect(result.findings.map((f) => f.eventID)).toEqual([ownerEventId("owner-only")]);
    expect(result.summary).toMatchObject({ findings: 2, newFindings: 1, suppressedAsAlreadyReported: 1 });
  });

  it("a call reported from one copy is not reported again when a later run cites the other copy", async () => {
    // Run 1 saw only the caller's copy; now the owner's copy (another eventID, same sharedEventID) arrived.
    const sharedEventID = String(traced.ownerCopy.sharedEventID);
    const already = new Set([`unexpected-cross-account-assume-role:${uuid("caller:traced")}`, `unexpected-cross-account-assume-role:shared:${sharedEventID}`]);
    const result = await runSweep(memorySource(records), { config, window, alreadyReported: already, trace: false }, simpleCrossAccountDetector());
    expect(result.findings.map((f) => f.eventID)).toEqual([ownerEventId("owner-only")]);
  });
});
