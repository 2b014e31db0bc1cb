import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLogFiles, listDeliveredLogFiles, listLogFilesDeliveredBetween, splitByDelivery } from "../../src/generator/corpus-slices.js";
import type { GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import { only, readCorpus, type Corpus } from "./helpers/read-corpus.js";
import { generateSmallCorpus } from "./helpers/shared-corpus.js";

let generated: GeneratedCorpus;
let corpus: Corpus;
let cleanup: () => void;
let runDir: string;

beforeAll(async () => {
  const made = await generateSmallCorpus(5, 1024 * 1024);
  generated = made.corpus;
  cleanup = made.cleanup;
  corpus = readCorpus(generated.logsDir);
  runDir = mkdtempSync(join(tmpdir(), "rolechain-slices-"));
});
afterAll(() => {
  cleanup();
  rmSync(runDir, { recursive: true, force: true });
});

describe("corpus slices by delivery time", () => {
  it("lists every log file (no digests) once, in delivery order, with the name's stamp", () => {
    const files = listDeliveredLogFiles(generated.logsDir);
    expect(files.length).toBe(generated.files);
    expect(files.map((f) => f.relativePath).sort()).toEqual(corpus.logFiles.map((f) => f.key).sort());
    const stamps = new Map(corpus.logFiles.map((f) => [f.key, f]));
    for (const f of files) {
      expect(f.deliveredMs).toBe(stamps.get(f.relativePath)!.stampMs);
      expect(f.accountId).toBe(stamps.get(f.relativePath)!.accountId);
    }
    expect(files.map((f) => f.deliveredMs)).toEqual([...files.map((f) => f.deliveredMs)].sort((a, b) => a - b));
  });

  it("splits into disjoint batches that together are the corpus, the late-delivered AssumeRole in a later batch than its subject", () => {
    const late = generated.scenarios.find((s) => s.name === "late-delivery")!;
    const lateFile = only(corpus, late.hops[0]!.issuingEventId).file;
    const subjectFile = only(corpus, late.subjectEventId).file;
    const cut = subjectFile.stampMs + 60_000;
    const batches = splitByDelivery(generated.logsDir, [cut - 6 * 3_600_000, cut, cut + 5 * 3_600_000]);
    expect(batches).toHaveLength(4);
    expect(batches.flat().map((f) => f.relativePath).sort()).toEqual(listDeliveredLogFiles(generated.logsDir).map((f) => f.relativePath).sort());
    const batchOf = (key: string) => batches.findIndex((b) => b.some((f) => f.relativePath === key));
    expect(batchOf(subjectFile.key)).toBe(1);
    expect(batchOf(lateFile.key)).toBe(2);
    // The late AssumeRole happened before the cut, in the earlier batch's time range.
    expect(Date.parse(only(corpus, late.hops[0]!.issuingEventId).record.eventTime)).toBeLessThan(cut);
    expect(listLogFilesDeliveredBetween(generated.logsDir, cut, cut + 5 * 3_600_000)).toEqual(batches[2]);
  });

  it("copies batches into a run directory, adding up to the same logs", () => {
    const files = listDeliveredLogFiles(generated.logsDir);
    const middle = files[Math.floor(files.length / 2)]!.deliveredMs;
    const [before, after] = splitByDelivery(generated.logsDir, [middle]);
    copyLogFiles(before!, runDir);
    expect(listDeliveredLogFiles(runDir).length).toBe(before!.length);
    copyLogFiles(after!, runDir);
    const copied = readCorpus(runDir);
    expect(copied.logFiles.map((f) => f.key)).toEqual(corpus.logFiles.map((f) => f.key));
    for (const f of copied.logFiles) expect(readFileSync(join(runDir, f.key)).equals(readFileSync(join(generated.logsDir, f.key))), f.key).toBe(true);
  });

  it("rejects cuts out of order", () => {
    expect(() => splitByDelivery(generated.logsDir, [2, 1])).toThrow(RangeError);
  });
});
