/**
 * traceRoleChain — the rules that join a session to the call that issued it (cloudtrail-facts §3,
 * §4.3): key + session ARN + creationDate second, any region, owner/caller copies by sharedEventID,
 * failed calls ignored, reused keys and repeated session names told apart.
 */
import { describe, expect, it } from "vitest";
import {
  addSeconds, apiCallBySession, assumeRoleEvent, crossAccountAssumeRole, iamUserIdentity, longTermKey,
  roleSessionIdentity, sessionArnOf, tempKey, uuid as id, type RoleSession,
} from "../../helpers/cloudtrail-records.js";
import { trace } from "../../helpers/run-trace.js";
import { ALICE_IP, ASSUME_ROLE_NAMES, ATTACKER_IP, BOB_IP, IDENTITY, PROD, T0, T0_MS } from "./cast.js";

const alice = iamUserIdentity({ accountId: PROD, userName: "alice", accessKeyId: longTermKey("alice") });
const aliceArn = `arn:aws:iam::${PROD}:user/alice`;
const bob = iamUserIdentity({ accountId: PROD, userName: "bob", accessKeyId: longTermKey("bob") });
const bobArn = `arn:aws:iam::${PROD}:user/bob`;

function roleSession(roleName: string, sessionName: string, keyLabel: string, issuedAt = T0, account = PROD): RoleSession {
  return { roleArn: `arn:aws:iam::${account}:role/${roleName}`, sessionName, accessKeyId: tempKey(keyLabel), issuedAt };
}

describe("role chaining", () => {
  const dev = roleSession("Dev", "alice", "dev");
  const deploy = roleSession("Deploy", "alice-deploy", "deploy", addSeconds(T0, 60));
  const admin = roleSession("Admin", "alice-admin", "admin", addSeconds(T0, 120));
  const chain = [
    apiCallBySession({ session: admin, eventID: id("subject"), eventTime: addSeconds(T0, 200), sourceIPAddress: ATTACKER_IP }),
    assumeRoleEvent({ caller: roleSessionIdentity(deploy), session: admin, eventID: id("hop-admin"), sourceIPAddress: "192.0.2.20" }),
    assumeRoleEvent({ caller: alice, session: dev, eventID: id("hop-dev"), sourceIPAddress: ALICE_IP }),
    assumeRoleEvent({ caller: roleSessionIdentity(dev), session: deploy, eventID: id("hop-deploy"), sourceIPAddress: "192.0.2.10" }),
  ];

  it("3 hops: each intermediate caller is an AssumedRole session with its own key and creationDate", async () => {
    const { report } = await trace(chain, id("subject"));

    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("hop-admin"), id("hop-deploy"), id("hop-dev")]);
    expect(report.hops.map((h) => h.session.arn)).toEqual([sessionArnOf(admin), sessionArnOf(deploy), sessionArnOf(dev)]);
    expect(report.hops.map((h) => h.session.accessKeyId)).toEqual([admin.accessKeyId, deploy.accessKeyId, dev.accessKeyId]);
    expect(report.hops.map((h) => h.caller.arn)).toEqual([sessionArnOf(deploy), sessionArnOf(dev), aliceArn]);
    expect(report.hops.map((h) => h.caller.type)).toEqual(["AssumedRole", "AssumedRole", "IAMUser"]);
    expect(report.hops.map((h) => h.callerSourceIPAddress)).toEqual(["192.0.2.20", "192.0.2.10", ALICE_IP]);
    expect(report.hops.every((h) => h.matchedBy === "accessKeyId" && !h.crossAccount && h.callerEvent === null)).toBe(true);
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: aliceArn, sourceIPAddress: ALICE_IP });
    expect(report.origin?.event?.eventID).toBe(id("hop-dev"));
    expect(report.complete).toBe(true);
  });

  it("maxHops is respected: depth-limit gap, no origin", async () => {
    const { report } = await trace(chain, id("subject"), { maxHops: 2 });

    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("hop-admin"), id("hop-deploy")]);
    expect(report.gaps).toHaveLength(1);
    expect(report.gaps[0]).toMatchObject({ reason: "depth-limit", hop: 2 });
    expect(report.origin).toBeNull();
    expect(report.complete).toBe(false);
  });
});

describe("creationDate formats", () => {
  it("ISO basic creationDate (\"20261116T101500Z\") joins like the extended form, on every hop", async () => {
    const dev = roleSession("Dev", "alice", "basic-dev");
    const admin = roleSession("Admin", "alice-admin", "basic-admin", addSeconds(T0, 45));
    const { report, source } = await trace([
      assumeRoleEvent({ caller: alice, session: dev, eventID: id("basic-1"), sourceIPAddress: ALICE_IP }),
      assumeRoleEvent({ caller: roleSessionIdentity(dev, { creationDateFormat: "basic" }), session: admin, eventID: id("basic-2") }),
      apiCallBySession({ session: admin, creationDateFormat: "basic", eventID: id("subject"), eventTime: addSeconds(T0, 100) }),
    ], id("subject"));

    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([id("basic-2"), id("basic-1")]);
    expect(report.hops.map((h) => h.matchedBy)).toEqual(["accessKeyId", "accessKeyId"]);
    expect(report.origin?.arn).toBe(aliceArn);
    const issuerRanges = source.queriesSeen.filter((q) => q.issuedSessionArns).map((q) => q.timeRange);
    expect(issuerRanges[0]).toEqual({ startMs: T0_MS + 45_000, endMs: T0_MS + 45_999 });
    expect(issuerRanges[issuerRanges.length - 1]).toEqual({ startMs: T0_MS, endMs: T0_MS + 999 });
  });
});

describe("cross-account by sharedEventID (facts §1.4, §3)", () => {
  const bobInIdentity = iamUserIdentity({ accountId: IDENTITY, userName: "bob", accessKeyId: longTermKey("bob-identity") });
  const bobIdentityArn = `arn:aws:iam::${IDENTITY}:user/bob`;
  const cross = roleSession("CrossAccountAdmin", "bob", "cross");
  const pair = crossAccountAssumeRole({
    caller: bobInIdentity, session: cross, ownerEventID: id("owner"), callerEventID: id("caller"),
    sharedEventID: id("shared"), sourceIPAddress: BOB_IP,
  });
  const subject = apiCallBySession({ session: cross, eventID: id("subject"), eventTime: addSeconds(T0, 30), sourceIPAddress: BOB_IP });

  it("owner copy (AWSAccount) + caller copy: hop cites both, crossAccount, origin from the caller copy", async () => {
    const { report } = await trace([pair.callerCopy, subject, pair.ownerCopy], id("subject"));

    expect(report.hops).toHaveLength(1);
    const [hop] = report.hops;
    expect(hop!.assumeRole).toMatchObject({ eventID: id("owner"), recipientAccountId: PROD, sharedEventID: id("shared") });
    expect(hop!.callerEvent).toMatchObject({ eventID: id("caller"), recipientAccountId: IDENTITY, sharedEventID: id("shared") });
    expect(hop!).toMatchObject({ crossAccount: true, matchedBy: "accessKeyId", callerSourceIPAddress: BOB_IP });
    expect(hop!.caller).toMatchObject({ type: "IAMUser", arn: bobIdentityArn, accountId: IDENTITY });
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: bobIdentityArn, accountId: IDENTITY, sourceIPAddress: BOB_IP });
    expect(report.origin?.event?.eventID).toBe(id("caller"));
    expect(report.complete).toBe(true);
    expect(report.gaps).toEqual([]);
  });

  it("role owner's logs missing, caller copy present: found by retrying without the account filter", async () => {
    const { report, source } = await trace([pair.callerCopy, subject], id("subject"));

    expect(report.hops).toHaveLength(1);
    // The caller copy is the only copy of the issuing call in the data.
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("caller"));
    expect(report.hops[0]!.callerEvent?.eventID).toBe(id("caller"));
    expect(report.hops[0]!.crossAccount).toBe(true);
    expect(report.origin).toMatchObject({ type: "IAMUser", arn: bobIdentityArn, sourceIPAddress: BOB_IP });
    const issuerQueries = source.queriesSeen.filter((q) => q.issuedSessionArns);
    expect(issuerQueries.map((q) => q.accountIds ?? null)).toEqual([[PROD], null]);
    expect(report.complete).toBe(true);
  });
});

describe("telling candidate issuing calls apart", () => {
  it("same role + same session name assumed by two callers minutes apart: the subject's creationDate and key pick the right one", async () => {
    const byAlice = roleSession("Deploy", "deploy", "deploy-alice", T0);
    const byBob = roleSession("Deploy", "deploy", "deploy-bob", addSeconds(T0, 180));
    const { report } = await trace([
      assumeRoleEvent({ caller: alice, session: byAlice, eventID: id("alice-assume"), sourceIPAddress: ALICE_IP }),
      assumeRoleEvent({ caller: bob, session: byBob, eventID: id("bob-assume"), sourceIPAddress: BOB_IP }),
      apiCallBySession({ session: byBob, eventID: id("subject"), eventTime: addSeconds(T0, 400), sourceIPAddress: BOB_IP }),
    ], id("subject"));

    expect(report.hops[0]!.assumeRole.eventID).toBe(id("bob-assume"));
    expect(report.hops[0]!.matchedBy).toBe("accessKeyId");
    expect(report.origin).toMatchObject({ arn: bobArn, sourceIPAddress: BOB_IP });
  });

  it("same role + same session name by two callers in the SAME second: the key decides", async () => {
    const byAlice = roleSession("Deploy", "deploy", "same-second-alice");
    const byBob = roleSession("Deploy", "deploy", "same-second-bob");
    const { report } = await trace([
      assumeRoleEvent({ caller: bob, session: byBob, eventID: id("bob-assume"), sourceIPAddress: BOB_IP }),
      assumeRoleEvent({ caller: alice, session: byAlice, eventID: id("alice-assume"), sourceIPAddress: ALICE_IP }),
      apiCallBySession({ session: byAlice, eventID: id("subject"), eventTime: addSeconds(T0, 20) }),
    ], id("subject"));

    expect(report.hops[0]!.assumeRole.eventID).toBe(id("alice-assume"));
    expect(report.hops[0]!.assumeRole.eventID).not.toBe(id("bob-assume"));
    expect(report.hops[0]!.matchedBy).toBe("accessKeyId");
    expect(report.origin).toMatchObject({ arn: aliceArn, sourceIPAddress: ALICE_IP });
    expect(report.complete).toBe(true);
  });

  describe("a temporary key id reused by an unrelated session (facts §4.3, HUNTERS)", () => {
    const reused = tempKey("reused");
    const mine: RoleSession = { ...roleSession("Admin", "alice", "unused"), accessKeyId: reused };
    const unrelated: RoleSession = { ...roleSession("Billing", "batch", "unused"), accessKeyId: reused };
    const unrelatedCall = assumeRoleEvent({ caller: bob, session: unrelated, eventID: id("unrelated"), sourceIPAddress: BOB_IP });
    const subject = apiCallBySession({ session: mine, eventID: id("subject"), eventTime: addSeconds(T0, 60), sourceIPAddress: ALICE_IP });

    it("is not matched when the session's own issuing call is there", async () => {
      const { report } = await trace([
        unrelatedCall, assumeRoleEvent({ caller: alice, session: mine, eventID: id("mine"), sourceIPAddress: ALICE_IP }), subject,
      ], id("subject"));

      expect(report.hops[0]!.assumeRole.eventID).toBe(id("mine"));
      expect(report.origin?.arn).toBe(aliceArn);
    });

    it("is not matched when the session's own issuing call is missing: issuer-not-found", async () => {
      const { report } = await trace([unrelatedCall, subject], id("subject"));

      expect(report.hops).toEqual([]);
      expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
      expect(report.origin).toBeNull();
    });
  });

  it("the only same-second call for the session ARN issued a DIFFERENT key (not a console session): never matched", async () => {
    // The session's own call is missing; a parallel client assumed the same role and session name in that second.
    const attacker = roleSession("Deploy", "deploy", "attacker-key");
    const parallel = roleSession("Deploy", "deploy", "ci-key");
    const { report } = await trace([
      assumeRoleEvent({ caller: bob, session: parallel, eventID: id("ci-assume"), sourceIPAddress: BOB_IP }),
      apiCallBySession({ session: attacker, eventID: id("subject"), eventTime: addSeconds(T0, 30), sourceIPAddress: ATTACKER_IP }),
    ], id("subject"));

    expect(report.hops).toEqual([]);
    expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
    expect(report.gaps[0]!.message).toContain(id("ci-assume"));
    expect(report.origin).toBeNull();
    expect(report.complete).toBe(false);
  });

  it("two AssumeRoles one second apart, same session ARN, different keys, out of order (SRT-ORG): the creationDate second + key decide", async () => {
    const sdkSession = "aws-go-sdk-1722587398902687000";
    const first = roleSession("leave-org-role", sdkSession, "srt-0830", "2024-08-02T08:30:00Z");
    const second = roleSession("leave-org-role", sdkSession, "srt-0829", "2024-08-02T08:29:59Z");
    const records = [
      assumeRoleEvent({ caller: alice, session: first, eventID: id("at-0830"), durationSeconds: 900 }),
      assumeRoleEvent({ caller: alice, session: second, eventID: id("at-0829"), durationSeconds: 900 }),
      apiCallBySession({ session: first, eventID: id("uses-0830"), eventTime: "2024-08-02T08:30:00Z", eventSource: "organizations.amazonaws.com", eventName: "LeaveOrganization", errorCode: "AccessDenied" }),
      apiCallBySession({ session: second, eventID: id("uses-0829"), eventTime: "2024-08-02T08:30:01Z", eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" }),
    ];

    const a = await trace(records, id("uses-0830"));
    expect(a.report.hops[0]!.assumeRole.eventID).toBe(id("at-0830"));
    expect(a.report.hops[0]!.assumeRole.eventID).not.toBe(id("at-0829"));
    expect(a.report.hops[0]!.matchedBy).toBe("accessKeyId");

    const b = await trace(records, id("uses-0829"));
    expect(b.report.hops[0]!.assumeRole.eventID).toBe(id("at-0829"));
  });

  describe("a failed AssumeRole (AccessDenied, responseElements null) in the same second is ignored", () => {
    const s = roleSession("Admin", "alice", "after-denied");
    const denied = assumeRoleEvent({ caller: alice, session: s, eventID: id("denied"), errorCode: "AccessDenied", sourceIPAddress: ALICE_IP });
    const granted = assumeRoleEvent({ caller: alice, session: s, eventID: id("granted"), sourceIPAddress: ALICE_IP });

    it("programmatic session", async () => {
      const subject = apiCallBySession({ session: s, eventID: id("subject"), eventTime: addSeconds(T0, 5) });
      const { report } = await trace([denied, granted, subject], id("subject"));

      expect(report.hops[0]!.assumeRole.eventID).toBe(id("granted"));
      expect(report.gaps).toEqual([]);
    });

    it("console session (key cannot decide): still one candidate, not ambiguous", async () => {
      const subject = apiCallBySession({
        session: s, accessKeyId: tempKey("console-req"), sessionCredentialFromConsole: true, eventID: id("subject"), eventTime: addSeconds(T0, 5),
      });
      const { report } = await trace([denied, granted, subject], id("subject"));

      expect(report.hops[0]!.assumeRole.eventID).toBe(id("granted"));
      expect(report.hops[0]!.matchedBy).toBe("assumedRoleArn");
      expect(report.gaps).toEqual([]);
    });

    it("only the failed call in that second: issuer-not-found", async () => {
      const subject = apiCallBySession({ session: s, eventID: id("subject"), eventTime: addSeconds(T0, 5) });
      const { report } = await trace([denied, subject], id("subject"));

      expect(report.hops).toEqual([]);
      expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
    });
  });

  it("the STS call was logged in another region than the subject (regional endpoint)", async () => {
    const s = roleSession("Admin", "alice", "regional");
    const { report } = await trace([
      assumeRoleEvent({ caller: alice, session: s, eventID: id("eu-assume"), awsRegion: "eu-west-1", sourceIPAddress: ALICE_IP }),
      apiCallBySession({ session: s, eventID: id("subject"), eventTime: addSeconds(T0, 90), awsRegion: "us-east-1" }),
    ], id("subject"));

    expect(report.hops[0]!.assumeRole).toMatchObject({ eventID: id("eu-assume"), awsRegion: "eu-west-1" });
    expect(report.complete).toBe(true);
  });

  it("duplicate records (same eventID twice) do not create ambiguity", async () => {
    const s = roleSession("Admin", "alice", "dup");
    const assume = assumeRoleEvent({ caller: alice, session: s, eventID: id("dup-assume"), sourceIPAddress: ALICE_IP });
    const subject = apiCallBySession({ session: s, eventID: id("subject"), eventTime: addSeconds(T0, 90) });
    const { report } = await trace([assume, subject, structuredClone(assume), structuredClone(subject)], id("subject"));

    expect(report.hops).toHaveLength(1);
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("dup-assume"));
    expect(report.hops[0]!.matchedBy).toBe("accessKeyId");
    expect(report.gaps).toEqual([]);
  });
});

describe("no creationDate: lookback fallback", () => {
  const key = (label: string) => tempKey(`lb-${label}`);
  const s = (label: string, issuedAt: string) => ({ ...roleSession("Admin", "alice", `lb-${label}`, issuedAt) });
  const subjectTime = addSeconds(T0, 600);
  const calls = [
    assumeRoleEvent({ caller: alice, session: s("too-old", addSeconds(T0, -13 * 3600)), eventID: id("too-old"), sourceIPAddress: ALICE_IP }),
    assumeRoleEvent({ caller: alice, session: s("older", addSeconds(T0, -7200)), eventID: id("older"), sourceIPAddress: ALICE_IP }),
    assumeRoleEvent({ caller: alice, session: s("latest", T0), eventID: id("latest"), sourceIPAddress: ALICE_IP }),
    assumeRoleEvent({ caller: bob, session: s("after", addSeconds(T0, 900)), eventID: id("after"), sourceIPAddress: BOB_IP }),
  ];
  function subject(accessKeyId: string | null) {
    return apiCallBySession({
      session: s("latest", T0), accessKeyId, creationDateFormat: "omitted", eventID: id("subject"), eventTime: subjectTime,
    });
  }

  it("takes the latest matching call before the subject within the lookback; reports the window and candidates", async () => {
    const { report } = await trace([...calls, subject(key("latest"))], id("subject"));

    expect(report.hops).toHaveLength(1);
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("latest"));
    expect(report.hops[0]!.matchedBy).toBe("accessKeyId");
    expect(report.hops[0]!.fallback).toMatchObject({
      candidates: 2,
      window: { from: new Date(Date.parse(subjectTime) - 12 * 3600_000).toISOString(), to: new Date(subjectTime).toISOString() },
    });
  });

  it("the key still decides among candidates: an older call that issued the subject's key beats the latest", async () => {
    const { report } = await trace([...calls, subject(key("older"))], id("subject"));

    expect(report.hops[0]!.assumeRole.eventID).toBe(id("older"));
    expect(report.hops[0]!.matchedBy).toBe("accessKeyId");
  });

  it("no key on the subject (withheld): the latest call by session ARN; never one after the subject or outside the lookback", async () => {
    const { report } = await trace([...calls, subject(null)], id("subject"));

    expect(report.hops[0]!.assumeRole.eventID).toBe(id("latest"));
    expect(report.hops[0]!.matchedBy).toBe("assumedRoleArn");
    expect(report.hops[0]!.fallback?.candidates).toBe(2);
  });

  it("a shorter lookback excludes the older candidates", async () => {
    const { report } = await trace([...calls, subject(key("older"))], id("subject"), { lookbackMs: 3600_000 });

    // The call that issued the subject's key is outside the window; the only candidate issued another key.
    expect(report.hops).toEqual([]);
    expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
  });
});

describe("--at hint and the queries the tracer asks", () => {
  const s = roleSession("Admin", "alice", "hint");
  const records = [
    assumeRoleEvent({ caller: alice, session: s, eventID: id("hint-assume"), sourceIPAddress: ALICE_IP }),
    apiCallBySession({ session: s, eventID: id("subject"), eventTime: addSeconds(T0, 1800) }),
  ];

  it("with a correct hint the subject is found by the hinted query alone", async () => {
    const atMs = T0_MS + 1800_000;
    const { report, source } = await trace(records, id("subject"), { atMs });

    expect(report.subject?.eventID).toBe(id("subject"));
    const subjectQueries = source.queriesSeen.filter((q) => q.eventIds);
    expect(subjectQueries).toHaveLength(1);
    expect(subjectQueries[0]!.timeRange!.startMs).toBeLessThanOrEqual(atMs);
    expect(subjectQueries[0]!.timeRange!.endMs).toBeGreaterThanOrEqual(atMs);
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("hint-assume"));
  });

  it("with a wrong hint (days off) it falls back to an unconstrained search", async () => {
    const { report, source } = await trace(records, id("subject"), { atMs: T0_MS - 5 * 86_400_000 });

    expect(report.subject?.eventID).toBe(id("subject"));
    const subjectQueries = source.queriesSeen.filter((q) => q.eventIds);
    expect(subjectQueries).toHaveLength(2);
    expect(subjectQueries[1]!.timeRange).toBeUndefined();
    expect(report.hops[0]!.assumeRole.eventID).toBe(id("hint-assume"));
    expect(report.complete).toBe(true);
  });

  it("issuer queries ask for ~1 s around creationDate in the role owner's account, and no region", async () => {
    const { source } = await trace(records, id("subject"));

    const issuer = source.queriesSeen.find((q) => q.issuedSessionArns);
    expect(issuer).toMatchObject({
      eventNames: ASSUME_ROLE_NAMES, issuedSessionArns: [sessionArnOf(s)], accountIds: [PROD],
      timeRange: { startMs: T0_MS, endMs: T0_MS + 999 },
    });
  });
});
