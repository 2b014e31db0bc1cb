import { cpSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import type { ExpectedTrace } from "../../../src/generator/expected-trace.js";
import { createLocalSource, type LocalSourceOptions } from "../../../src/sources/local/local-source.js";
import { makeTempDir, removeTempDir } from "../../helpers/local-log-files.js";
import { sourceIndependent } from "../../helpers/source-independent-report.js";

const sampleDir = path.resolve(import.meta.dirname, "../../../fixtures/sample");
const scenarios = (JSON.parse(readFileSync(path.join(sampleDir, "scenarios.json"), "utf8")) as { scenarios: ExpectedTrace[] }).scenarios;

let work: string;
let logs: string;
beforeAll(async () => {
  work = await makeTempDir("rolechain-index-");
  logs = path.join(work, "logs");
  cpSync(path.join(sampleDir, "logs"), logs, { recursive: true });
});
afterAll(async () => { await removeTempDir(work); });

async function traceWith(eventId: string, options: LocalSourceOptions, atMs: number | null = null) {
  const source = await createLocalSource([logs], options);
  const report = await traceRoleChain(source, { eventId, atMs, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });
  await source.close();
  return { report, stats: source.stats(), problems: source.problems() };
}

describe("the persistent index", () => {
  it("gives every scenario the same report, coverage included, cold and warm as without it; warm reads a fraction", async () => {
    const indexDir = path.join(work, "index-all");
    let referenceReads = 0;
    let warmReads = 0;
    for (const scenario of scenarios) {
      const reference = await traceWith(scenario.subjectEventId, { useIndex: false });
      const cold = await traceWith(scenario.subjectEventId, { indexDir });
      const warm = await traceWith(scenario.subjectEventId, { indexDir });
      expect(sourceIndependent(cold.report, { keepCoverage: true }), scenario.name).toEqual(sourceIndependent(reference.report, { keepCoverage: true }));
      expect(sourceIndependent(warm.report, { keepCoverage: true }), scenario.name).toEqual(sourceIndependent(reference.report, { keepCoverage: true }));
      expect(warm.problems).toEqual(reference.problems);
      referenceReads += reference.stats.unitsRead;
      warmReads += warm.stats.unitsRead;
    }
    // A warm trace reads only the files whose keys may match.
    expect(warmReads).toBeLessThan(referenceReads / 10);
  });

  it("is written only to the folder given, and only once something was learned", async () => {
    const indexDir = path.join(work, "index-once");
    await traceWith(scenarios[0]!.subjectEventId, { indexDir });
    const [file] = readdirSync(indexDir);
    expect(file).toMatch(/^[0-9a-f]{32}\.idx$/);
    const written = statSync(path.join(indexDir, file!)).mtimeMs;
    await traceWith(scenarios[0]!.subjectEventId, { indexDir });
    expect(statSync(path.join(indexDir, file!)).mtimeMs).toBe(written);
  });

  it("is never trusted over a file that changed: an event moved into another file is still found", async () => {
    const indexDir = path.join(work, "index-moved");
    const dir = path.join(work, "moved");
    cpSync(logs, dir, { recursive: true });
    const scenario = scenarios.find((s) => s.name === "mfa-single-hop")!;
    const first = await createLocalSource([dir], { indexDir });
    const [before] = await first.query([{ eventIds: [scenario.subjectEventId] }]);
    await first.close();
    const holder = before!.events[0]!.location!.origin;
    // Move the subject record into a file that held other events (size, mtime and content change).
    const files = listGz(dir).filter((f) => path.resolve(f) !== path.resolve(holder));
    const target = files[files.length - 1]!;
    const subject = removeRecord(holder, scenario.subjectEventId);
    addRecord(target, subject);
    const second = await createLocalSource([dir], { indexDir });
    const [after] = await second.query([{ eventIds: [scenario.subjectEventId] }]);
    expect(after!.events.map((e) => path.resolve(e.location!.origin))).toEqual([path.resolve(target)]);
    expect(second.stats().unitsRead).toBe(2); // the two changed files, nothing else
  });

  it("notices a file rewritten with its size and mtime kept (ctime moved)", async () => {
    const indexDir = path.join(work, "index-rewrite");
    const dir = path.join(work, "rewrite");
    cpSync(logs, dir, { recursive: true });
    const warmUp = await createLocalSource([dir], { indexDir });
    await warmUp.query([{ eventIds: ["00000000-0000-4000-8000-000000000000"] }]);
    await warmUp.close();
    const [victim] = listGz(dir);
    const records = readRecords(victim!);
    const original = statSync(victim!);
    const changedId = "11111111-2222-4333-8444-555555555555";
    const oldId = records[0]!.eventID as string;
    // Same length id, so the gzip is likely near the same size; mtime put back as it was.
    records[0]!.eventID = changedId;
    writeFileSync(victim!, gzipSync(JSON.stringify({ Records: records })));
    utimesSync(victim!, original.atime, original.mtime);
    const source = await createLocalSource([dir], { indexDir });
    const [found, gone] = await source.query([{ eventIds: [changedId] }, { eventIds: [oldId] }]);
    expect(found!.events.map((e) => e.eventID)).toEqual([changedId]);
    expect(gone!.events).toEqual([]);
  });

  it("a damaged index file is ignored and rebuilt, never half-used", async () => {
    const indexDir = path.join(work, "index-damaged");
    const scenario = scenarios.find((s) => s.name === "role-chaining")!;
    const reference = await traceWith(scenario.subjectEventId, { useIndex: false });
    await traceWith(scenario.subjectEventId, { indexDir });
    const [file] = readdirSync(indexDir);
    const bytes = readFileSync(path.join(indexDir, file!));
    for (const damaged of [bytes.subarray(0, bytes.length - 3), Buffer.from("rolechain-index/1\ngarbage"), Buffer.alloc(0)]) {
      writeFileSync(path.join(indexDir, file!), damaged);
      const run = await traceWith(scenario.subjectEventId, { indexDir });
      expect(run.stats.filesInIndex).toBe(0);
      expect(sourceIndependent(run.report, { keepCoverage: true })).toEqual(sourceIndependent(reference.report, { keepCoverage: true }));
    }
  });

  it("a file with a problem is not indexed: its problem is reported on every run", async () => {
    const indexDir = path.join(work, "index-problem");
    const dir = path.join(work, "problem");
    cpSync(logs, dir, { recursive: true });
    const [victim] = listGz(dir);
    const records = readRecords(victim!);
    delete records[0]!.eventID;
    writeFileSync(victim!, gzipSync(JSON.stringify({ Records: records })));
    const everything = { eventNames: ["AssumeRole"], timeRange: { startMs: 0, endMs: Date.parse("2100-01-01T00:00:00Z") } };
    const reference = await createLocalSource([dir], { useIndex: false });
    await reference.query([everything]);
    expect(reference.problems()).toHaveLength(1);
    for (let run = 0; run < 2; run++) {
      const source = await createLocalSource([dir], { indexDir });
      await source.query([everything]);
      await source.close();
      expect(source.problems()).toEqual(reference.problems());
    }
  });

  it("an index folder that cannot be written costs speed, not results", async () => {
    const blocker = path.join(work, "not-a-folder");
    writeFileSync(blocker, "");
    const scenario = scenarios.find((s) => s.name === "mfa-single-hop")!;
    const run = await traceWith(scenario.subjectEventId, { indexDir: path.join(blocker, "index") });
    expect(run.report.complete).toBe(true);
  });
});

function listGz(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(dir, name))
    .filter((f) => f.endsWith(".json.gz") && !f.includes("Digest"))
    .sort();
}

function readRecords(file: string): Record<string, unknown>[] {
  return (JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { Records: Record<string, unknown>[] }).Records;
}

function removeRecord(file: string, eventId: string): Record<string, unknown> {
  const records = readRecords(file);
  const record = records.find((r) => r.eventID === eventId)!;
  writeFileSync(file, gzipSync(JSON.stringify({ Records: records.filter((r) => r !== record) })));
  return record;
}

function addRecord(file: string, record: Record<string, unknown>): void {
  const records = readRecords(file);
  writeFileSync(file, gzipSync(JSON.stringify({ Records: [...records, record] })));
}
