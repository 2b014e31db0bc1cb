import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { ASSUME_ROLE_EVENT_NAMES } from "../../../src/core/issuing-events.js";
import { createLocalSource, type LocalSourceOptions } from "../../../src/sources/local/local-source.js";
import {
  assumeRoleRecord, eventUuid, makeTempDir, ndjson, removeTempDir, sessionApiCallRecord, trailKey, writeLogFile,
} from "../../helpers/local-log-files.js";

/*
 * A batch whose every query names its events (a sweep, an issuer search) parses only the records of
 * trail documents whose own eventName is asked for (trail-record-layout.ts). Whatever it skips, its
 * answers, coverage, problems and counts must be those of parsing everything.
 */

let dir: string;
const window = { startMs: Date.parse("2026-11-17T00:00:00Z"), endMs: Date.parse("2026-11-18T00:00:00Z") };
/** A GetObject call in the last trail file, which holds no forged strings: its keys are complete, so it is indexed. */
const skippedId = eventUuid(5503);

beforeAll(async () => {
  dir = await makeTempDir("rolechain-by-name-");
  for (let file = 0; file < 6; file++) {
    const minute = String(file * 5).padStart(2, "0");
    const at = (i: number) => `2026-11-17T10:${minute}:${String(i).padStart(2, "0")}Z`;
    const records: unknown[] = Array.from({ length: 12 }, (_, i) => {
      const eventID = eventUuid(5000 + file * 100 + i);
      if (i % 4 === 0) return assumeRoleRecord({ eventID, eventTime: at(i), accountId: "222222222222" });
      if (i % 4 === 1) {
        // Cross-account: the caller is in another account than the role.
        const record = assumeRoleRecord({ eventID, eventTime: at(i), roleName: `cross-${file}` });
        return { ...record, requestParameters: { ...(record.requestParameters as object), roleArn: `arn:aws:iam::333333333333:role/cross-${file}` } };
      }
      // Other calls, some dressed up by an attacker as role assumptions.
      const call = sessionApiCallRecord({ eventID, eventTime: at(i), eventName: i % 4 === 2 ? "TagRole" : "GetObject" });
      if (file === 5) return call;
      return { ...call, requestParameters: { tags: { eventName: "AssumeRole" }, note: '"},{"eventName":"AssumeRole","eventID":"forged"},{"' } };
    });
    await writeLogFile(dir, trailKey("111111111111", "us-east-1", `2026-11-17T10:${minute}:00Z`), JSON.stringify({ Records: records }), { gzip: true });
  }
  // Records whose names the walk cannot vouch for: parsed, so a rejected one is still reported.
  await writeLogFile(dir, trailKey("111111111111", "eu-west-1", "2026-11-17T11:00:00Z"), `{"Records":[`
    + `${JSON.stringify({ ...assumeRoleRecord({ eventID: eventUuid(6001), region: "eu-west-1" }), eventName: "Assume\u0052ole" }).replace("AssumeRole\"", "Assume\\u0052ole\"")},`
    + `{"eventName":"AssumeRole","eventTime":"2026-11-17T11:00:01Z"},`
    + `${JSON.stringify(sessionApiCallRecord({ eventID: eventUuid(6003), region: "eu-west-1", eventTime: "2026-11-17T11:00:02Z" }))}]}`, { gzip: true });
  // A wanted record that is not JSON: the whole document is then parsed, and reported, as before.
  await writeLogFile(dir, trailKey("111111111111", "eu-west-2", "2026-11-17T12:00:00Z"),
    `{"Records":[${JSON.stringify(sessionApiCallRecord({ eventID: eventUuid(6101), region: "eu-west-2" }))},{"eventID":"x","eventName":"AssumeRole","readOnly":tru}]}`, { gzip: true });
  // Not trail documents: parsed whole, as always.
  await writeLogFile(dir, "exports/siem.jsonl", ndjson([assumeRoleRecord({ eventID: eventUuid(7001), accountId: "444444444444", eventTime: "2026-11-17T13:00:00Z" })]));
});
afterAll(async () => { await removeTempDir(dir); });

async function answer(queries: EventQuery[], options: LocalSourceOptions) {
  const source = await createLocalSource([dir], { useIndex: false, ...options });
  const answers = await source.query(queries);
  await source.close();
  return { answers, stats: source.stats(), problems: source.problems() };
}

const batches: Record<string, EventQuery[]> = {
  "the sweep's batch": [
    { eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange: window },
    { eventNames: ["AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "CreateRole", "UpdateAssumeRolePolicy"], timeRange: window },
  ],
  "the sweep's second query": [{ eventNames: [...ASSUME_ROLE_EVENT_NAMES], roleNames: ["CROSS-2"], timeRange: window }],
  "an issuer search": [{ eventNames: [...ASSUME_ROLE_EVENT_NAMES], issuedSessionArns: ["arn:aws:sts::111111111111:assumed-role/cross-4/build-4711"] }],
};

describe("parsing only the records a batch names", () => {
  for (const [name, queries] of Object.entries(batches)) {
    it(`answers as parsing everything does, on this thread and on workers: ${name}`, async () => {
      const everything = await answer(queries, { useNeedleFilter: false });
      const byName = await answer(queries, { workerThreshold: Number.POSITIVE_INFINITY });
      const onWorkers = await answer(queries, { workerThreshold: 0, workerMinFileBytes: 0 });
      expect(everything.answers.some((a) => a.events.length > 0)).toBe(true);
      for (const run of [byName, onWorkers]) {
        expect(run.answers).toEqual(everything.answers);
        expect(run.problems).toEqual(everything.problems);
        expect(run.stats.recordsScanned).toBe(everything.stats.recordsScanned);
        expect(run.stats.recordsSkippedByName).toBeGreaterThanOrEqual(6 * 6); // the non-assumption records of the six files
      }
      expect(everything.stats.recordsSkippedByName).toBe(0);
      expect(onWorkers.stats.filesReadOnWorkers).toBeGreaterThan(0);
    });
  }

  it("finds the cross-account assumptions, and none of the forged ones", async () => {
    const { answers } = await answer(batches["the sweep's batch"]!, {});
    expect(answers[0]!.events.map((e) => e.eventID).sort()).toEqual(
      Array.from({ length: 6 }, (_, file) => [1, 5, 9].map((i) => eventUuid(5000 + file * 100 + i))).flat().sort());
    expect(answers[0]!.events.every((e) => e.eventName === "AssumeRole")).toBe(true);
  });

  it("parses records it cannot vouch for, and reports what parsing reports", async () => {
    const { answers, problems } = await answer([{ eventNames: ["AssumeRole"] }], {});
    // The escaped name is AssumeRole once parsed.
    expect(answers[0]!.events.map((e) => e.eventID)).toContain(eventUuid(6001));
    expect(problems.map((p) => [path.basename(p.location).split("_")[2], p.reason])).toEqual([
      ["eu-west-1", expect.stringMatching(/^1 of 3 records skipped: record has no eventID/)],
      ["eu-west-2", expect.stringMatching(/^not JSON: /)],
    ]);
  });

  it("keeps the skipped records' eventIDs in the index, so a later search for one still reads its file", async () => {
    const indexDir = path.join(dir, "..", `${path.basename(dir)}-index`);
    const first = await createLocalSource([dir], { indexDir });
    const [assumptions] = await first.query([{ eventNames: ["AssumeRole"] }]);
    expect(assumptions!.events.map((e) => e.eventID)).not.toContain(skippedId);
    expect(first.stats().recordsSkippedByName).toBeGreaterThan(0);
    await first.close();

    const second = await createLocalSource([dir], { indexDir });
    const [found] = await second.query([{ eventIds: [skippedId] }]);
    expect(found!.events.map((e) => e.eventID)).toEqual([skippedId]);
    expect(second.stats().filesInIndex).toBeGreaterThan(1); // the skipped record's file among them
    expect(second.stats().filesSkippedByIndex).toBeGreaterThan(0); // the index was used, and kept the id
    await second.close();
    await removeTempDir(indexDir);
  });
});
