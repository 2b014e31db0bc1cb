import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import type { ExpectedTrace } from "../../src/generator/expected-trace.js";
import { readCorpus, only, type Corpus } from "./helpers/read-corpus.js";
import { arnOnlyIssuer, indexIssuing, keyOnlyIssuer, referenceTrace, type IssuingIndex } from "./helpers/reference-tracer.js";
import { generateSmallCorpus } from "./helpers/shared-corpus.js";

const REQUIRED = [
  "mfa-single-hop", "role-chaining", "cross-account-shared-event-id", "saml-multi-account",
  "same-session-name-different-callers", "two-assume-roles-one-second-apart", "failed-assume-role-ignored",
  "console-switch-role", "ec2-instance-profile", "github-actions-oidc", "identity-center", "federation-token",
  "issuing-event-missing", "caller-account-logs-missing", "root-direct", "iam-user-direct", "get-session-token-mfa",
  "source-identity", "sts-in-other-region", "late-delivery", "creation-date-missing",
];
const ISSUING_NAMES = new Set(["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken"]);

let generated: GeneratedCorpus;
let corpus: Corpus;
let index: IssuingIndex;
let cleanup: () => void;

beforeAll(async () => {
  const made = await generateSmallCorpus(11);
  generated = made.corpus;
  cleanup = made.cleanup;
  corpus = readCorpus(generated.logsDir);
  index = indexIssuing(corpus);
});
afterAll(() => cleanup());

const scenario = (name: string): ExpectedTrace => {
  const found = generated.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
};

describe("embedded scenarios", () => {
  it("embeds every required scenario once, with a stable kebab-case name", () => {
    const names = generated.scenarios.map((s) => s.name);
    expect([...names].sort()).toEqual([...REQUIRED].sort());
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("puts each subject where the expectation says: eventID, account, region, time", () => {
    for (const s of generated.scenarios) {
      const { record, file } = only(corpus, s.subjectEventId);
      expect(record.recipientAccountId, s.name).toBe(s.subjectAccountId);
      expect(file.accountId, s.name).toBe(s.subjectAccountId);
      expect(record.awsRegion, s.name).toBe(s.subjectRegion);
      expect(record.eventTime, s.name).toBe(s.subjectEventTime);
    }
  });

  it("puts each hop's issuing event in the role's account and its caller copy in the caller's account", () => {
    for (const s of generated.scenarios) {
      for (const hop of s.hops) {
        const roleAccount = hop.sessionArn.split(":")[4];
        const issuing = only(corpus, hop.issuingEventId).record;
        expect(ISSUING_NAMES.has(issuing.eventName), `${s.name} ${issuing.eventName}`).toBe(true);
        expect(issuing.recipientAccountId, s.name).toBe(roleAccount);
        if (hop.callerEventId) {
          const caller = only(corpus, hop.callerEventId).record;
          expect(caller.eventName, s.name).toBe(issuing.eventName);
          expect(caller.recipientAccountId, s.name).not.toBe(roleAccount);
          expect(caller["sharedEventID"], s.name).toBe(issuing["sharedEventID"]);
          expect(caller["requestID"], s.name).toBe(issuing["requestID"]);
          expect(caller.eventTime, s.name).toBe(issuing.eventTime);
          expect(caller["responseElements"], s.name).toEqual(issuing["responseElements"]);
          expect((issuing["userIdentity"] as { type: string }).type, s.name).toBe("AWSAccount");
        }
      }
    }
  });

  it("re-derives every expected chain from the logs alone (reference join: ARN + creationDate, then key)", () => {
    for (const s of generated.scenarios) {
      const actual = referenceTrace(corpus, index, s.subjectEventId);
      const expected: Record<string, unknown> = { hops: s.hops, origin: s.origin, complete: s.complete, gapReasons: s.gapReasons };
      if (s.fallback) expected["fallback"] = s.fallback;
      expect(actual, s.name).toEqual(expected);
    }
  });

  it("has only the role owner's copy for the caller-account-logs-missing hop", () => {
    const s = scenario("caller-account-logs-missing");
    const issuing = only(corpus, s.hops[0]!.issuingEventId).record;
    const shared = issuing["sharedEventID"] as string;
    expect(shared).toMatch(/^[0-9a-f-]{36}$/);
    const copies = corpus.logFiles.flatMap((f) => f.records).filter((r) => r["sharedEventID"] === shared);
    expect(new Set(copies.map((r) => r.eventID))).toEqual(new Set([issuing.eventID]));
    expect(issuing["userIdentity"]).toMatchObject({ type: "AWSAccount", accountId: "999999999999" });
    expect(corpus.logFiles.some((f) => f.accountId === "999999999999")).toBe(false);
    expect(s.origin).toMatchObject({ type: "AWSAccount", accountId: "999999999999" });
  });

  it("delivers the late-delivery issuing event in a file stamped at least two hours after it happened", () => {
    const s = scenario("late-delivery");
    const { record, file } = only(corpus, s.hops[0]!.issuingEventId);
    expect(file.stampMs - Date.parse(record.eventTime)).toBeGreaterThanOrEqual(2 * 3_600_000);
    const subjectFile = only(corpus, s.subjectEventId).file;
    expect(subjectFile.stampMs).toBeLessThan(file.stampMs);
  });

  it("gives the console subject a key the AssumeRole never issued, and a SwitchRole with the real IP", () => {
    const s = scenario("console-switch-role");
    const subject = only(corpus, s.subjectEventId).record;
    const issuing = only(corpus, s.hops[0]!.issuingEventId).record;
    const identity = subject["userIdentity"] as { accessKeyId: string };
    expect(subject["sessionCredentialFromConsole"]).toBe("true");
    expect(identity.accessKeyId).not.toBe((issuing["responseElements"] as { credentials: { accessKeyId: string } }).credentials.accessKeyId);
    expect(issuing["sourceIPAddress"]).toBe("AWS Internal");
    const switchRole = corpus.logFiles.flatMap((f) => f.records).find((r) => r.eventName === "SwitchRole" && (r["userIdentity"] as { arn: string }).arn === s.hops[0]!.sessionArn && r.eventTime === issuing.eventTime);
    expect(switchRole?.["sourceIPAddress"]).toBe(s.origin?.sourceIPAddress);
    expect(switchRole?.["additionalEventData"]).toMatchObject({ SwitchFrom: s.origin?.arn });
    expect(s.hops[0]!.matchedBy).toBe("assumedRoleArn");
  });

  it("lists the later of two same-ARN AssumeRoles first in one file", () => {
    const s = scenario("two-assume-roles-one-second-apart");
    const { record, file } = only(corpus, s.hops[0]!.issuingEventId);
    const position = file.records.findIndex((r) => r.eventID === record.eventID);
    const previous = file.records[position - 1]!;
    expect(previous.eventName).toBe("AssumeRole");
    expect(Date.parse(previous.eventTime) - Date.parse(record.eventTime)).toBe(1000);
    expect((previous["responseElements"] as { assumedRoleUser: { arn: string } }).assumedRoleUser.arn).toBe(s.hops[0]!.sessionArn);
  });

  it("keeps a denied AssumeRole for the same role and session right before the successful one", () => {
    const s = scenario("failed-assume-role-ignored");
    const { record, file } = only(corpus, s.hops[0]!.issuingEventId);
    const denied = file.records.find((r) => r.eventName === "AssumeRole" && r["errorCode"] === "AccessDenied" && r.eventTime === record.eventTime);
    expect(denied).toBeDefined();
    expect(denied!["responseElements"]).toBeNull();
    expect(denied!["requestParameters"]).toMatchObject({ roleArn: (record["requestParameters"] as { roleArn: string }).roleArn, roleSessionName: "frank" });
  });

  it("strips creationDate from the creation-date-missing subject only", () => {
    const s = scenario("creation-date-missing");
    const subject = only(corpus, s.subjectEventId).record;
    const attributes = (subject["userIdentity"] as { sessionContext: { attributes: Record<string, string> } }).sessionContext.attributes;
    expect(attributes).toEqual({ mfaAuthenticated: "false" });
    expect(s.fallback?.candidates).toBeGreaterThanOrEqual(2);
  });

  it("is hard: joining on the session ARN alone, or on the access key alone, gets several scenarios wrong", () => {
    let arnWrong = 0;
    let keyWrong = 0;
    for (const s of generated.scenarios.filter((x) => x.hops.length > 0)) {
      const subject = only(corpus, s.subjectEventId).record;
      const right = only(corpus, s.hops[0]!.issuingEventId).record;
      const sameCall = (e: Record<string, unknown> | null) => e !== null && (e["eventID"] === right.eventID || (e["sharedEventID"] !== undefined && e["sharedEventID"] === right["sharedEventID"]));
      if (!sameCall(arnOnlyIssuer(index, subject))) arnWrong++;
      if (!sameCall(keyOnlyIssuer(index, subject))) keyWrong++;
    }
    expect(arnWrong, "scenarios an ARN-only join gets wrong").toBeGreaterThanOrEqual(4);
    expect(keyWrong, "scenarios a key-only join gets wrong").toBeGreaterThanOrEqual(4);
  });
});
