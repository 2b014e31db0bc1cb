import { describe, expect, it } from "vitest";
import { classifyLogDocument, recordFromLookupEntry } from "../../../src/sources/local/log-document.js";

describe("classifyLogDocument", () => {
  it("recognises each shape", () => {
    expect(classifyLogDocument({ Records: [{ eventID: "a" }] })).toEqual({ kind: "records", format: "trail", records: [{ eventID: "a" }] });
    expect(classifyLogDocument([{ eventID: "a" }])).toMatchObject({ kind: "records", format: "array" });
    expect(classifyLogDocument({ eventVersion: "1.08" })).toMatchObject({ kind: "records", format: "record" });
    expect(classifyLogDocument({ Events: [], NextToken: "t" })).toEqual({ kind: "lookup-events", entries: [] });
    expect(classifyLogDocument({ digestStartTime: "2026-11-17T09:35:12Z", logFiles: [] })).toEqual({ kind: "digest" });
  });

  it("says why JSON is not CloudTrail", () => {
    expect(classifyLogDocument({ foo: 1 })).toEqual({ kind: "not-cloudtrail", reason: "no Records/Events array (keys: foo)" });
    expect(classifyLogDocument({ Records: { eventID: "a" } })).toEqual({ kind: "not-cloudtrail", reason: '"Records" is an object, not an array' });
    expect(classifyLogDocument("text")).toEqual({ kind: "not-cloudtrail", reason: "top-level JSON is a string" });
  });

  it("reads only own keys", () => {
    const inherited = JSON.parse('{"__proto__":{"Records":[{"eventID":"a"}]}}') as unknown;
    expect(classifyLogDocument(inherited).kind).toBe("not-cloudtrail");
  });
});

describe("recordFromLookupEntry", () => {
  it("parses the CloudTrailEvent string, or says why it cannot", () => {
    expect(recordFromLookupEntry({ CloudTrailEvent: '{"eventID":"a"}' })).toEqual({ ok: true, raw: { eventID: "a" } });
    expect(recordFromLookupEntry({ CloudTrailEvent: { eventID: "a" } })).toEqual({ ok: true, raw: { eventID: "a" } });
    expect(recordFromLookupEntry({ EventId: "a" })).toEqual({ ok: false, reason: "LookupEvents entry has no CloudTrailEvent" });
    expect(recordFromLookupEntry({ CloudTrailEvent: "{" })).toMatchObject({ ok: false, reason: expect.stringMatching(/^CloudTrailEvent is not JSON: /) });
  });
});
