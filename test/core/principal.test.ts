import { describe, expect, it } from "vitest";
import { normalizeRecord, type CloudTrailEvent } from "../../src/core/cloudtrail-event.js";
import { principalFromArn, principalFromIdentity, sessionPrincipal } from "../../src/core/principal.js";
import {
  apiCall, assumeRoleEvent, assumeRoleWithWebIdentityEvent, awsAccountIdentity, awsServiceIdentity, federatedUserIdentity,
  iamUserIdentity, longTermKey, roleSessionIdentity, rootIdentity, tempKey, uuid as id, webIdentityUserIdentity,
  type RawIdentity, type RoleSession,
} from "../helpers/cloudtrail-records.js";

const T0 = "2026-11-16T10:15:00Z";
const PROD = "444455556666";

function event(raw: unknown): CloudTrailEvent {
  const result = normalizeRecord(raw);
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

function identityOf(raw: RawIdentity) {
  return event(apiCall({ identity: raw, eventID: id(JSON.stringify(raw)), eventTime: T0, recipientAccountId: PROD })).userIdentity!;
}

const ssoRoleArn = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
const sso: RoleSession = { roleArn: ssoRoleArn, sessionName: "jane@example.com", accessKeyId: tempKey("sso"), issuedAt: T0, mfaAuthenticated: true };
const alice = iamUserIdentity({ accountId: PROD, userName: "alice", accessKeyId: longTermKey("alice") });

describe("principalFromIdentity", () => {
  it("AssumedRole: session name from the ARN, role ARN (with its path) from sessionIssuer, MFA from the string attribute", () => {
    expect(principalFromIdentity(identityOf(roleSessionIdentity(sso)))).toMatchObject({
      type: "AssumedRole",
      arn: `arn:aws:sts::${PROD}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com`,
      accountId: PROD, sessionName: "jane@example.com", roleArn: ssoRoleArn, accessKeyId: tempKey("sso"), mfaAuthenticated: true,
    });
  });

  describe("MFA of a long-term key calling STS: whether the call passed serialNumber", () => {
    const session: RoleSession = { roleArn: `arn:aws:iam::${PROD}:role/Admin`, sessionName: "alice", accessKeyId: tempKey("a"), issuedAt: T0 };
    const withMfa = event(assumeRoleEvent({ caller: alice, session, eventID: id("mfa"), serialNumber: `arn:aws:iam::${PROD}:mfa/alice` }));
    const withoutMfa = event(assumeRoleEvent({ caller: alice, session, eventID: id("nomfa") }));

    it("IAM user", () => {
      expect(principalFromIdentity(withMfa.userIdentity!, withMfa).mfaAuthenticated).toBe(true);
      expect(principalFromIdentity(withoutMfa.userIdentity!, withoutMfa).mfaAuthenticated).toBe(false);
      expect(principalFromIdentity(withMfa.userIdentity!).mfaAuthenticated).toBeNull();
    });

    it("root", () => {
      const raw = assumeRoleEvent({ caller: rootIdentity({ accountId: PROD, accessKeyId: longTermKey("root") }), session, eventID: id("root"), serialNumber: `arn:aws:iam::${PROD}:mfa/root-account-mfa-device` });
      const e = event(raw);
      expect(principalFromIdentity(e.userIdentity!, e)).toMatchObject({ type: "Root", arn: `arn:aws:iam::${PROD}:root`, mfaAuthenticated: true });
    });

    it("a session's own mfaAuthenticated wins over the call's parameters", () => {
      const consoleUser = iamUserIdentity({ accountId: PROD, userName: "bob", accessKeyId: tempKey("bob-console"), session: { creationDate: T0, mfaAuthenticated: false } });
      const e = event(assumeRoleEvent({ caller: consoleUser, session, eventID: id("console"), serialNumber: `arn:aws:iam::${PROD}:mfa/bob` }));
      expect(principalFromIdentity(e.userIdentity!, e).mfaAuthenticated).toBe(false);
    });
  });

  it("AWSService with an EC2 instance id as session name: instanceId; a Lambda function name is not one", () => {
    const ec2: RoleSession = { roleArn: `arn:aws:iam::${PROD}:role/web`, sessionName: "i-0123456789abcdef0", accessKeyId: tempKey("i"), issuedAt: T0 };
    const e = event(assumeRoleEvent({ caller: awsServiceIdentity("ec2.amazonaws.com"), session: ec2, eventID: id("ec2") }));
    expect(principalFromIdentity(e.userIdentity!, e)).toMatchObject({
      type: "AWSService", invokedBy: "ec2.amazonaws.com", instanceId: "i-0123456789abcdef0", arn: null, accountId: null, mfaAuthenticated: null,
    });
    const fn = event(assumeRoleEvent({
      caller: awsServiceIdentity("lambda.amazonaws.com"), eventID: id("lambda"),
      session: { ...ec2, sessionName: "payments-exporter" },
    }));
    expect(principalFromIdentity(fn.userIdentity!, fn).instanceId).toBeNull();
  });

  it("WebIdentityUser: subject from responseElements.subjectFromWebIdentityToken, else userName", () => {
    const providerArn = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
    const caller = webIdentityUserIdentity({ providerArn, audience: "sts.amazonaws.com", subject: "repo:acme/deploy:environment:prod" });
    const e = event(assumeRoleWithWebIdentityEvent({
      caller, session: { roleArn: `arn:aws:iam::${PROD}:role/gha`, sessionName: "gha", accessKeyId: tempKey("gha"), issuedAt: T0 },
      eventID: id("oidc"), subjectFromWebIdentityToken: "repo:acme/deploy:ref:refs/heads/main", provider: providerArn, audience: "sts.amazonaws.com",
    }));
    expect(principalFromIdentity(e.userIdentity!, e)).toMatchObject({
      type: "WebIdentityUser", identityProvider: providerArn, webIdentitySubject: "repo:acme/deploy:ref:refs/heads/main",
    });
    expect(principalFromIdentity(e.userIdentity!).webIdentitySubject).toBe("repo:acme/deploy:environment:prod");
  });

  it("FederatedUser: user name from the federated-user ARN", () => {
    const fed = identityOf(federatedUserIdentity({ accountId: PROD, name: "contractor", accessKeyId: tempKey("f"), issuedAt: T0, issuer: { userName: "ci-bot" } }));
    expect(principalFromIdentity(fed)).toMatchObject({
      type: "FederatedUser", arn: `arn:aws:sts::${PROD}:federated-user/contractor`, userName: "contractor", accountId: PROD, roleArn: null,
    });
  });

  it("AWSAccount (owner copy): account and principal id only", () => {
    expect(principalFromIdentity(identityOf(awsAccountIdentity({ principalId: "AIDAS6RF25DXSM2CA5KAD", accountId: "203016562928" })))).toMatchObject({
      type: "AWSAccount", arn: null, accountId: "203016562928", principalId: "AIDAS6RF25DXSM2CA5KAD", mfaAuthenticated: null,
    });
  });
});

describe("sessionPrincipal", () => {
  it("role ARN and sourceIdentity from the issuing call when the session's identity lacks them", () => {
    const s: RoleSession = { ...sso, sourceIdentity: "jane" };
    const issuing = event(assumeRoleEvent({ caller: alice, session: s, eventID: id("sp") }));
    const raw = roleSessionIdentity({ ...sso });
    (raw.sessionContext as Record<string, unknown>).sessionIssuer = {};
    const principal = sessionPrincipal(identityOf(raw), issuing);
    expect(principal.roleArn).toBe(ssoRoleArn);
    expect(principal.sourceIdentity).toBe("jane");
  });
});

describe("principalFromArn (SwitchFrom)", () => {
  it.each([
    ["arn:aws:iam::203016562928:user/bob@example.com", { type: "IAMUser", accountId: "203016562928", userName: "bob@example.com", sessionName: null }],
    ["arn:aws:iam::203016562928:root", { type: "Root", accountId: "203016562928", userName: null }],
    ["arn:aws:sts::203016562928:assumed-role/AWSReservedSSO_ReadOnly_0123/jane@example.com", { type: "AssumedRole", sessionName: "jane@example.com" }],
  ])("%s", (arn, expected) => {
    expect(principalFromArn(arn)).toMatchObject({ arn, ...expected });
  });

  it("no ARN: an unknown principal, every field null", () => {
    expect(Object.values(principalFromArn(null)).every((v) => v === null)).toBe(true);
  });
});
