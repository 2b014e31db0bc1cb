import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { containsAnyNeedle, compileQuery, MAX_NEEDLES } from "../../../src/sources/local/compiled-query.js";
import {
  assumeRoleRecord, eventUuid, lookupEventsOutput, makeTempDir, ndjson, removeTempDir, sessionApiCallRecord,
  trailDocument, trailKey, writeLogFile,
} from "../../helpers/local-log-files.js";

let dir: string;

/** Ten trail files, an NDJSON export, a pretty-printed array and LookupEvents output. */
beforeAll(async () => {
  dir = await makeTempDir();
  for (let file = 0; file < 10; file++) {
    const minute = String(file * 5).padStart(2, "0");
    const records = Array.from({ length: 20 }, (_, i) => i % 2 === 0
      ? assumeRoleRecord({ eventID: eventUuid(1000 + file * 20 + i), eventTime: `2026-11-17T10:${minute}:${String(i).padStart(2, "0")}Z`,
        accessKeyId: `ASIAEXAMPLEKEY${String(file * 20 + i).padStart(6, "0")}`, sessionName: `build-${file * 20 + i}` })
      : sessionApiCallRecord({ eventID: eventUuid(1000 + file * 20 + i), eventTime: `2026-11-17T10:${minute}:${String(i).padStart(2, "0")}Z`,
        sessionName: `build-${file * 20 + i}` }));
    await writeLogFile(dir, trailKey("111111111111", "us-east-1", `2026-11-17T10:${minute}:00Z`), trailDocument(records), { gzip: true });
  }
  await writeLogFile(dir, "exports/siem.jsonl", ndjson(Array.from({ length: 30 }, (_, i) =>
    sessionApiCallRecord({ eventID: eventUuid(2000 + i), accountId: "222222222222", region: "eu-west-1", eventTime: `2026-11-16T08:00:${String(i).padStart(2, "0")}Z` }))));
  await writeLogFile(dir, "exports/array.json", JSON.stringify(Array.from({ length: 5 }, (_, i) =>
    assumeRoleRecord({ eventID: eventUuid(3000 + i), accountId: "333333333333", region: "ap-south-1", eventTime: `2026-11-18T23:59:0${i}Z` })), null, 2));
  await writeLogFile(dir, "exports/lookup.json", lookupEventsOutput(Array.from({ length: 4 }, (_, i) =>
    sessionApiCallRecord({ eventID: eventUuid(4000 + i), accountId: "444444444444", region: "sa-east-1", eventTime: `2026-11-15T00:00:0${i}Z` }))));
});
afterAll(async () => { await removeTempDir(dir); });

async function answer(queries: EventQuery[], useNeedleFilter: boolean) {
  const source = await createLocalSource([dir], { useNeedleFilter });
  const answers = await source.query(queries);
  return { answers, stats: source.stats(), problems: source.problems() };
}

const batches: Record<string, EventQuery[]> = {
  "one eventID in a trail file": [{ eventIds: [eventUuid(1105)] }],
  "eventIDs in NDJSON, an array and LookupEvents output": [{ eventIds: [eventUuid(2007)] }, { eventIds: [eventUuid(3002), eventUuid(4003)] }],
  "an issued access key": [{ issuedAccessKeyIds: ["ASIAEXAMPLEKEY000042"] }],
  "an eventID that is nowhere": [{ eventIds: ["00000000-0000-4000-8000-000000000000"] }],
  "an issued session and the caller of a call (session names)": [
    { eventNames: ["AssumeRole"], issuedSessionArns: ["arn:aws:sts::111111111111:assumed-role/ci-deployer/build-42"] },
    { callerArns: ["arn:aws:sts::111111111111:assumed-role/ci-deployer/build-43"] },
  ],
};

describe("the needle pre-filter", () => {
  for (const [name, queries] of Object.entries(batches)) {
    it(`gives the same answers and coverage with and without it: ${name}`, async () => {
      const filtered = await answer(queries, true);
      const unfiltered = await answer(queries, false);
      expect(filtered.answers).toEqual(unfiltered.answers);
      expect(filtered.problems).toEqual([]);
      expect(filtered.stats.textsSkippedByNeedles).toBeGreaterThan(0);
      expect(unfiltered.stats.textsSkippedByNeedles).toBe(0);
      expect(filtered.stats.recordsScanned).toBeLessThan(unfiltered.stats.recordsScanned);
      expect(filtered.stats.unitsRead).toBe(unfiltered.stats.unitsRead);
    });
  }

  it("finds the record it should, and skips every other text unparsed", async () => {
    const { answers, stats } = await answer([{ eventIds: [eventUuid(1105)] }], true);
    expect(answers[0]!.events.map((e) => e.eventID)).toEqual([eventUuid(1105)]);
    // 13 files: 10 trail documents + 30 NDJSON lines + 2 documents; only the one holding the id is parsed.
    expect(stats.textsSkippedByNeedles).toBe(9 + 30 + 2);
    expect(stats.recordsScanned).toBe(20);
    // Coverage still spans every file searched, though only one was parsed.
    expect(answers[0]!.coverage).toEqual({
      accounts: ["111111111111", "222222222222", "333333333333", "444444444444"],
      regions: ["ap-south-1", "eu-west-1", "sa-east-1", "us-east-1"],
      earliestEventTime: "2026-11-15T00:00:00Z",
      latestEventTime: "2026-11-18T23:59:04Z",
    });
  });

  it("finds a session whose ARN was written with escaped slashes", async () => {
    const escaped = await makeTempDir();
    try {
      const record = assumeRoleRecord({ eventID: eventUuid(5000), sessionName: "escaped-slashes" });
      const text = trailDocument([record]).replaceAll("/", "\\/");
      expect(text).toContain("assumed-role\\/ci-deployer\\/escaped-slashes");
      await writeLogFile(escaped, trailKey("111111111111", "us-east-1", "2026-11-17T10:20:00Z"), text, { gzip: true });
      const source = await createLocalSource([escaped], { useNeedleFilter: true });
      const [found] = await source.query([{ issuedSessionArns: ["arn:aws:sts::111111111111:assumed-role/ci-deployer/escaped-slashes"] }]);
      expect(found!.events.map((e) => e.eventID)).toEqual([eventUuid(5000)]);
    } finally {
      await removeTempDir(escaped);
    }
  });

  it("is off for a batch in which one query has no needles", async () => {
    const { stats } = await answer([{ eventIds: [eventUuid(1105)] }, { eventNames: ["AssumeRole"] }], true);
    expect(stats.textsSkippedByNeedles).toBe(0);
  });
});

describe("compileQuery needles", () => {
  it("takes eventIDs, shared event ids or issued keys, and of ARNs only their session names", () => {
    expect(compileQuery({ eventIds: ["id-1", "id-2"] }).needles?.map(String)).toEqual(["id-1", "id-2"]);
    expect(compileQuery({ sharedEventIds: ["id-2"] }).needles?.map(String)).toEqual(["id-2"]);
    expect(compileQuery({ eventNames: ["AssumeRole"] }).needles).toBeNull();
    // ARNs may be written with "\/" in JSON: only the part after the last "/" is searched for.
    expect(compileQuery({ issuedSessionArns: ["arn:aws:sts::1:assumed-role/r/s", "arn:aws:sts::1:assumed-role/q/s"] }).needles?.map(String)).toEqual(["s"]);
    expect(compileQuery({ callerArns: ["arn:aws:sts::1:assumed-role/r/priya@example.com", "arn:aws:sts::1:federated-user/Bob_1"] }).needles?.map(String))
      .toEqual(["priya@example.com", "Bob_1"]);
    // A name a JSON writer may escape ("+" is \u002B to .NET), an ARN without a name, or nothing after the slash: no needles.
    expect(compileQuery({ callerArns: ["arn:aws:sts::1:assumed-role/r/a+b"] }).needles).toBeNull();
    expect(compileQuery({ callerArns: ["arn:aws:iam::1:root"] }).needles).toBeNull();
    expect(compileQuery({ issuedSessionArns: ["arn:aws:sts::1:assumed-role/r/"] }).needles).toBeNull();
    expect(compileQuery({ callerArns: ["arn:aws:sts::1:assumed-role/r/ok", "arn:aws:sts::1:assumed-role/r/n\u00e4me"] }).needles).toBeNull();
    const a = compileQuery({ eventIds: ["id-1", "id-2"] });
    expect(containsAnyNeedle(Buffer.from('{"eventID":"id-2"}'), a.needles!)).toBe(true);
    expect(containsAnyNeedle(Buffer.from('{"eventID":"id-3"}'), a.needles!)).toBe(false);
  });

  it("a query with more than MAX_NEEDLES ids is still answered right (parsed, not searched)", async () => {
    const ids = [eventUuid(1105), ...Array.from({ length: MAX_NEEDLES }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`)];
    const filtered = await answer([{ eventIds: ids }], true);
    const unfiltered = await answer([{ eventIds: ids }], false);
    expect(filtered.answers).toEqual(unfiltered.answers);
    expect(filtered.answers[0]!.events.map((e) => e.eventID)).toEqual([eventUuid(1105)]);
  });
});
