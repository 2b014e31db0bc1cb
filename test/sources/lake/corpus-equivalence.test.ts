import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import { generateCorpus, type GeneratedCorpus } from "../../../src/generator/generate-corpus.js";
import { TraceReportSchema, type TraceReport } from "../../../src/schema/trace-report.js";
import type { EventSource } from "../../../src/sources/event-source.js";
import { createLakeSource, type LakeEventSource } from "../../../src/sources/lake/lake-source.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { runSweep } from "../../../src/sweep/run-sweep.js";
import { resolveSweepWindow } from "../../../src/sweep/sweep-window.js";
import { startLakeEmulator, type LakeEmulator } from "../../helpers/lake-emulator/lake-emulator.js";
import { lakeTestClient } from "../../helpers/lake-emulator/lake-test-client.js";
import { readTrailRecords } from "../cloudtrail-api/trail-records.js";
import { sourceIndependent } from "../../helpers/source-independent-report.js";

// The same generated organisation trail, once as files (the local source, the reference) and once
// in a Lake event data store emulated on DuckDB: every trace scenario and the sweep must come out
// the same. Per-trace query counts and bytes scanned are printed for the record.
const EDS = "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
const HOUR = 3_600_000;

let workDir: string;
let corpus: GeneratedCorpus;
let emulator: LakeEmulator;
let client: CloudTrailClient;
let corpusStartMs: number;
const costs: string[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-lake-"));
  corpus = await generateCorpus({ outDir: workDir, seed: 5150, targetBytes: 3 * 1024 * 1024, days: 2 });
  corpusStartMs = Date.parse("2026-11-16T00:00:00Z");
  emulator = await startLakeEmulator({ eventDataStoreId: EDS, records: await readTrailRecords(corpus.logsDir) });
  client = lakeTestClient(emulator.url);
});

afterAll(async () => {
  if (costs.length > 0) console.log(`Lake cost per trace (queries, bytes scanned):\n${costs.join("\n")}`);
  client?.destroy();
  await emulator?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function lakeSource(): LakeEventSource {
  return createLakeSource(EDS, { client, pollIntervalMs: 1, sleep: async () => undefined });
}

async function trace(source: EventSource, eventId: string, atMs: number): Promise<TraceReport> {
  return TraceReportSchema.parse(await traceRoleChain(source, { eventId, atMs, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS }));
}

describe("Lake source over a generated corpus in the DuckDB emulator", () => {
  it("has scenarios to trace", () => {
    expect(corpus.scenarios.length).toBeGreaterThan(10);
    expect(emulator.rowCount).toBe(corpus.records);
  });

  it("traces every scenario as the local source does", async () => {
    const local = await createLocalSource([corpus.logsDir]);
    for (const scenario of corpus.scenarios) {
      const atMs = Date.parse(scenario.subjectEventTime);
      const expected = await trace(local, scenario.subjectEventId, atMs);
      const source = lakeSource();
      const viaLake = await trace(source, scenario.subjectEventId, atMs);
      // Nothing refused, nothing failed: every query of every trace ran on Lake.
      expect(viaLake.skipped, scenario.name).toEqual([]);
      expect(sourceIndependent(viaLake), scenario.name).toEqual(sourceIndependent(expected));
      expect(viaLake.sources).toEqual([`lake://${EDS}`]);
      const stats = source.stats();
      expect(stats.unitsRead).toBe(stats.queriesRun);
      expect(stats.bytesRead).toBe(stats.bytesScanned);
      expect(stats.queryIds).toHaveLength(stats.queriesRun);
      costs.push(`${scenario.name}: ${stats.queriesRun} queries, ${stats.bytesScanned} bytes`);
    }
  });

  it("sweeps the corpus window to the same findings as the local source", async () => {
    const window = resolveSweepWindow({
      since: new Date(corpusStartMs - HOUR).toISOString(), until: new Date(corpusStartMs + 2 * 24 * HOUR + 6 * HOUR).toISOString(),
      watermarkMs: null, overlapMs: 0, nowMs: corpusStartMs + 3 * 24 * HOUR,
    });
    const options = { config: corpus.sweepConfig, window };
    const local = await runSweep(await createLocalSource([corpus.logsDir]), options);
    const source = lakeSource();
    const viaLake = await runSweep(source, options);
    expect(viaLake.findings).toEqual(local.findings);
    expect(viaLake.findings.map((f) => `${f.kind} ${f.eventID}`).sort()).toEqual(corpus.findings.map((f) => `${f.kind} ${f.eventID}`).sort());
    expect({ ...viaLake.summary, eventsScanned: null, skippedFiles: null }).toEqual({ ...local.summary, eventsScanned: null, skippedFiles: null });
    expect(viaLake.skipped).toEqual([]);
    costs.push(`sweep (${viaLake.findings.length} findings traced): ${source.stats().queriesRun} queries, ${source.stats().bytesScanned} bytes`);
  });
});
