import { describe, expect, it } from "vitest";
import { normalizeRecord } from "../../../src/core/cloudtrail-event.js";
import { isoOfLakeTimestamp, objectOfMapJson, recordOfLakeRow } from "../../../src/sources/lake/lake-row-record.js";

describe("recordOfLakeRow", () => {
  it("rebuilds the nested record from leaf columns, map JSON and Trino timestamps", () => {
    const record = recordOfLakeRow([
      { eventid: "3f1c9a2e-7b4d-4c1e-9a8f-0d2b6e5c4a31" }, { EventName: "AssumeRole" }, { eventtime: "2026-11-16 10:00:00.000" },
      { errorcode: "" }, { useridentity_arn: "arn:aws:iam::111111111111:user/alice" },
      { useridentity_sessioncontext_attributes_creationdate: "2026-11-16 09:59:58.250" },
      { responseelements: JSON.stringify({ assumedRoleUser: JSON.stringify({ arn: "arn:aws:sts::1:assumed-role/r/s" }), sourceIdentity: "{not json" }) },
      { requestparameters: JSON.stringify({ roleArn: "arn:aws:iam::1:role/r", durationSeconds: "3600" }) },
    ]);
    expect(record).toEqual({
      eventID: "3f1c9a2e-7b4d-4c1e-9a8f-0d2b6e5c4a31",
      eventName: "AssumeRole",
      eventTime: "2026-11-16T10:00:00Z",
      userIdentity: { arn: "arn:aws:iam::111111111111:user/alice", sessionContext: { attributes: { creationDate: "2026-11-16T09:59:58.250Z" } } },
      responseElements: { assumedRoleUser: { arn: "arn:aws:sts::1:assumed-role/r/s" }, sourceIdentity: "{not json" },
      requestParameters: { roleArn: "arn:aws:iam::1:role/r", durationSeconds: "3600" },
    });
    const normalized = normalizeRecord(record);
    expect(normalized.ok && normalized.event.userIdentity?.creationTimeMs).toBe(Date.parse("2026-11-16T09:59:58.250Z"));
  });

  it("keeps a logged __proto__ key as data", () => {
    const parsed = objectOfMapJson('{"__proto__":"{\\"polluted\\":true}","a":"b"}');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed ?? {})).toEqual(["__proto__", "a"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("leaves what it does not understand alone", () => {
    expect(objectOfMapJson("{a=b}")).toBeNull();
    expect(objectOfMapJson("[1]")).toBeNull();
    expect(isoOfLakeTimestamp("2026-11-16 10:00:00.5")).toBe("2026-11-16T10:00:00.500Z");
    expect(isoOfLakeTimestamp("Nov 16, 2026")).toBe("Nov 16, 2026");
  });
});
