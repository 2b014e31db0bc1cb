import { describe, expect, it } from "vitest";
import { normalizeRecord, type CloudTrailEvent } from "../../src/core/cloudtrail-event.js";
import { matchesEventQuery, roleNameOfArn } from "../../src/core/event-query.js";

/** An AssumeRole record as CloudTrail writes it, reduced to what these fields read. */
function assumeRole(o: { id: string; roleArn: string | null; caller: Record<string, unknown>; recipient: string }): CloudTrailEvent {
  const result = normalizeRecord({
    eventVersion: "1.08", eventID: o.id, eventTime: "2026-11-17T10:00:00Z", eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole", awsRegion: "us-east-1", recipientAccountId: o.recipient, userIdentity: o.caller,
    requestParameters: o.roleArn === null ? null : { roleArn: o.roleArn, roleSessionName: "s" },
  });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

const user = (account: string) => ({ type: "IAMUser", arn: `arn:aws:iam::${account}:user/alice`, accountId: account });

describe("EventQuery.crossAccountOnly", () => {
  it("drops a role assumed inside its own account and keeps both copies of a cross-account call", () => {
    const sameAccount = assumeRole({ id: "a", roleArn: "arn:aws:iam::111111111111:role/Admin", caller: user("111111111111"), recipient: "111111111111" });
    const callerCopy = assumeRole({ id: "b", roleArn: "arn:aws:iam::222222222222:role/Admin", caller: user("111111111111"), recipient: "111111111111" });
    const ownerCopy = assumeRole({ id: "c", roleArn: "arn:aws:iam::222222222222:role/Admin", caller: { type: "AWSAccount", principalId: "AIDAX", accountId: "111111111111" }, recipient: "222222222222" });
    const query = { crossAccountOnly: true };
    expect([sameAccount, callerCopy, ownerCopy].map((e) => matchesEventQuery(e, query))).toEqual([false, true, true]);
  });

  it("keeps records whose caller or role account is unknown (an AWS service, no roleArn)", () => {
    const service = assumeRole({ id: "d", roleArn: "arn:aws:iam::111111111111:role/Lambda", caller: { type: "AWSService", invokedBy: "lambda.amazonaws.com" }, recipient: "111111111111" });
    const noRole = assumeRole({ id: "e", roleArn: null, caller: user("111111111111"), recipient: "111111111111" });
    expect([service, noRole].map((e) => matchesEventQuery(e, { crossAccountOnly: true }))).toEqual([true, true]);
  });
});

describe("EventQuery.roleNames", () => {
  it("matches the role's name, whatever its path, without case", () => {
    const pathed = assumeRole({ id: "f", roleArn: "arn:aws:iam::111111111111:role/ops/team/DeployRole", caller: user("111111111111"), recipient: "111111111111" });
    expect(matchesEventQuery(pathed, { roleNames: ["deployrole"] })).toBe(true);
    expect(matchesEventQuery(pathed, { roleNames: ["team"] })).toBe(false);
    expect(matchesEventQuery(pathed, { roleNames: ["Deploy"] })).toBe(false);
  });

  it.each([
    ["arn:aws:iam::111111111111:role/Admin", "admin"],
    ["arn:aws:iam::111111111111:role/a/b/Admin", "admin"],
    ["arn:aws:iam::111111111111:user/Admin", null],
    ["arn:aws:sts::111111111111:assumed-role/Admin/s", null],
  ])("roleNameOfArn(%s) = %s", (arn, name) => {
    expect(roleNameOfArn(arn)).toBe(name);
  });
});
