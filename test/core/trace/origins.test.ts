/**
 * traceRoleChain — one test per identity type at the start of a chain (cloudtrail-facts §1.1, §2).
 * Each asserts the hops' issuing events, how they were matched, and who/where the origin is.
 */
import { describe, expect, it } from "vitest";
import {
  addSeconds, apiCall, apiCallBySession, assumeRoleEvent, assumeRoleWithSamlEvent,
  assumeRoleWithWebIdentityEvent, awsServiceIdentity, crossAccountAssumeRole, federatedUserIdentity,
  getFederationTokenEvent, iamUserIdentity, longTermKey, roleSessionIdentity, rootIdentity,
  samlUserIdentity, sessionArnOf, switchRoleEvent, tempKey, uuid as id, webIdentityUserIdentity,
  type FederatedSession, type RoleSession,
} from "../../helpers/cloudtrail-records.js";
import { trace } from "../../helpers/run-trace.js";
import { ALICE_IP, ATTACKER_IP, BOB_IP, DATA, IDENTITY, PROD, T0 } from "./cast.js";

const alice = iamUserIdentity({ accountId: PROD, userName: "alice", accessKeyId: longTermKey("alice") });
const aliceArn = `arn:aws:iam::${PROD}:user/alice`;

describe("no hops: the subject's own principal is the origin", () => {
  it("IAM user with a long-term AKIA key: origin IAMUser = the subject identity, IP of the subject", async () => {
    const subject = apiCall({
      identity: alice, eventID: id("subject"), eventTime: T0, recipientAccountId: PROD,
      eventSource: "iam.amazonaws.com", eventName: "CreateAccessKey", sourceIPAddress: ALICE_IP, readOnly: false,
    });
    const { report, source } = await trace([subject], id("subject"));

    expect(report.subject?.eventID).toBe(id("subject"));
    expect(report.hops).toEqual([]);
    expect(report.origin).toMatchObject({
      type: "IAMUser", arn: aliceArn, accountId: PROD, accessKeyId: longTermKey("alice"), userName: "alice",
      sourceIPAddress: ALICE_IP, mfaAuthenticated: null, sessionName: null,
    });
    expect(report.origin?.event?.eventID).toBe(id("subject"));
    expect(report.complete).toBe(true);
    expect(report.gaps).toEqual([]);
    // A long-term key was not issued by anything: nothing but the subject was looked up.
    expect(source.queriesSeen).toHaveLength(1);
  });

  it("root credentials: origin Root", async () => {
    const subject = apiCall({
      identity: rootIdentity({ accountId: PROD, accessKeyId: longTermKey("root") }), eventID: id("root-call"),
      eventTime: T0, recipientAccountId: PROD, eventSource: "iam.amazonaws.com", eventName: "DeleteRolePolicy",
      sourceIPAddress: ATTACKER_IP, readOnly: false,
    });
    const { report } = await trace([subject], id("root-call"));

    expect(report.hops).toEqual([]);
    expect(report.origin).toMatchObject({
      type: "Root", arn: `arn:aws:iam::${PROD}:root`, accountId: PROD, principalId: PROD, sourceIPAddress: ATTACKER_IP,
    });
    expect(report.complete).toBe(true);
  });

  it("GetSessionToken session (IAMUser identity, ASIA key, mfaAuthenticated \"true\"): no hops, MFA true", async () => {
    const issuedAt = addSeconds(T0, -1800);
    const getSessionToken = apiCall({
      identity: alice, eventID: id("gst"), eventTime: issuedAt, recipientAccountId: PROD,
      eventSource: "sts.amazonaws.com", eventName: "GetSessionToken", sourceIPAddress: ALICE_IP, readOnly: false,
      requestParameters: { durationSeconds: 43200, serialNumber: `arn:aws:iam::${PROD}:mfa/alice`, tokenCode: "***" },
    });
    const sessionUser = iamUserIdentity({
      accountId: PROD, userName: "alice", accessKeyId: tempKey("alice-gst"),
      session: { creationDate: issuedAt, mfaAuthenticated: true },
    });
    const subject = apiCall({
      identity: sessionUser, eventID: id("gst-subject"), eventTime: T0, recipientAccountId: PROD,
      eventSource: "ec2.amazonaws.com", eventName: "TerminateInstances", sourceIPAddress: ALICE_IP, readOnly: false,
    });
    const { report } = await trace([getSessionToken, subject], id("gst-subject"));

    expect(report.hops).toEqual([]);
    expect(report.origin).toMatchObject({
      type: "IAMUser", arn: aliceArn, accessKeyId: tempKey("alice-gst"), mfaAuthenticated: true, sourceIPAddress: ALICE_IP,
    });
    expect(report.origin?.event?.eventID).toBe(id("gst-subject"));
    expect(report.complete).toBe(true);
  });

  it("IdentityCenterUser (bearer-token call): an origin of its own, no hops", async () => {
    const subject = apiCall({
      identity: {
        type: "IdentityCenterUser", accountId: IDENTITY,
        onBehalfOf: { userId: "544894e8-80c1-707f-60e3-3ba6510dfac1", identityStoreArn: `arn:aws:identitystore::${IDENTITY}:identitystore/d-9067642ac7` },
        credentialId: "EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE",
      },
      eventID: id("idc"), eventTime: T0, recipientAccountId: IDENTITY, eventSource: "sso.amazonaws.com",
      eventName: "ListAccounts", sourceIPAddress: "192.0.2.60",
    });
    const { report } = await trace([subject], id("idc"));

    expect(report.hops).toEqual([]);
    expect(report.origin).toMatchObject({ type: "IdentityCenterUser", accountId: IDENTITY, sourceIPAddress: "192.0.2.60" });
    expect(report.complete).toBe(true);
  });

  it("userIdentity type Unknown: origin as CloudTrail gives it, with an origin-unknown gap", async () => {
    const subject = apiCall({
      identity: { type: "Unknown", principalId: "90677f325d-ffd9565d-ac85-4753-8dc6-502c67f1c727", accountId: IDENTITY, userName: "test@example.com" },
      eventID: id("unknown"), eventTime: T0, recipientAccountId: IDENTITY, eventSource: "sso.amazonaws.com",
      eventName: "Authenticate", sourceIPAddress: "192.0.2.61",
    });
    const { report } = await trace([subject], id("unknown"));

    expect(report.origin).toMatchObject({ type: "Unknown", userName: "test@example.com", sourceIPAddress: "192.0.2.61" });
    expect(report.gaps.map((g) => [g.reason, g.hop])).toEqual([["origin-unknown", 0]]);
    expect(report.complete).toBe(false);
  });
});

describe("one hop from an IAM user", () => {
  const admin: RoleSession = {
    roleArn: `arn:aws:iam::${PROD}:role/Admin`, sessionName: "alice", accessKeyId: tempKey("admin-alice"), issuedAt: T0,
  };

  function records(serialNumber?: string): unknown[] {
    return [
      assumeRoleEvent({ caller: alice, session: { ...admin, mfaAuthenticated: !!serialNumber }, eventID: id("assume"), sourceIPAddress: ALICE_IP, serialNumber }),
      apiCallBySession({
        session: { ...admin, mfaAuthenticated: !!serialNumber }, eventID: id("subject"), eventTime: addSeconds(T0, 300),
        eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue", sourceIPAddress: ATTACKER_IP,
        requestParameters: { secretId: "prod/db/master" },
      }),
    ];
  }

  it("AssumeRole with requestParameters.serialNumber: origin MFA true, origin IP = the AssumeRole's", async () => {
    const { report } = await trace(records(`arn:aws:iam::${PROD}:mfa/alice`), id("subject"));

    expect(report.hops).toHaveLength(1);
    const [hop] = report.hops;
    expect(hop).toMatchObject({
      matchedBy: "accessKeyId", crossAccount: false, callerEvent: null, switchRole: null, fallback: null,
      callerSourceIPAddress: ALICE_IP,
    });
    expect(hop!.assumeRole.eventID).toBe(id("assume"));
    expect(hop!.session).toMatchObject({
      type: "AssumedRole", arn: sessionArnOf(admin), roleArn: admin.roleArn, sessionName: "alice", accessKeyId: admin.accessKeyId,
    });
    expect(hop!.caller).toMatchObject({ type: "IAMUser", arn: aliceArn, mfaAuthenticated: true });
    expect(report.origin).toMatchObject({
      type: "IAMUser", arn: aliceArn, accessKeyId: longTermKey("alice"), mfaAuthenticated: true, sourceIPAddress: ALICE_IP,
    });
    expect(report.origin?.event?.eventID).toBe(id("assume"));
    expect(report.complete).toBe(true);
    expect(report.gaps).toEqual([]);
  });

  it("AssumeRole without serialNumber: origin MFA false", async () => {
    const { report } = await trace(records(), id("subject"));

    expect(report.hops[0]!.assumeRole.eventID).toBe(id("assume"));
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: aliceArn, mfaAuthenticated: false });
  });
});

describe("console role switch (facts §2.9, the DX pair)", () => {
  const bobUserArn = `arn:aws:iam::${IDENTITY}:user/bob@example.com`;
  const bobConsole = iamUserIdentity({
    accountId: IDENTITY, userName: "bob@example.com", accessKeyId: tempKey("bob-console"),
    session: { creationDate: addSeconds(T0, -3600), mfaAuthenticated: true }, invokedBy: "AWS Internal",
  });
  const switched: RoleSession = {
    roleArn: `arn:aws:iam::${PROD}:role/assume-admin-role-example`, sessionName: "bob@example.com",
    accessKeyId: tempKey("switch-issued"), issuedAt: T0, mfaAuthenticated: true,
  };
  const { ownerCopy, callerCopy } = crossAccountAssumeRole({
    caller: bobConsole, session: switched, ownerEventID: id("switch-owner"), callerEventID: id("switch-caller"),
    sharedEventID: id("switch-shared"), sourceIPAddress: "AWS Internal", userAgent: "AWS Internal",
  });
  const switchRole = switchRoleEvent({ session: switched, switchFrom: bobUserArn, eventID: id("switchrole"), sourceIPAddress: BOB_IP });

  function subject(console: boolean) {
    // The console signs every request with a key of its own, never the one AssumeRole returned.
    return apiCallBySession({
      session: switched, accessKeyId: tempKey("console-request-key"), eventID: id("subject"), eventTime: addSeconds(T0, 58),
      eventSource: "iam.amazonaws.com", eventName: "CreateUser", sourceIPAddress: "203.0.113.51",
      userAgent: "console.amazonaws.com", readOnly: false, sessionCredentialFromConsole: console,
    });
  }

  it("joins by session ARN + creationDate; IP and SwitchFrom come from SwitchRole; MFA from the caller copy", async () => {
    const { report } = await trace([ownerCopy, switchRole, callerCopy, subject(true)], id("subject"));

    expect(report.hops).toHaveLength(1);
    const [hop] = report.hops;
    expect(hop!.matchedBy).toBe("assumedRoleArn");
    expect(hop!.assumeRole.eventID).toBe(id("switch-owner"));
    expect(hop!.assumeRole.sourceIPAddress).toBe("AWS Internal");
    expect(hop!.callerEvent?.eventID).toBe(id("switch-caller"));
    expect(hop!.switchRole?.eventID).toBe(id("switchrole"));
    expect(hop!.callerSourceIPAddress).toBe(BOB_IP);
    expect(hop!.crossAccount).toBe(true);
    expect(hop!.caller).toMatchObject({ type: "IAMUser", arn: bobUserArn, accountId: IDENTITY, mfaAuthenticated: true });
    expect(report.origin).toMatchObject({
      type: "IAMUser", arn: bobUserArn, accountId: IDENTITY, mfaAuthenticated: true, sourceIPAddress: BOB_IP,
    });
    expect(report.complete).toBe(true);
    expect(report.gaps).toEqual([]);
  });

  it("also without sessionCredentialFromConsole (pre-1.08 logs, as in the real DX sample): SwitchRole shows it is a console session", async () => {
    const { report } = await trace([ownerCopy, switchRole, callerCopy, subject(false)], id("subject"));

    expect(report.hops[0]).toMatchObject({ matchedBy: "assumedRoleArn", callerSourceIPAddress: BOB_IP });
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("switch-owner"));
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: bobUserArn, sourceIPAddress: BOB_IP });
    expect(report.complete).toBe(true);
  });

  it("pre-1.08 logs without the SwitchRole event: an AssumeRole made from \"AWS Internal\" is console-brokered, ARN + second still join", async () => {
    const { report } = await trace([ownerCopy, callerCopy, subject(false)], id("subject"));

    expect(report.hops[0]!.assumeRole.eventID).toBe(id("switch-owner"));
    expect(report.hops[0]).toMatchObject({ matchedBy: "assumedRoleArn", switchRole: null, callerSourceIPAddress: "AWS Internal" });
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: bobUserArn, mfaAuthenticated: true });
  });

  it("a switch from a federated (Identity Center) console session goes on to the SAML user: that session's keys are console keys too", async () => {
    const ssoRoleArn = `arn:aws:iam::${IDENTITY}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_ReadOnly_0123456789abcdef`;
    const sso: RoleSession = { roleArn: ssoRoleArn, sessionName: "jane@example.com", accessKeyId: tempKey("sso-portal"), issuedAt: addSeconds(T0, -600) };
    const jane = samlUserIdentity({ nameQualifier: "k3Yb2iH0ZxQbDnqJ7e4cwRWkS0w=", subject: "jane@example.com" });
    const saml = assumeRoleWithSamlEvent({
      caller: jane, session: sso, samlProviderArn: `arn:aws:iam::${IDENTITY}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`,
      eventID: id("saml"), sourceIPAddress: "AWS Internal", awsRegion: "eu-west-1",
    });
    const target: RoleSession = {
      roleArn: `arn:aws:iam::${PROD}:role/ConsoleAdmin`, sessionName: "jane@example.com", accessKeyId: tempKey("jane-switch"), issuedAt: T0,
    };
    // The console made the AssumeRole with a key of its own, not the one AssumeRoleWithSAML returned.
    const pair = crossAccountAssumeRole({
      caller: roleSessionIdentity(sso, { accessKeyId: tempKey("sso-console-key"), invokedBy: "AWS Internal" }), session: target,
      ownerEventID: id("jane-owner"), callerEventID: id("jane-caller"), sharedEventID: id("jane-shared"),
      sourceIPAddress: "AWS Internal", userAgent: "AWS Internal",
    });
    const { report } = await trace([
      saml, pair.ownerCopy, pair.callerCopy,
      switchRoleEvent({ session: target, switchFrom: sessionArnOf(sso), eventID: id("jane-switchrole"), sourceIPAddress: "192.0.2.77" }),
      apiCallBySession({
        session: target, accessKeyId: tempKey("jane-console-req"), eventID: id("subject"), eventTime: addSeconds(T0, 30),
        sourceIPAddress: "192.0.2.77", sessionCredentialFromConsole: true,
      }),
    ], id("subject"));

    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("jane-owner"), id("saml")]);
    expect(report.hops.map((h) => h.matchedBy)).toEqual(["assumedRoleArn", "assumedRoleArn"]);
    expect(report.hops[0]!.switchRole?.eventID).toBe(id("jane-switchrole"));
    expect(report.hops[1]!.session.roleArn).toBe(ssoRoleArn);
    expect(report.origin).toMatchObject({ type: "SAMLUser", userName: "jane@example.com" });
    expect(report.complete).toBe(true);
  });

  it("a switch from a console session an identity broker built from a plain AssumeRole: that session's keys are console keys too", async () => {
    const broker: RoleSession = {
      roleArn: `arn:aws:iam::${IDENTITY}:role/BrokeredConsole`, sessionName: "carol", accessKeyId: tempKey("broker-issued"), issuedAt: addSeconds(T0, -900),
    };
    const brokerUser = iamUserIdentity({ accountId: IDENTITY, userName: "identity-broker", accessKeyId: longTermKey("broker") });
    const target: RoleSession = {
      roleArn: `arn:aws:iam::${PROD}:role/ConsoleAdmin`, sessionName: "carol", accessKeyId: tempKey("carol-switch"), issuedAt: T0,
    };
    const pair = crossAccountAssumeRole({
      caller: roleSessionIdentity(broker, { accessKeyId: tempKey("broker-console-key"), invokedBy: "AWS Internal" }), session: target,
      ownerEventID: id("carol-owner"), callerEventID: id("carol-caller"), sharedEventID: id("carol-shared"),
      sourceIPAddress: "AWS Internal", userAgent: "AWS Internal",
    });
    const { report } = await trace([
      assumeRoleEvent({ caller: brokerUser, session: broker, eventID: id("broker-assume"), sourceIPAddress: "192.0.2.200" }),
      pair.ownerCopy, pair.callerCopy,
      switchRoleEvent({ session: target, switchFrom: sessionArnOf(broker), eventID: id("carol-switchrole"), sourceIPAddress: "192.0.2.88" }),
      apiCallBySession({
        session: target, accessKeyId: tempKey("carol-console-req"), eventID: id("subject"), eventTime: addSeconds(T0, 30),
        sourceIPAddress: "192.0.2.88", sessionCredentialFromConsole: true,
      }),
    ], id("subject"));

    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("carol-owner"), id("broker-assume")]);
    expect(report.hops.map((h) => h.matchedBy)).toEqual(["assumedRoleArn", "assumedRoleArn"]);
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: `arn:aws:iam::${IDENTITY}:user/identity-broker` });
    expect(report.complete).toBe(true);
  });
});

describe("AWS service principals (facts §2.8)", () => {
  const instance: RoleSession = {
    roleArn: `arn:aws:iam::${PROD}:role/web-server-role`, sessionName: "i-0123456789abcdef0",
    accessKeyId: tempKey("ec2-creds"), issuedAt: T0,
  };
  const subject = apiCallBySession({
    session: instance, ec2RoleDelivery: "2.0", eventID: id("subject"), eventTime: addSeconds(T0, 1200),
    eventSource: "s3.amazonaws.com", eventName: "ListBuckets", sourceIPAddress: "198.51.100.23",
  });

  it.each([
    ["with a sharedEventID and no second copy", { sharedEventID: id("ec2-shared") }],
    ["with credentials only (no assumedRoleUser)", { omitAssumedRoleUser: true }],
  ])("EC2 instance profile %s: origin AWSService with the instance id, and no caller-account gap", async (_label, extra) => {
    const assume = assumeRoleEvent({
      caller: awsServiceIdentity("ec2.amazonaws.com"), session: instance, eventID: id("ec2-assume"),
      sourceIPAddress: "ec2.amazonaws.com", userAgent: "ec2.amazonaws.com", durationSeconds: 21600, ...extra,
    });
    const { report } = await trace([assume, subject], id("subject"));

    expect(report.hops).toHaveLength(1);
    expect(report.hops[0]).toMatchObject({ matchedBy: "accessKeyId", crossAccount: false, callerEvent: null });
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("ec2-assume"));
    expect(report.hops[0]!.session.arn).toBe(`arn:aws:sts::${PROD}:assumed-role/web-server-role/i-0123456789abcdef0`);
    expect(report.origin).toMatchObject({
      type: "AWSService", invokedBy: "ec2.amazonaws.com", instanceId: "i-0123456789abcdef0",
      arn: null, accountId: null, sourceIPAddress: "ec2.amazonaws.com",
    });
    expect(report.gaps).toEqual([]);
    expect(report.complete).toBe(true);
  });
});

describe("web identity and SAML federation", () => {
  it("GitHub Actions OIDC: origin WebIdentityUser with the token subject and provider", async () => {
    const providerArn = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
    const deploy: RoleSession = {
      roleArn: `arn:aws:iam::${PROD}:role/github-deploy`, sessionName: "GitHubActions",
      accessKeyId: tempKey("gha"), issuedAt: T0,
    };
    const oidc = assumeRoleWithWebIdentityEvent({
      caller: webIdentityUserIdentity({ providerArn, audience: "sts.amazonaws.com", subject: "repo:acme/deploy:ref:refs/heads/main" }),
      session: deploy, eventID: id("oidc"), subjectFromWebIdentityToken: "repo:acme/deploy:ref:refs/heads/main",
      provider: providerArn, audience: "sts.amazonaws.com", sourceIPAddress: "192.0.2.140", awsRegion: "us-east-2",
    });
    const subject = apiCallBySession({
      session: deploy, eventID: id("subject"), eventTime: addSeconds(T0, 40), eventSource: "lambda.amazonaws.com",
      eventName: "UpdateFunctionCode20150331v2", sourceIPAddress: "192.0.2.140", readOnly: false, awsRegion: "us-east-2",
    });
    const { report } = await trace([oidc, subject], id("subject"));

    expect(report.hops).toHaveLength(1);
    expect(report.hops[0]).toMatchObject({ matchedBy: "accessKeyId", crossAccount: false });
    expect(report.hops[0]!.assumeRole).toMatchObject({ eventID: id("oidc"), eventName: "AssumeRoleWithWebIdentity" });
    expect(report.origin).toMatchObject({
      type: "WebIdentityUser", identityProvider: providerArn, webIdentitySubject: "repo:acme/deploy:ref:refs/heads/main",
      sourceIPAddress: "192.0.2.140",
    });
    expect(report.complete).toBe(true);
  });

  describe("Identity Center (SAML) session chained through two more accounts", () => {
    const ssoRoleArn = `arn:aws:iam::${IDENTITY}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
    const samlProvider = `arn:aws:iam::${IDENTITY}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
    const nameQualifier = "k3Yb2iH0ZxQbDnqJ7e4cwRWkS0w=";
    const jane = samlUserIdentity({ nameQualifier, subject: "jane@example.com" });
    const sso: RoleSession = { roleArn: ssoRoleArn, sessionName: "jane@example.com", accessKeyId: tempKey("jane-sso"), issuedAt: T0 };
    const prod: RoleSession = {
      roleArn: `arn:aws:iam::${PROD}:role/OrgAccess`, sessionName: "jane", accessKeyId: tempKey("jane-prod"), issuedAt: addSeconds(T0, 30),
    };
    const data: RoleSession = {
      roleArn: `arn:aws:iam::${DATA}:role/DataReader`, sessionName: "jane-data", accessKeyId: tempKey("jane-data"), issuedAt: addSeconds(T0, 60),
    };
    const saml = assumeRoleWithSamlEvent({
      caller: jane, session: sso, samlProviderArn: samlProvider, eventID: id("saml"), sourceIPAddress: "192.0.2.33", awsRegion: "eu-west-1",
    });
    const toProd = crossAccountAssumeRole({
      caller: roleSessionIdentity(sso), session: prod, ownerEventID: id("prod-owner"), callerEventID: id("prod-caller"),
      sharedEventID: id("prod-shared"), sourceIPAddress: "192.0.2.33", durationSeconds: 3600,
    });
    const toData = crossAccountAssumeRole({
      caller: roleSessionIdentity(prod), session: data, ownerEventID: id("data-owner"), callerEventID: id("data-caller"),
      sharedEventID: id("data-shared"), sourceIPAddress: "192.0.2.33", durationSeconds: 3600,
    });
    const subject = apiCallBySession({
      session: data, eventID: id("subject"), eventTime: addSeconds(T0, 100), eventSource: "s3.amazonaws.com",
      eventName: "GetObject", sourceIPAddress: "192.0.2.33",
    });

    it("walks DATA → PROD → IDENTITY to the SAML user, citing owner and caller copies of each hop", async () => {
      const { report } = await trace(
        [subject, toData.callerCopy, toProd.ownerCopy, saml, toData.ownerCopy, toProd.callerCopy], id("subject"));

      expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("data-owner"), id("prod-owner"), id("saml")]);
      expect(report.hops.map((h) => h.callerEvent?.eventID ?? null)).toEqual([id("data-caller"), id("prod-caller"), null]);
      expect(report.hops.map((h) => h.crossAccount)).toEqual([true, true, false]);
      expect(report.hops.map((h) => h.matchedBy)).toEqual(["accessKeyId", "accessKeyId", "accessKeyId"]);
      expect(report.hops.map((h) => h.caller.arn)).toEqual([sessionArnOf(prod), sessionArnOf(sso), null]);

      const ssoHop = report.hops[2]!;
      // The session ARN has no path; the role ARN keeps aws-reserved/sso.amazonaws.com/.
      expect(ssoHop.session.arn).toBe(`arn:aws:sts::${IDENTITY}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com`);
      expect(ssoHop.session.roleArn).toBe(ssoRoleArn);
      expect(ssoHop.assumeRole.eventName).toBe("AssumeRoleWithSAML");
      expect(ssoHop.caller).toMatchObject({ type: "SAMLUser", userName: "jane@example.com", identityProvider: nameQualifier });

      expect(report.origin).toMatchObject({
        type: "SAMLUser", userName: "jane@example.com", identityProvider: nameQualifier, sourceIPAddress: "192.0.2.33",
      });
      expect(report.origin?.event?.eventID).toBe(id("saml"));
      expect(report.complete).toBe(true);
      expect(report.gaps).toEqual([]);
    });

    it("a programmatic Identity Center session (sso:GetRoleCredentials) signs with another key than AssumeRoleWithSAML logged: ARN + second join", async () => {
      // Observed in a real 2026 IdC trusted-token-issuer sample: the session's key differs from the logged one.
      const cli = apiCallBySession({
        session: sso, accessKeyId: tempKey("jane-sso-handed-out"), eventID: id("cli"), eventTime: addSeconds(T0, 1),
        eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", sourceIPAddress: "192.0.2.34",
        userAgent: "aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.26.4 api/sts#1.33.19",
      });
      const { report } = await trace([saml, cli], id("cli"));

      expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("saml")]);
      expect(report.hops[0]!.matchedBy).toBe("assumedRoleArn");
      expect(report.origin).toMatchObject({ type: "SAMLUser", userName: "jane@example.com" });
      expect(report.complete).toBe(true);
    });

    it("hop.session.roleArn falls back to requestParameters.roleArn (with its path) when sessionIssuer is absent", async () => {
      const bare = apiCallBySession({ session: sso, eventID: id("bare"), eventTime: addSeconds(T0, 10), sourceIPAddress: "192.0.2.33" });
      const identity = bare.userIdentity as { sessionContext: Record<string, unknown> };
      identity.sessionContext.sessionIssuer = {};
      const { report } = await trace([saml, bare], id("bare"));

      expect(report.hops[0]!.assumeRole.eventID).toBe(id("saml"));
      expect(report.hops[0]!.session.roleArn).toBe(ssoRoleArn);
    });
  });
});

describe("GetFederationToken (facts §2.3, SRT-FED)", () => {
  it("a FederatedUser session joins its GetFederationToken via federatedUser.arn + issued key; origin the IAM user", async () => {
    const fed: FederatedSession = {
      accountId: PROD, name: "contractor", accessKeyId: tempKey("fed"), issuedAt: T0, issuer: { userName: "ci-bot" },
    };
    const ciBot = iamUserIdentity({ accountId: PROD, userName: "ci-bot", accessKeyId: longTermKey("ci-bot") });
    const gft = getFederationTokenEvent({ caller: ciBot, session: fed, eventID: id("gft"), sourceIPAddress: ATTACKER_IP });
    const subject = apiCall({
      identity: federatedUserIdentity(fed), eventID: id("subject"), eventTime: addSeconds(T0, 7200), recipientAccountId: PROD,
      eventSource: "iam.amazonaws.com", eventName: "CreateUser", sourceIPAddress: ATTACKER_IP, readOnly: false,
    });
    const { report } = await trace([gft, subject], id("subject"));

    expect(report.hops).toHaveLength(1);
    expect(report.hops[0]!.assumeRole).toMatchObject({ eventID: id("gft"), eventName: "GetFederationToken" });
    expect(report.hops[0]).toMatchObject({ matchedBy: "accessKeyId", crossAccount: false });
    expect(report.hops[0]!.session).toMatchObject({
      type: "FederatedUser", arn: `arn:aws:sts::${PROD}:federated-user/contractor`, userName: "contractor",
    });
    expect(report.origin).toMatchObject({
      type: "IAMUser", arn: `arn:aws:iam::${PROD}:user/ci-bot`, accessKeyId: longTermKey("ci-bot"), sourceIPAddress: ATTACKER_IP,
    });
    expect(report.complete).toBe(true);
  });
});

describe("sourceIdentity (facts §4.4)", () => {
  it("set on the first AssumeRole and carried on every session: on each hop's session and on the origin", async () => {
    const dev: RoleSession = {
      roleArn: `arn:aws:iam::${PROD}:role/Dev`, sessionName: "alice", accessKeyId: tempKey("si-dev"), issuedAt: T0,
      sourceIdentity: "alice@corp.example",
    };
    const admin: RoleSession = {
      roleArn: `arn:aws:iam::${PROD}:role/Admin`, sessionName: "alice-admin", accessKeyId: tempKey("si-admin"),
      issuedAt: addSeconds(T0, 90), sourceIdentity: "alice@corp.example",
    };
    const { report } = await trace([
      assumeRoleEvent({ caller: alice, session: dev, eventID: id("si-1"), sourceIPAddress: ALICE_IP }),
      assumeRoleEvent({ caller: roleSessionIdentity(dev), session: admin, eventID: id("si-2"), sourceIPAddress: ALICE_IP }),
      apiCallBySession({ session: admin, eventID: id("subject"), eventTime: addSeconds(T0, 200), sourceIPAddress: ALICE_IP }),
    ], id("subject"));

    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("si-2"), id("si-1")]);
    expect(report.hops.map((h) => h.session.sourceIdentity)).toEqual(["alice@corp.example", "alice@corp.example"]);
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: aliceArn, sourceIdentity: "alice@corp.example" });
  });
});
