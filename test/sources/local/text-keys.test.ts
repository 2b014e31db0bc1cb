import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCloudTrailTime } from "../../../src/core/cloudtrail-time.js";
import { hashString, scanTextKeys } from "../../../src/sources/local/text-keys.js";
import { assumeRoleRecord, eventUuid, lookupEventsOutput, sessionApiCallRecord, trailDocument } from "../../helpers/local-log-files.js";

const keysOf = (text: string) => scanTextKeys(Buffer.from(text, "utf8"));
const ID_A = eventUuid(1);
const ID_B = eventUuid(2);

describe("scanTextKeys", () => {
  it("finds every eventID and the eventTime span of a compact trail document", () => {
    const keys = keysOf(trailDocument([
      sessionApiCallRecord({ eventID: ID_A, eventTime: "2026-11-17T10:00:05Z" }),
      assumeRoleRecord({ eventID: ID_B, eventTime: "2026-11-17T09:59:01Z" }),
    ]));
    expect(keys.complete).toBe(true);
    expect(keys.eventIdHashes).toContain(hashString(ID_A));
    expect(keys.eventIdHashes).toContain(hashString(ID_B));
    expect(keys.earliestMs).toBe(Date.parse("2026-11-17T09:59:01Z"));
    expect(keys.latestMs).toBe(Date.parse("2026-11-17T10:00:05Z"));
  });

  it("reads pretty-printed JSON and times written in other accepted forms", () => {
    const keys = keysOf(JSON.stringify({ Records: [
      { ...sessionApiCallRecord({ eventID: ID_A }), eventTime: "2026-11-17T11:00:00+01:00" },
    ] }, null, 2));
    expect(keys.complete).toBe(true);
    expect(keys.eventIdHashes).toEqual([hashString(ID_A)]);
    expect(keys.earliestMs).toBe(Date.parse("2026-11-17T10:00:00Z"));
  });

  it("gives up (incomplete) on records embedded in strings: LookupEvents output", () => {
    const keys = keysOf(lookupEventsOutput([sessionApiCallRecord({ eventID: ID_A })]));
    expect(keys.complete).toBe(false);
  });

  it("gives up on a key spelled with a \\u escape, and on an eventID value with an escape", () => {
    expect(keysOf(`{"Records":[{"event\\u0049D":"${ID_A}","eventTime":"2026-11-17T10:00:00Z"}]}`).complete).toBe(false);
    expect(keysOf(`{"Records":[{"eventID":"a\\/b","eventTime":"2026-11-17T10:00:00Z"}]}`).complete).toBe(false);
    // An escaped non-letter (here é) hides no key.
    expect(keysOf(`{"Records":[{"eventID":"${ID_A}","userAgent":"caf\\u00e9"}]}`).complete).toBe(true);
  });

  it("a nested key or an attacker's string only adds keys, it never hides the record's own", () => {
    const record = {
      ...sessionApiCallRecord({ eventID: ID_A, eventTime: "2026-11-17T10:00:00Z" }),
      userAgent: 'x","eventID":"fake',
      requestParameters: { eventID: ID_B, eventTime: "2020-01-01T00:00:00Z" },
    };
    const keys = keysOf(trailDocument([record]));
    expect(keys.eventIdHashes).toContain(hashString(ID_A));
    expect(keys.eventIdHashes).toContain(hashString(ID_B));
    expect(keys.latestMs).toBe(Date.parse("2026-11-17T10:00:00Z"));
  });

  it("takes no key that only ends like eventID or eventTime, and sees keys at the very start or end of the text", () => {
    const keys = keysOf(`{"xventID":"${ID_B}","sharedEventID":"${ID_B}","downtimeTime":"2020-01-01T00:00:00Z",`
      + `"eventID":"${ID_A}","eventTime":"2026-11-17T10:00:00Z"}`);
    expect(keys).toMatchObject({ complete: true, eventIdHashes: [hashString(ID_A)] });
    expect([keys.earliestMs, keys.latestMs]).toEqual([Date.parse("2026-11-17T10:00:00Z"), Date.parse("2026-11-17T10:00:00Z")]);
    expect(keysOf(`"eventID":"${ID_A}"`).eventIdHashes).toEqual([hashString(ID_A)]);
    // A key cut off at the end of the text is no key, and no crash.
    expect(keysOf(`{"eventID`).eventIdHashes).toEqual([]);
    expect(keysOf(`{"eventTime"`).earliestMs).toBeNull();
  });

  it("ignores non-string eventIDs and times (such a record matches no query on them)", () => {
    const keys = keysOf('{"Records":[{"eventID":42,"eventTime":null}]}');
    expect(keys).toMatchObject({ complete: true, eventIdHashes: [], earliestMs: null, latestMs: null });
  });

  it("over the bundled sample, every record's eventID and eventTime are in its file's keys", () => {
    const root = path.resolve(import.meta.dirname, "../../../fixtures/sample/logs");
    let records = 0;
    let files = 0;
    for (const file of listFiles(root)) {
      if (!file.endsWith(".json.gz") || file.includes("Digest")) continue;
      const text = gunzipSync(readFileSync(file));
      const keys = scanTextKeys(text);
      expect(keys.complete, file).toBe(true);
      const hashes = new Set(keys.eventIdHashes);
      for (const record of (JSON.parse(text.toString("utf8")) as { Records: { eventID: string; eventTime: string }[] }).Records) {
        expect(hashes.has(hashString(record.eventID)), `${file} ${record.eventID}`).toBe(true);
        const t = parseCloudTrailTime(record.eventTime)!;
        expect(t >= keys.earliestMs! && t <= keys.latestMs!, `${file} ${record.eventTime}`).toBe(true);
        records++;
      }
      files++;
    }
    expect(files).toBeGreaterThan(500);
    expect(records).toBeGreaterThan(3_000);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

describe("scanTextKeys on stamps that look canonical but are no date", () => {
  it("gives up rather than let an impossible extreme hide the real one", () => {
    const keys = keysOf('{"Records":[{"eventID":"a","eventTime":"2026-11-17T10:00:00Z"},{"eventID":"b","eventTime":"2026-11-17T12:00:00Z"},{"eventID":"c","eventTime":"2026-99-99T00:00:00Z"}]}');
    expect(keys.complete).toBe(false);
  });
});
