import { describe, expect, it } from "vitest";
import { detectFindings, SWEEP_EVENT_NAMES } from "../../../src/core/sweep/detect-findings.js";
import { FindingSchema } from "../../../src/schema/finding.js";
import { addSeconds, assumeRoleEvent, crossAccountAssumeRole, updateAssumeRolePolicyEvent } from "../../helpers/cloudtrail-records.js";
import { ORG_A, ORG_B, PROD_ADMIN, STRANGER, T0, events, id, sessionOf, sweepConfig, user } from "./sweep-fixtures.js";

function strangerCall(label: string, at: string) {
  return crossAccountAssumeRole({
    caller: user(STRANGER, label), session: sessionOf(PROD_ADMIN, label, at),
    ownerEventID: id(`${label}:owner`), callerEventID: id(`${label}:caller`), sharedEventID: id(`${label}:shared`),
  });
}

describe("detectFindings", () => {
  it("reads exactly the STS and IAM events it judges", () => {
    expect([...SWEEP_EVENT_NAMES].sort()).toEqual(["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "CreateRole", "UpdateAssumeRolePolicy"]);
  });

  it("orders findings by eventTime, then eventID, whatever the input order, and is deterministic", () => {
    const late = strangerCall("late", addSeconds(T0, 120));
    const early = strangerCall("early", T0);
    const sameSecondA = strangerCall("same-a", addSeconds(T0, 60));
    const sameSecondB = strangerCall("same-b", addSeconds(T0, 60));
    const outbound = assumeRoleEvent({
      caller: user(ORG_A, "probe"), session: sessionOf(`arn:aws:iam::${STRANGER}:role/X`, "probe"), eventID: id("outbound"),
      recipientAccountId: ORG_A, errorCode: "AccessDenied", eventTime: addSeconds(T0, 30),
    });
    const policy = updateAssumeRolePolicyEvent({
      actor: user(ORG_B, "admin"), accountId: ORG_B, roleName: "ProdAdmin", eventID: id("policy"), eventTime: addSeconds(T0, 90),
      policy: { Statement: [{ Effect: "Allow", Principal: { AWS: STRANGER }, Action: "sts:AssumeRole" }] },
    });
    const records = [late.ownerCopy, policy, sameSecondB.ownerCopy, outbound, sameSecondA.ownerCopy, early.ownerCopy, early.callerCopy];
    const once = detectFindings(events(...records), sweepConfig());
    const reversed = detectFindings(events(...records.reverse()), sweepConfig());
    const sameSecond = [id("same-a:owner"), id("same-b:owner")].sort();
    expect(once.map((d) => d.finding.eventID)).toEqual([
      id("early:owner"), id("outbound"), ...sameSecond, id("policy"), id("late:owner"),
    ]);
    expect(reversed).toEqual(once);
  });

  it("at the same second the eventID decides, not the finding kind", () => {
    const inbound = strangerCall("tie-in", T0).ownerCopy;
    inbound.eventID = "00000000-0000-4000-8000-000000000001";
    const outbound = assumeRoleEvent({
      caller: user(ORG_A, "probe"), session: sessionOf(`arn:aws:iam::${STRANGER}:role/X`, "probe"), eventID: "00000000-0000-4000-8000-000000000002",
      recipientAccountId: ORG_A, errorCode: "AccessDenied",
    });
    expect(detectFindings(events(outbound, inbound), sweepConfig()).map((d) => d.finding.kind))
      .toEqual(["unexpected-cross-account-assume-role", "outbound-cross-account-assume-role"]);
  });

  it("every finding fits the rolechain.finding/v1 schema", () => {
    const { ownerCopy, callerCopy } = strangerCall("schema", T0);
    const found = detectFindings(events(ownerCopy, callerCopy), sweepConfig());
    expect(found).toHaveLength(1);
    expect(FindingSchema.parse(found[0]!.finding)).toEqual(found[0]!.finding);
  });

  it("an empty window has no findings", () => {
    expect(detectFindings([], sweepConfig())).toEqual([]);
  });
});
