import { describe, expect, it } from "vitest";
import {
  assumeRoleEvent, assumeRoleWithSamlEvent, awsAccountIdentity, awsServiceIdentity, crossAccountAssumeRole, roleSessionIdentity,
  samlUserIdentity, uniqueId,
} from "../../helpers/cloudtrail-records.js";
import {
  ORG_A, ORG_B, PARTNER, PROD_ADMIN, STRANGER, T0, VENDOR, VENDOR_AUDIT, crossCall, detect, id, sessionOf, sweepConfig, user,
} from "./sweep-fixtures.js";

describe("inbound: unexpected-cross-account-assume-role", () => {
  it("org-internal cross-account calls are not findings", () => {
    const { ownerCopy, callerCopy } = crossCall("org", ORG_A, PROD_ADMIN);
    expect(detect([ownerCopy, callerCopy])).toEqual([]);
  });

  it("the allowed vendor into its allowed role is not a finding (only the owner copy is in our logs)", () => {
    const { ownerCopy } = crossCall("vendor", VENDOR, VENDOR_AUDIT);
    expect(detect([ownerCopy])).toEqual([]);
  });

  it("the same vendor into another role is", () => {
    const { ownerCopy } = crossCall("vendor-prod", VENDOR, PROD_ADMIN);
    const [detected, ...rest] = detect([ownerCopy]);
    expect(rest).toEqual([]);
    expect(detected?.finding).toMatchObject({
      kind: "unexpected-cross-account-assume-role", severity: "high",
      id: `unexpected-cross-account-assume-role:${id("vendor-prod:owner")}`,
      eventID: id("vendor-prod:owner"), sharedEventID: id("vendor-prod:shared"), eventName: "AssumeRole",
      roleArn: PROD_ADMIN, roleAccountId: ORG_B, callerAccountId: VENDOR, recipientAccountId: ORG_B,
      // Only the owner's copy: who exactly called is not in our logs.
      callerArn: null, callerType: "AWSAccount",
      reason: `Account ${VENDOR} assumed ${PROD_ADMIN}; it is not a trusted account and no allow entry admits it to this role.`,
      principals: [], webIdentity: null, trace: null,
    });
    expect(detected?.traceFromEventId).toBeNull();
  });

  it("a never-seen account with both copies present: one finding, the owner's eventID, the caller's identity", () => {
    const { ownerCopy, callerCopy } = crossCall("stranger", STRANGER, PROD_ADMIN, { ownerSourceIPAddress: "AWS Internal" });
    const found = detect([callerCopy, ownerCopy]);
    expect(found).toHaveLength(1);
    expect(found[0]!.finding).toMatchObject({
      eventID: id("stranger:owner"), sharedEventID: id("stranger:shared"), recipientAccountId: ORG_B,
      callerAccountId: STRANGER, callerArn: `arn:aws:iam::${STRANGER}:user/stranger-user`, callerType: "IAMUser",
      sourceIPAddress: "203.0.113.66", eventTime: T0, awsRegion: "us-east-1",
    });
    expect(found[0]!.traceFromEventId).toBe(id("stranger:caller"));
  });

  it("duplicated copies (the same file read twice) still give one finding", () => {
    const { ownerCopy, callerCopy } = crossCall("dup", STRANGER, PROD_ADMIN);
    expect(detect([ownerCopy, callerCopy, ownerCopy, callerCopy, ownerCopy])).toHaveLength(1);
  });

  it("a role session of the outside account is named by its session ARN; the owner copy says only AWSAccount", () => {
    const callerSession = sessionOf(`arn:aws:iam::${STRANGER}:role/Pivot`, "attacker", "2026-11-16T09:00:00Z");
    const { ownerCopy, callerCopy } = crossAccountAssumeRole({
      caller: roleSessionIdentity(callerSession), session: sessionOf(PROD_ADMIN, "hop"),
      ownerEventID: id("hop:owner"), callerEventID: id("hop:caller"), sharedEventID: id("hop:shared"),
    });
    expect((ownerCopy.userIdentity as Record<string, unknown>).type).toBe("AWSAccount");
    const [only] = detect([ownerCopy, callerCopy]);
    expect(only?.finding).toMatchObject({ callerType: "AssumedRole", callerArn: `arn:aws:sts::${STRANGER}:assumed-role/Pivot/attacker` });
  });

  it("only the caller copy (the owner's file not delivered yet) is still reported, citing that copy", () => {
    const { callerCopy } = crossCall("late", STRANGER, PROD_ADMIN);
    const [only, ...rest] = detect([callerCopy]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({ kind: "unexpected-cross-account-assume-role", eventID: id("late:caller"), recipientAccountId: STRANGER });
    expect(only?.traceFromEventId).toBe(id("late:caller"));
  });

  it("a failed inbound call is not a finding (nothing was issued; denied ones are not even logged for the owner)", () => {
    const failed = assumeRoleEvent({
      caller: user(STRANGER, "x"), session: sessionOf(PROD_ADMIN, "x"), eventID: id("failed-in"),
      recipientAccountId: STRANGER, errorCode: "AccessDenied",
    });
    expect(detect([failed])).toEqual([]);
  });

  it("same-account calls are not findings", () => {
    const same = assumeRoleEvent({ caller: user(ORG_B, "alice"), session: sessionOf(PROD_ADMIN, "alice"), eventID: id("same") });
    expect(detect([same])).toEqual([]);
  });

  it.each([
    ["EC2 instance profile", "ec2.amazonaws.com", `arn:aws:iam::${ORG_B}:role/service-role/web`, "i-0123456789abcdef0"],
    ["Lambda execution role", "lambda.amazonaws.com", `arn:aws:iam::${ORG_B}:role/fn-role`, "payments-fn"],
  ])("%s: an AWS service assuming the role, with a sharedEventID and no second copy, is not a finding", (_l, service, roleArn, sessionName) => {
    const record = assumeRoleEvent({
      caller: awsServiceIdentity(service), session: sessionOf(roleArn, sessionName), eventID: id(`svc:${service}`),
      sharedEventID: id(`svc-shared:${service}`), sourceIPAddress: service, userAgent: service, omitAssumedRoleUser: true,
    });
    expect(detect([record])).toEqual([]);
  });

  it("a service-assumed copy delivered to another account (the service's) is not read as that account's call", () => {
    const shared = id("svc-elsewhere:shared");
    const session = sessionOf(`arn:aws:iam::${ORG_B}:role/fn-role`, "payments-fn");
    const ownerCopy = assumeRoleEvent({ caller: awsServiceIdentity("lambda.amazonaws.com"), session, eventID: id("svc-elsewhere:owner"), sharedEventID: shared });
    const otherCopy = assumeRoleEvent({
      caller: awsServiceIdentity("lambda.amazonaws.com"), session, eventID: id("svc-elsewhere:other"), sharedEventID: shared, recipientAccountId: STRANGER,
    });
    expect(detect([ownerCopy, otherCopy])).toEqual([]);
    expect(detect([otherCopy])).toEqual([]);
  });

  it("SAML into a trusted account is not a finding", () => {
    const saml = assumeRoleWithSamlEvent({
      caller: samlUserIdentity({ nameQualifier: "a1b2c3", subject: "jane@example.com" }),
      session: sessionOf(`arn:aws:iam::${ORG_A}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123`, "jane@example.com"),
      samlProviderArn: `arn:aws:iam::${ORG_A}:saml-provider/AWSSSO_0123_DO_NOT_DELETE`, eventID: id("saml"),
    });
    expect(detect([saml])).toEqual([]);
  });

  it("an allow pattern with * admits every matching role", () => {
    const config = sweepConfig({ allow: [{ callerAccount: VENDOR, roleArn: `arn:aws:iam::${ORG_B}:role/*` }] });
    expect(detect([crossCall("wild", VENDOR, PROD_ADMIN).ownerCopy], config)).toEqual([]);
  });

  it("the role owner's copy alone tells the role account even without a roleArn", () => {
    const { ownerCopy } = crossCall("noarn", STRANGER, PROD_ADMIN);
    ownerCopy.requestParameters = { roleSessionName: "noarn" };
    const [only] = detect([ownerCopy]);
    expect(only?.finding).toMatchObject({ roleArn: null, roleAccountId: ORG_B, callerAccountId: STRANGER });
    expect(only?.finding.reason).toContain("(unknown)");
  });
});

describe("outbound-cross-account-assume-role", () => {
  const outsideRole = `arn:aws:iam::${STRANGER}:role/Exfil`;

  it("a trusted account's principal assuming a role in an unknown account (only the caller copy exists)", () => {
    const { callerCopy } = crossCall("out", ORG_A, outsideRole);
    const [only, ...rest] = detect([callerCopy]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({
      kind: "outbound-cross-account-assume-role", severity: "medium", eventID: id("out:caller"), sharedEventID: id("out:shared"),
      roleArn: outsideRole, roleAccountId: STRANGER, callerAccountId: ORG_A, callerType: "IAMUser",
      callerArn: `arn:aws:iam::${ORG_A}:user/out-user`, recipientAccountId: ORG_A,
    });
    expect(only?.finding.reason).toBe(
      `arn:aws:iam::${ORG_A}:user/out-user of trusted account ${ORG_A} assumed ${outsideRole}; account ${STRANGER} is not trusted and no allow entry admits account ${ORG_A} to this role.`,
    );
    expect(only?.traceFromEventId).toBe(id("out:caller"));
  });

  it("a DENIED attempt is reported too (it is logged only in the caller's account)", () => {
    const denied = assumeRoleEvent({
      caller: user(ORG_A, "probe"), session: sessionOf(outsideRole, "probe"), eventID: id("denied"),
      recipientAccountId: ORG_A, errorCode: "AccessDenied",
    });
    const [only, ...rest] = detect([denied, denied]);
    expect(rest).toEqual([]);
    expect(only?.finding).toMatchObject({ kind: "outbound-cross-account-assume-role", severity: "medium", eventID: id("denied"), sharedEventID: null });
    expect(only?.finding.reason).toContain("was denied (AccessDenied)");
    expect(only?.traceFromEventId).toBe(id("denied"));
  });

  it("an allow entry for (our account, their role) admits the outbound call; another of our accounts is not admitted", () => {
    const shared = `arn:aws:iam::${PARTNER}:role/PartnerShared`;
    expect(detect([crossCall("partner", ORG_A, shared).callerCopy])).toEqual([]);
    expect(detect([crossCall("partner-b", ORG_B, shared).callerCopy])).toHaveLength(1);
  });

  it("a denied call between trusted accounts is not a finding", () => {
    const denied = assumeRoleEvent({
      caller: user(ORG_A, "x"), session: sessionOf(PROD_ADMIN, "x"), eventID: id("denied-org"), recipientAccountId: ORG_A, errorCode: "AccessDenied",
    });
    expect(detect([denied])).toEqual([]);
  });

  it("calls between two untrusted accounts are none of our business", () => {
    const { ownerCopy, callerCopy } = crossCall("elsewhere", STRANGER, `arn:aws:iam::${PARTNER}:role/X`);
    expect(detect([ownerCopy, callerCopy])).toEqual([]);
  });

  it("an AWSAccount copy of a failed call is not read as our principal's attempt", () => {
    const failedOwnerSide = assumeRoleEvent({
      caller: awsAccountIdentity({ principalId: uniqueId("AIDA", "x"), accountId: ORG_A }), session: sessionOf(outsideRole, "x"),
      eventID: id("failed-owner"), errorCode: "AccessDenied",
    });
    expect(detect([failedOwnerSide])).toEqual([]);
  });
});
