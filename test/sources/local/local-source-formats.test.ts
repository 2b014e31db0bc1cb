import { stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import {
  assumeRoleRecord, eventUuid, lookupEventsOutput, makeTempDir, ndjson, removeTempDir, sessionApiCallRecord,
  trailDocument, trailKey, writeLogFile,
} from "../../helpers/local-log-files.js";

let dir: string;
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => { await removeTempDir(dir); });

/** Every eventID the source returns for an unconstrained query, in order. */
async function allEventIds(paths: string[]) {
  const source = await createLocalSource(paths);
  const [answer] = await source.query([{}]);
  return { ids: answer!.events.map((e) => e.eventID), answer: answer!, source };
}

describe("createLocalSource reads every format", () => {
  it("trail files {\"Records\":[…]} as .json and .json.gz, with account and region from the key", async () => {
    const plainIds = [eventUuid(101), eventUuid(102)];
    const gzIds = [eventUuid(103)];
    const plain = await writeLogFile(dir, "records-plain/incident.json",
      trailDocument(plainIds.map((id) => assumeRoleRecord({ eventID: id }))));
    await writeLogFile(dir, `records-gz/${trailKey("111111111111", "eu-west-3", "2026-11-17T10:25:00Z")}`,
      trailDocument(gzIds.map((id) => sessionApiCallRecord({ eventID: id, region: "eu-west-3" }))), { gzip: true });

    expect((await allEventIds([plain])).ids).toEqual(plainIds);
    const { ids, answer } = await allEventIds([path.join(dir, "records-gz")]);
    expect(ids).toEqual(gzIds);
    expect(answer.events[0]!.location).toMatchObject({ accountId: "111111111111", region: "eu-west-3" });
    expect(answer.events[0]!.location!.origin).toContain("111111111111_CloudTrail_eu-west-3_20261117T1025Z");
  });

  it("LookupEvents output, parsing each CloudTrailEvent string (NextToken present)", async () => {
    const ids = [eventUuid(201), eventUuid(202)];
    const file = await writeLogFile(dir, "lookup/lookup-events.json",
      lookupEventsOutput([assumeRoleRecord({ eventID: ids[0] }), sessionApiCallRecord({ eventID: ids[1] })], "eyJOZXh0VG9rZW4iOm51bGx9"));
    const { ids: found, answer } = await allEventIds([file]);
    expect(found).toEqual(ids);
    expect(answer.events[0]!.responseElements).toMatchObject({ assumedRoleUser: { arn: expect.stringContaining("assumed-role/ci-deployer") } });
  });

  it("a pretty-printed JSON array of records, and a single record object", async () => {
    const ids = [eventUuid(301), eventUuid(302)];
    const array = await writeLogFile(dir, "array/export.json",
      JSON.stringify(ids.map((id) => assumeRoleRecord({ eventID: id })), null, 2));
    const single = await writeLogFile(dir, "single/one-event.json",
      JSON.stringify(sessionApiCallRecord({ eventID: eventUuid(303) }), null, 2));
    expect((await allEventIds([array])).ids).toEqual(ids);
    expect((await allEventIds([single])).ids).toEqual([eventUuid(303)]);
  });

  it("NDJSON as .jsonl and .ndjson.gz, with CRLF line ends and blank lines", async () => {
    const ids = [eventUuid(401), eventUuid(402), eventUuid(403)];
    const records = ids.map((id) => assumeRoleRecord({ eventID: id }));
    const jsonl = await writeLogFile(dir, "ndjson/events.jsonl", ndjson(records).replaceAll("\n", "\r\n") + "\r\n\r\n");
    const gz = await writeLogFile(dir, "ndjson/events.ndjson.gz", ndjson(records), { gzip: true });
    expect((await allEventIds([jsonl])).ids).toEqual(ids);
    expect((await allEventIds([gz])).ids).toEqual(ids);
  });

  it("NDJSON by content: several one-line objects in a .json file, including one-line Records documents", async () => {
    const file = await writeLogFile(dir, "ndjson-by-content/mixed.json", [
      JSON.stringify(assumeRoleRecord({ eventID: eventUuid(501) })),
      trailDocument([sessionApiCallRecord({ eventID: eventUuid(502) }), sessionApiCallRecord({ eventID: eventUuid(503) })]),
    ].join("\n"));
    expect((await allEventIds([file])).ids).toEqual([eventUuid(501), eventUuid(502), eventUuid(503)]);
  });

  it("gzip by magic bytes, whatever the name says", async () => {
    const body = gzipSync(trailDocument([assumeRoleRecord({ eventID: eventUuid(601) })]));
    const noExtension = await writeLogFile(dir, "gzip-by-magic/downloaded-object", body);
    const wrongExtension = await writeLogFile(dir, "gzip-by-magic/export.json", body);
    const { ids, source } = await allEventIds([noExtension, wrongExtension]);
    expect(ids).toEqual([eventUuid(601), eventUuid(601)]);
    expect(source.problems()).toEqual([]);
    const sizes = (await stat(noExtension)).size + (await stat(wrongExtension)).size;
    expect(source.stats()).toMatchObject({ queries: 1, unitsRead: 2, bytesRead: sizes, recordsScanned: 2 });
  });
});

describe("answers", () => {
  it("match queries with the reference semantics and report coverage per query", async () => {
    const root = path.join(dir, "coverage");
    const alpha = "111111111111";
    const beta = "222222222222";
    await writeLogFile(root, trailKey(alpha, "us-east-1", "2026-11-17T10:25:00Z"), trailDocument([
      assumeRoleRecord({ eventID: eventUuid(701), accountId: alpha, eventTime: "2026-11-17T10:20:05Z" }),
      sessionApiCallRecord({ eventID: eventUuid(702), accountId: alpha, eventTime: "2026-11-17T10:22:09Z" }),
    ]), { gzip: true });
    // No path facts: account and region come from the records.
    await writeLogFile(root, "exports/beta.jsonl", ndjson([
      sessionApiCallRecord({ eventID: eventUuid(703), accountId: beta, region: "eu-central-1", eventTime: "2026-11-17T09:59:59.500Z" }),
    ]));
    const source = await createLocalSource([root]);
    const [assumeRoles, betaOnly, everything] = await source.query([
      { eventNames: ["AssumeRole"] },
      { accountIds: [beta] },
      {},
    ]);
    expect(assumeRoles!.events.map((e) => e.eventID)).toEqual([eventUuid(701)]);
    expect(betaOnly!.events.map((e) => e.eventID)).toEqual([eventUuid(703)]);
    // The trail file's path rules it out for the beta query: it is not part of that search.
    expect(betaOnly!.coverage).toEqual({
      accounts: [beta], regions: ["eu-central-1"],
      earliestEventTime: "2026-11-17T09:59:59Z", latestEventTime: "2026-11-17T09:59:59Z",
    });
    expect(everything!.coverage).toEqual({
      accounts: [alpha, beta], regions: ["eu-central-1", "us-east-1"],
      earliestEventTime: "2026-11-17T09:59:59Z", latestEventTime: "2026-11-17T10:22:09Z",
    });
    expect(source.stats()).toMatchObject({ queries: 3, unitsRead: 2, unitsPruned: 0, recordsScanned: 3 });
  });

  it("prunes files by key account and delivery time, and counts them", async () => {
    const root = path.join(dir, "pruning");
    const eventTime = "2026-11-17T10:20:05Z";
    await writeLogFile(root, trailKey("111111111111", "us-east-1", "2026-11-17T10:25:00Z"),
      trailDocument([assumeRoleRecord({ eventID: eventUuid(801), eventTime })]), { gzip: true });
    // Delivered two hours late: inside the 12 h slack, so it must still be read.
    await writeLogFile(root, trailKey("111111111111", "us-east-1", "2026-11-17T12:20:00Z"),
      trailDocument([sessionApiCallRecord({ eventID: eventUuid(802), eventTime: "2026-11-17T10:21:00Z" })]), { gzip: true });
    await writeLogFile(root, trailKey("111111111111", "us-east-1", "2026-11-16T10:25:00Z"),
      trailDocument([assumeRoleRecord({ eventID: eventUuid(803), eventTime: "2026-11-16T10:20:00Z" })]), { gzip: true });
    await writeLogFile(root, trailKey("222222222222", "us-east-1", "2026-11-17T10:25:00Z"),
      trailDocument([assumeRoleRecord({ eventID: eventUuid(804), accountId: "222222222222", eventTime })]), { gzip: true });

    const source = await createLocalSource([root]);
    const [answer] = await source.query([{
      accountIds: ["111111111111"],
      timeRange: { startMs: Date.parse("2026-11-17T10:00:00Z"), endMs: Date.parse("2026-11-17T10:30:00Z") },
    }]);
    expect(answer!.events.map((e) => e.eventID)).toEqual([eventUuid(801), eventUuid(802)]);
    expect(source.stats()).toMatchObject({ unitsRead: 2, unitsPruned: 2 });
  });
});

describe("determinism", () => {
  it("gives the same events, problems and order at any concurrency", async () => {
    const root = path.join(dir, "determinism");
    for (let i = 0; i < 12; i++) {
      const records = [assumeRoleRecord({ eventID: eventUuid(900 + i * 2) }), sessionApiCallRecord({ eventID: eventUuid(901 + i * 2) })];
      // Big and small files alternate so reads finish out of order.
      const padding = i % 2 === 0 ? Array.from({ length: 400 }, () => assumeRoleRecord()) : [];
      await writeLogFile(root, `file-${String(i).padStart(2, "0")}.json.gz`, trailDocument([...padding, ...records]), { gzip: true });
      if (i % 4 === 0) await writeLogFile(root, `file-${String(i).padStart(2, "0")}-bad.json`, `{"not":"cloudtrail ${i}"}`);
    }
    const runs = await Promise.all([1, 4].map(async (concurrency) => {
      const source = await createLocalSource([root], { concurrency });
      const [answer] = await source.query([{ eventIds: Array.from({ length: 24 }, (_, i) => eventUuid(900 + i)) }, {}]);
      return { ids: answer!.events.map((e) => e.eventID), problems: source.problems().map((p) => p.location) };
    }));
    expect(runs[0]!.ids).toEqual(Array.from({ length: 24 }, (_, i) => eventUuid(900 + i)));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.problems).toEqual([...runs[0]!.problems].sort());
    expect(runs[0]!.problems).toHaveLength(3);
  });

  it("answers an empty batch without reading", async () => {
    const source = await createLocalSource([path.join(dir, "determinism")]);
    expect(await source.query([])).toEqual([]);
    expect(source.stats()).toMatchObject({ queries: 0, unitsRead: 0, unitsPruned: 0 });
  });
});
