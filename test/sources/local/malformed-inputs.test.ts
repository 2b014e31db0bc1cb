import { chmod } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceProblem } from "../../../src/sources/event-source.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import {
  assumeRoleRecord, eventUuid, makeTempDir, ndjson, removeTempDir, sessionApiCallRecord, trailDocument, writeLogFile,
} from "../../helpers/local-log-files.js";

let dir: string;
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => { await removeTempDir(dir); });

/** A folder with one good file next to `bad`; returns the good file's ids, problems and the source. */
async function scanNextToGoodFile(name: string, bad: string | Buffer, options: { maxDocumentBytes?: number } = {}) {
  const folder = path.join(dir, name);
  const goodId = eventUuid();
  await writeLogFile(folder, "a-good.json.gz", trailDocument([assumeRoleRecord({ eventID: goodId })]), { gzip: true });
  const badPath = await writeLogFile(folder, `b-${name}`, bad);
  await writeLogFile(folder, "c-good.jsonl", ndjson([sessionApiCallRecord({ eventID: goodId })]));
  const reported: SourceProblem[] = [];
  const source = await createLocalSource([folder], { onProblem: (p) => reported.push(p), ...options });
  const [answer] = await source.query([{}]);
  return { answer: answer!, problems: source.problems(), reported, badPath, goodId, source };
}

function expectScanContinued(result: Awaited<ReturnType<typeof scanNextToGoodFile>>) {
  expect(result.answer.events.filter((e) => e.eventID === result.goodId)).toHaveLength(2);
}

describe("a bad file gives one problem naming it, and the scan goes on", () => {
  it("truncated gzip", async () => {
    const whole = gzipSync(trailDocument([assumeRoleRecord(), assumeRoleRecord()]));
    const result = await scanNextToGoodFile("truncated.json.gz", whole.subarray(0, Math.floor(whole.length / 2)));
    expectScanContinued(result);
    expect(result.problems).toEqual([
      { location: result.badPath, reason: "truncated gzip: unexpected end of gzip data", effect: "skipped" },
    ]);
    expect(result.reported).toEqual(result.problems);
  });

  it("corrupt gzip", async () => {
    const body = gzipSync(trailDocument([assumeRoleRecord(), assumeRoleRecord()]));
    body.fill(0xff, 10, 30); // the deflate data right after the 10-byte header
    const result = await scanNextToGoodFile("corrupt.json.gz", body);
    expectScanContinued(result);
    expect(result.problems).toEqual([{ location: result.badPath, reason: expect.stringMatching(/^corrupt gzip: /), effect: "skipped" }]);
  });

  it("not JSON", async () => {
    const result = await scanNextToGoodFile("notes.json", "hello, these are my incident notes\n");
    expectScanContinued(result);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ location: result.badPath, effect: "skipped" });
    expect(result.problems[0]!.reason).toMatch(/^not JSON: Unexpected token/);
  });

  it("a JSON document that is broken half-way", async () => {
    const text = JSON.stringify({ Records: [assumeRoleRecord()] }, null, 2);
    const result = await scanNextToGoodFile("broken.json", text.slice(0, text.length - 40));
    expectScanContinued(result);
    expect(result.problems).toEqual([{ location: result.badPath, reason: expect.stringMatching(/^not JSON: /), effect: "skipped" }]);
  });

  it("JSON that is not CloudTrail", async () => {
    const result = await scanNextToGoodFile("config.json", '{"foo":1}');
    expectScanContinued(result);
    expect(result.problems).toEqual([
      { location: result.badPath, reason: "not CloudTrail: no Records/Events array (keys: foo)", effect: "skipped" },
    ]);
  });

  it("a record without eventID is skipped and the rest of its file used (partial)", async () => {
    const { eventID: _dropped, ...noId } = assumeRoleRecord();
    const keptIds = [eventUuid(), eventUuid()];
    const result = await scanNextToGoodFile("partial.json",
      trailDocument([assumeRoleRecord({ eventID: keptIds[0] }), noId, sessionApiCallRecord({ eventID: keptIds[1] })]));
    expectScanContinued(result);
    expect(result.answer.events.map((e) => e.eventID)).toEqual(expect.arrayContaining(keptIds));
    expect(result.problems).toEqual([{
      location: result.badPath, reason: "1 of 3 records skipped: record has no eventID (first at index 1)", effect: "partial",
    }]);
  });

  it("NDJSON lines that are not JSON or not records (partial, with line numbers)", async () => {
    const result = await scanNextToGoodFile("export.jsonl", [
      JSON.stringify(assumeRoleRecord()), "{not json", JSON.stringify({ hello: "world" }), JSON.stringify(assumeRoleRecord()),
    ].join("\n"));
    expectScanContinued(result);
    expect(result.problems).toEqual([{
      location: result.badPath,
      reason: expect.stringMatching(/^2 of 4 lines unusable: not JSON: .* \(first at line 2\)$/),
      effect: "partial",
    }]);
  });

  it("a document over the size cap, with a hint to use NDJSON", async () => {
    const big = JSON.stringify({ Records: Array.from({ length: 20 }, () => assumeRoleRecord()) }, null, 2);
    const result = await scanNextToGoodFile("huge.json", big, { maxDocumentBytes: 8 * 1024 });
    expectScanContinued(result);
    expect(result.problems).toEqual([{
      location: result.badPath, reason: expect.stringMatching(/^too large: .*8192 bytes.*NDJSON/), effect: "skipped",
    }]);
  });

  it("an empty file", async () => {
    const result = await scanNextToGoodFile("empty.json.gz", Buffer.alloc(0));
    expectScanContinued(result);
    expect(result.problems).toEqual([{ location: result.badPath, reason: "empty file", effect: "skipped" }]);
  });

  it.skipIf(process.getuid?.() === 0)("an unreadable file (EACCES)", async () => {
    const folder = path.join(dir, "unreadable");
    const locked = await writeLogFile(folder, "locked.json", trailDocument([assumeRoleRecord()]));
    await chmod(locked, 0o000);
    const source = await createLocalSource([folder]);
    await source.query([{}]);
    expect(source.problems()).toEqual([{ location: locked, reason: "cannot read: permission denied (EACCES)", effect: "skipped" }]);
  });

  it("reports each problem once across queries, and stops opening files with nothing usable", async () => {
    const result = await scanNextToGoodFile("garbage.json", "<html>not a log</html>");
    const readsAfterFirstQuery = result.source.stats().unitsRead;
    await result.source.query([{}]);
    await result.source.query([{ eventIds: [result.goodId] }]);
    expect(result.source.problems()).toHaveLength(1);
    expect(result.reported).toHaveLength(1);
    expect(result.source.stats().unitsRead).toBe(readsAfterFirstQuery + 4);
  });

  it("a truncated NDJSON gzip keeps the lines before the cut (partial)", async () => {
    const records = Array.from({ length: 400 }, () => assumeRoleRecord());
    const whole = gzipSync(ndjson(records));
    const result = await scanNextToGoodFile("cut.ndjson.gz", whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(result.problems).toEqual([{
      location: result.badPath,
      reason: expect.stringMatching(/^truncated gzip: unexpected end of gzip data \(\d+ records before it were used\)$/),
      effect: "partial",
    }]);
    expect(result.answer.events.length).toBeGreaterThan(100);
  });
});

describe("hostile but valid content", () => {
  it("a 10 MB string field is read and returned whole", async () => {
    const record = assumeRoleRecord({ eventID: eventUuid() });
    (record["requestParameters"] as Record<string, unknown>)["sourceIdentity"] = "A".repeat(10 * 1024 * 1024);
    const result = await scanNextToGoodFile("big-field.json.gz", gzipSync(trailDocument([record])));
    expect(result.problems).toEqual([]);
    const found = result.answer.events.find((e) => e.eventID === record["eventID"]);
    expect((found!.requestParameters!["sourceIdentity"] as string).length).toBe(10 * 1024 * 1024);
  });

  it("__proto__ and constructor keys do not pollute prototypes", async () => {
    const id = eventUuid();
    const text = `{"Records":[{"eventVersion":"1.08","eventID":"${id}","eventName":"AssumeRole",`
      + `"eventTime":"2026-11-17T10:20:05Z","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},`
      + `"userIdentity":{"type":"IAMUser","__proto__":{"polluted":"yes"},"arn":"arn:aws:iam::111111111111:user/alice"},`
      + `"requestParameters":{"__proto__":{"polluted":"yes"}},"recipientAccountId":"111111111111"}],`
      + `"__proto__":{"Records":[{"polluted":"yes"}]}}`;
    const result = await scanNextToGoodFile("proto.json", text);
    expect(result.problems).toEqual([]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)["polluted"]).toBeUndefined();
    const found = result.answer.events.find((e) => e.eventID === id);
    expect(found?.userIdentity?.arn).toBe("arn:aws:iam::111111111111:user/alice");
  });

  it("ANSI escape sequences in a session name are returned verbatim (the renderer strips them)", async () => {
    const sessionName = "\u001b[31mroot\u001b[0m\u001b]8;;https://evil.example\u0007";
    const record = assumeRoleRecord({ eventID: eventUuid(), sessionName });
    const result = await scanNextToGoodFile("ansi.json", trailDocument([record]));
    const found = result.answer.events.find((e) => e.eventID === record["eventID"]);
    expect(found!.requestParameters!["roleSessionName"]).toBe(sessionName);
    expect(found!.responseElements).toMatchObject({ assumedRoleUser: { arn: expect.stringContaining(sessionName) } });
  });

  it("problem reasons stay one line even when they quote hostile content", async () => {
    const keys = await scanNextToGoodFile("escape-keys.json", '{"\\u001b[2J\\n":1}');
    expect(keys.problems).toHaveLength(1);
    expect(keys.problems[0]!.reason).toBe("not CloudTrail: no Records/Events array (keys: \\u001b[2J\\u000a)");
    const snippet = await scanNextToGoodFile("escape-text.json", "\u001b[2J\u001b]0;owned\u0007 not json");
    expect(snippet.problems).toHaveLength(1);
    expect(snippet.problems[0]!.reason).toMatch(/^not JSON: /);
    expect(snippet.problems[0]!.reason).not.toMatch(/[\u0000-\u001f]/);
  });
});
