import { describe, expect, it } from "vitest";
import { normalizeRecord, recordAccountId, type CloudTrailEvent, type RecordLocation } from "../../src/core/cloudtrail-event.js";
import { issuedAccessKeyId, issuedSessionArn } from "../../src/core/issuing-events.js";
import { apiCallBySession, iamUserIdentity, isoBasic, tempKey, uuid as id } from "../helpers/cloudtrail-records.js";

const T0 = "2026-11-16T10:15:00Z";

function normalized(raw: unknown, location: RecordLocation | null = null): CloudTrailEvent {
  const result = normalizeRecord(raw, location);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.event;
}

describe("normalizeRecord", () => {
  it.each([
    ["null", null],
    ["an array", [{ eventID: "x", eventName: "y" }]],
    ["a string", "{\"eventID\":\"x\"}"],
    ["no eventID", { eventName: "AssumeRole", eventTime: T0 }],
    ["an empty eventID", { eventID: "", eventName: "AssumeRole" }],
    ["a non-string eventID", { eventID: 42, eventName: "AssumeRole" }],
    ["no eventName", { eventID: "0b8f0958-8507-4526-b8f5-d56741ccae77" }],
  ])("rejects %s", (_label, raw) => {
    const result = normalizeRecord(raw);
    expect(result.ok).toBe(false);
  });

  it("does not keep the session token CloudTrail logs, nor unread members, and leaves the record it was given as it was", () => {
    const credentials = { accessKeyId: "ASIAEXAMPLE0000TOKEN", sessionToken: "IQoJb3JpZ2luX2Vj".repeat(40), expiration: "Nov 16, 2026, 11:15:00 AM" };
    const raw = { eventID: id("t"), eventName: "AssumeRole", responseElements: { credentials, assumedRoleUser: { arn: "arn:aws:sts::1:assumed-role/r/s" } } };
    const before = structuredClone(raw);
    const event = normalized(raw);
    expect(event.responseElements).toEqual({
      credentials: { accessKeyId: "ASIAEXAMPLE0000TOKEN" },
      assumedRoleUser: { arn: "arn:aws:sts::1:assumed-role/r/s" },
    });
    expect(issuedAccessKeyId(event)).toBe("ASIAEXAMPLE0000TOKEN");
    expect(raw).toEqual(before);
    // Also when responseElements is a JSON string (some exports); members nobody reads are not kept (KEPT_MEMBERS).
    expect(normalized({ ...raw, responseElements: JSON.stringify(raw.responseElements) }).responseElements).toEqual(event.responseElements);
    const unread = { eventID: id("u"), eventName: "GetObject", responseElements: { x: 1 } };
    expect(normalized(unread).responseElements).toBeNull();
  });

  it("a record's eventID inherited through __proto__ is not an eventID", () => {
    const raw: unknown = JSON.parse('{"__proto__": {"eventID": "smuggled", "eventName": "AssumeRole"}, "eventName": "AssumeRole"}');
    expect(normalizeRecord(raw)).toEqual({ ok: false, reason: "record has no eventID" });
  });

  it("__proto__ / constructor keys stay inert: nothing read through them, no prototype polluted", () => {
    const raw: unknown = JSON.parse(`{
      "eventID": "e1", "eventName": "GetObject", "eventTime": "${T0}",
      "userIdentity": { "__proto__": { "type": "Root", "arn": "arn:aws:iam::111122223333:root" },
                        "constructor": { "prototype": { "polluted": "yes" } } },
      "requestParameters": { "__proto__": { "roleArn": "arn:aws:iam::111122223333:role/Evil" } },
      "responseElements": { "__proto__": { "credentials": { "accessKeyId": "ASIAEVIL" } } }
    }`);
    const e = normalized(raw);
    expect(e.userIdentity).not.toBeNull();
    expect(e.userIdentity?.type).toBeNull();
    expect(e.userIdentity?.arn).toBeNull();
    expect(issuedSessionArn(e)).toBeNull();
    expect(issuedAccessKeyId(e)).toBeNull();
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(({} as Record<string, unknown>)["type"]).toBeUndefined();
  });

  it("reads a session identity: mfaAuthenticated is the STRING \"true\"/\"false\"; creationDate in either ISO form", () => {
    const session = {
      roleArn: "arn:aws:iam::444455556666:role/Admin", sessionName: "alice", accessKeyId: tempKey("n"), issuedAt: T0, mfaAuthenticated: true,
    };
    for (const format of ["extended", "basic"] as const) {
      const identity = normalized(apiCallBySession({ session, creationDateFormat: format, eventID: id(format), eventTime: T0 })).userIdentity!;
      expect(identity.creationDate).toBe(format === "basic" ? isoBasic(T0) : T0);
      expect(identity.creationTimeMs).toBe(Date.parse(T0));
      expect(identity.mfaAuthenticated).toBe(true);
      expect(identity.sessionIssuer?.arn).toBe("arn:aws:iam::444455556666:role/Admin");
    }
    const notMfa = normalized(apiCallBySession({ session: { ...session, mfaAuthenticated: false }, eventID: id("f"), eventTime: T0 }));
    expect(notMfa.userIdentity?.mfaAuthenticated).toBe(false);
  });

  it("an IAM user console session's sessionIssuer {} is no issuer; no sessionContext → MFA unknown (null)", () => {
    const withSession = normalized({
      eventID: "e2", eventName: "AssumeRole", userIdentity: iamUserIdentity({
        accountId: "111122223333", userName: "bob", accessKeyId: tempKey("bob"), session: { creationDate: T0, mfaAuthenticated: true },
      }),
    });
    expect(withSession.userIdentity?.sessionIssuer).toBeNull();
    expect(withSession.userIdentity?.mfaAuthenticated).toBe(true);
    const longTerm = normalized({
      eventID: "e3", eventName: "ListBuckets",
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/bob", accessKeyId: "AKIAEXAMPLE" },
    });
    expect(longTerm.userIdentity?.type).toBe("IAMUser");
    expect(longTerm.userIdentity?.mfaAuthenticated).toBeNull();
  });

  it("sessionCredentialFromConsole \"true\" → true; absent → false; recordAccountId falls back to the storage location", () => {
    const raw = { eventID: "e4", eventName: "ListBuckets", sessionCredentialFromConsole: "true" };
    const fromConsole = normalized(raw, { origin: "file", accountId: "444455556666", region: "us-east-1" });
    expect(fromConsole.sessionCredentialFromConsole).toBe(true);
    expect(recordAccountId(fromConsole)).toBe("444455556666");
    const plain = normalized({ eventID: "e5", eventName: "ListBuckets", recipientAccountId: "111122223333" });
    expect(plain.sessionCredentialFromConsole).toBe(false);
    expect(recordAccountId(plain)).toBe("111122223333");
  });

  it("a record without eventTime is kept (Logstash exports) with eventTimeMs null", () => {
    const e = normalized({ eventID: "e6", eventName: "GetObject" });
    expect(e.eventID).toBe("e6");
    expect(e.eventTimeMs).toBeNull();
  });
});
