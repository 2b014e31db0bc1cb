import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCloudTrailTime } from "../../../src/core/cloudtrail-time.js";
import { hashString, textKeysFrom } from "../../../src/sources/local/text-keys.js";
import { layoutTrailRecords, type TrailRecordLayout } from "../../../src/sources/local/trail-record-layout.js";
import { assumeRoleRecord, eventUuid, sessionApiCallRecord } from "../../helpers/local-log-files.js";

/** Each record's text and name as the layout says, decoded. */
function walked(text: string): { record: string; name: string | null }[] | null {
  const bytes = Buffer.from(text, "utf8");
  const layout = layoutTrailRecords(bytes);
  if (!layout) return null;
  return spansOf(layout).map(([start, end, nameStart, nameEnd]) => ({
    record: bytes.toString("utf8", start, end),
    name: nameStart === -1 ? null : bytes.toString("utf8", nameStart, nameEnd),
  }));
}

function spansOf(layout: TrailRecordLayout): [number, number, number, number][] {
  const spans = Array.from(layout.spans);
  return Array.from({ length: layout.records }, (_, i) => spans.slice(i * 4, i * 4 + 4) as [number, number, number, number]);
}

const plain = (name: string, extra: Record<string, unknown> = {}) => ({ eventID: eventUuid(), eventName: name, ...extra });

describe("layoutTrailRecords", () => {
  it("finds every record and its own eventName in a trail document, as JSON.parse reads them", () => {
    const records = [assumeRoleRecord(), sessionApiCallRecord({ eventName: "ListBuckets" }), { ...assumeRoleRecord(), eventName: "AssumeRoleWithSAML" }];
    const text = JSON.stringify({ Records: records });
    const found = walked(text)!;
    expect(found.map((r) => JSON.parse(r.record))).toEqual(records);
    expect(found.map((r) => r.name)).toEqual(["AssumeRole", "ListBuckets", "AssumeRoleWithSAML"]);
  });

  it("is not fooled by attacker-controlled strings and nested keys", () => {
    const forged = '"},{"eventName":"AssumeRole","eventID":"x"},{"a":"';
    const records = [
      // A tag key named eventName, nested objects and arrays, brackets and quotes inside strings.
      plain("TagResource", { requestParameters: { tags: { eventName: "AssumeRole" }, list: [{ eventName: "AssumeRole" }], s: "]}{[" } }),
      plain("GetObject", { userAgent: forged, requestParameters: { key: `a\\"b${forged}\\` } }),
      plain("PutRolePolicy", { requestParameters: { policyDocument: JSON.stringify({ Statement: [{ Action: "sts:AssumeRole" }] }) } }),
    ];
    const found = walked(JSON.stringify({ Records: records }))!;
    expect(found.map((r) => JSON.parse(r.record))).toEqual(records);
    expect(found.map((r) => r.name)).toEqual(["TagResource", "GetObject", "PutRolePolicy"]);
  });

  it("finds every quote and escape at every alignment, however the document sits in its buffer", () => {
    // Strings of every length up to 13, with an escaped quote or backslash (or a forged record
    // boundary) at every position: the walk reads strings 4 bytes at a time where aligned.
    const values: string[] = [];
    for (let length = 0; length <= 13; length++) {
      values.push("x".repeat(length));
      for (let at = 0; at < length; at++) {
        for (const special of ['"', "\\", '"},{"eventName":"AssumeRole"', "\\\"", "é"]) {
          values.push("x".repeat(at) + special + "x".repeat(length - at));
        }
      }
    }
    const records = values.map((value, i) => plain(i % 3 === 0 ? "AssumeRole" : "ListBuckets", { userAgent: value, nested: { tag: [value, { k: value }] } }));
    const text = JSON.stringify({ Records: records });
    for (let lead = 0; lead < 8; lead++) {
      const holder = Buffer.alloc(lead + Buffer.byteLength(text) + 5, "}");
      holder.write(text, lead, "utf8");
      const bytes = holder.subarray(lead, lead + Buffer.byteLength(text));
      const layout = layoutTrailRecords(bytes);
      expect(layout, `lead ${lead}`).not.toBeNull();
      const spans = spansOf(layout!);
      expect(spans.map(([start, end]) => JSON.parse(bytes.toString("utf8", start, end)) as unknown), `lead ${lead}`).toEqual(records);
      expect(spans.map(([, , nameStart, nameEnd]) => bytes.toString("utf8", nameStart, nameEnd)), `lead ${lead}`).toEqual(records.map((r) => r.eventName));
    }
    // A string that never ends, at any alignment: never read past the document (the bytes after it close it).
    for (let lead = 0; lead < 4; lead++) {
      const open = `{"Records":[{"eventID":"a","eventName":"${"x".repeat(lead + 9)}`;
      const holder = Buffer.from(`${"x".repeat(lead)}${open}"}]}`);
      expect(layoutTrailRecords(holder.subarray(lead, lead + open.length)), `lead ${lead}`).toBeNull();
    }
  });

  it("reads pretty-printed documents", () => {
    const records = [plain("AssumeRole"), plain("CreateRole")];
    const found = walked(`\n  ${JSON.stringify({ Records: records }, null, 2)}\n`)!;
    expect(found.map((r) => JSON.parse(r.record))).toEqual(records);
    expect(found.map((r) => r.name)).toEqual(["AssumeRole", "CreateRole"]);
  });

  it("says the name is unknown (the caller parses the record) whenever the bytes could mislead", () => {
    const id = `"eventID":"${eventUuid(1)}"`;
    const unknown = [
      `{"event\\u004eame":"ListBuckets",${id},"eventName":"AssumeRole"}`, // an escaped key could be a second eventName
      `{"eventName":"Assume\\u0052ole",${id}}`, // an escaped value
      `{"eventName":"ListBuckets","eventName":"AssumeRole",${id}}`, // JSON.parse keeps the last
      `{"eventName":"",${id}}`, // rejected by normalizeRecord
      `{"eventName":5,${id}}`,
      `{"eventName":{"x":"AssumeRole"},${id}}`,
      `{"eventName":["AssumeRole"],${id}}`,
      `{"eventName":"ListBuckets"}`, // no eventID: rejected, and reported, when parsed
      `{"eventName":"ListBuckets","eventID":5}`,
      `{"eventName":"ListBuckets","eventID":""}`,
      `{"eventName":"ListBuckets",${id},"eventID":null}`,
    ];
    for (const record of unknown) {
      expect(walked(`{"Records":[${record}]}`), record).toEqual([{ record, name: null }]);
    }
    // An escaped eventID is still a non-empty string: the name stays known.
    expect(walked(`{"Records":[{"eventName":"ListBuckets","eventID":"a\\u0062c"}]}`)![0]!.name).toBe("ListBuckets");
  });

  it("is null for anything but exactly {\"Records\":[{…},…]}, so the caller parses the whole text", () => {
    const record = JSON.stringify(plain("AssumeRole"));
    const notTrail = [
      `[${record}]`,
      record,
      `{"Records":[${record}],"NextToken":"x"}`,
      `{"Other":1,"Records":[${record}]}`,
      `{"Records":[1,${record}]}`,
      `{"Records":{}}`,
      `{"Records":[{"eventName":"AssumeRole","x":[}]}`, // brackets that do not match
      `{"Records":[{"eventName":"AssumeRole","x":"never ends}]}`,
      `{"Records":[${record}]}}`,
      `{"Records":[${record}] `,
      `{"Records":[${record},]}`,
      `{"Records":[${record}]} trailing`,
      `{"Rec\\u006frds":[${record}]}`,
      "",
    ];
    for (const text of notTrail) expect(layoutTrailRecords(Buffer.from(text)), text).toBeNull();
    expect(layoutTrailRecords(Buffer.from('{"Records":[]}'))).toMatchObject({ spans: [], records: 0, keys: { eventIdHashes: [], complete: true } });
  });

  it("agrees with JSON.parse on every record of the bundled sample logs", () => {
    const root = path.resolve(import.meta.dirname, "../../../fixtures/sample/logs");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json.gz") && !f.includes("Digest"));
    expect(files.length).toBeGreaterThan(50);
    let records = 0;
    for (const file of files) {
      const bytes = gunzipSync(readFileSync(path.join(root, file)));
      const layout = layoutTrailRecords(bytes);
      expect(layout, file).not.toBeNull();
      const parsed = (JSON.parse(bytes.toString("utf8")) as { Records: { eventName: string; eventID: string; eventTime: string }[] }).Records;
      expect(layout!.records).toBe(parsed.length);
      // Its keys are exactly the records' own: every eventID, the span of the eventTimes.
      const keys = textKeysFrom(layout!.keys);
      const times = parsed.map((r) => parseCloudTrailTime(r.eventTime)!);
      expect([...keys.eventIdHashes]).toEqual(parsed.map((r) => hashString(r.eventID)));
      expect(keys).toMatchObject({ complete: true, earliestMs: Math.min(...times), latestMs: Math.max(...times) });
      spansOf(layout!).forEach(([start, end, nameStart, nameEnd], i) => {
        expect(JSON.parse(bytes.toString("utf8", start, end))).toEqual(parsed[i]);
        expect(bytes.toString("utf8", nameStart, nameEnd)).toBe(parsed[i]!.eventName);
      });
      records += parsed.length;
    }
    expect(records).toBeGreaterThan(1000);
  });

  it("finds the keys of the records' own eventID and eventTime, and says when they may be incomplete", () => {
    const keysOf = (records: string) => textKeysFrom(layoutTrailRecords(Buffer.from(`{"Records":[${records}]}`))!.keys);
    const a = `{"eventID":"a","eventName":"X","eventTime":"2026-11-17T10:00:00Z","requestParameters":{"eventID":"nested","eventTime":"2020-01-01T00:00:00Z"}}`;
    const b = `{"eventTime":"2026-11-17T12:00:00+01:00","eventID":"b","eventName":"X"}`;
    expect(keysOf(`${a},${b}`)).toEqual({
      eventIdHashes: [hashString("a"), hashString("b")], complete: true,
      earliestMs: Date.parse("2026-11-17T10:00:00Z"), latestMs: Date.parse("2026-11-17T11:00:00Z"),
    });
    expect(keysOf(`{"eventID":"\\u0061","eventName":"X"}`).complete).toBe(false);
    expect(keysOf(`{"eventID":"a","eventName":"X","eventTime":"2026-11-17T10:00:00\\u005a"}`).complete).toBe(false);
    expect(keysOf(`{"event\\u0049D":"a","eventName":"X"}`).complete).toBe(false);
    expect(keysOf(`{"eventID":"a","eventName":"X","s":"\\u0041\\"eventID\\":\\"z\\""}`)).toMatchObject({ eventIdHashes: [hashString("a")], complete: true });
  });
});
