/**
 * LookupEvents requests per trace scenario of a generated corpus, served by the fake CloudTrail
 * endpoint. Not a test (vitest ignores it); run by hand:
 *   npx tsx test/sources/cloudtrail-api/measure-api-calls.ts [requestsPerSecond=200] [seed=5150]
 * With 2 (the real limit, on both the fake and the source) the ms column is what a real trace would
 * spend waiting for the rate limiter.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import { generateCorpus } from "../../../src/generator/generate-corpus.js";
import { createLookupEventsSource } from "../../../src/sources/cloudtrail-api/lookup-events-source.js";
import { runSweep } from "../../../src/sweep/run-sweep.js";
import { resolveSweepWindow } from "../../../src/sweep/sweep-window.js";
import { startFakeCloudTrailServer } from "../../helpers/fake-cloudtrail-server.js";
import { fakeCloudTrailAccounts } from "./fake-cloudtrail-accounts.js";
import { readTrailRecords } from "./trail-records.js";

const rate = Number(process.argv[2] ?? 200);
const seed = Number(process.argv[3] ?? 5150);
const HOUR = 3_600_000;
const startMs = Date.parse("2026-11-16T00:00:00Z");
const nowMs = startMs + 2 * 24 * HOUR + 7 * HOUR;

const workDir = mkdtempSync(join(tmpdir(), "rolechain-measure-lookup-"));
try {
  const corpus = await generateCorpus({ outDir: workDir, seed, targetBytes: 4 * 1024 * 1024, days: 2 });
  const regions = (JSON.parse(readFileSync(corpus.scenariosFile, "utf8")) as { regions: string[] }).regions;
  const server = await startFakeCloudTrailServer({ records: await readTrailRecords(corpus.logsDir), nowMs, requestsPerSecond: rate });
  const open = () => {
    const accounts = fakeCloudTrailAccounts(server);
    return { accounts, source: createLookupEventsSource({ accounts, regions, requestsPerSecond: rate, now: () => nowMs }) };
  };
  console.log(`corpus seed ${seed}: ${server.accounts.length} accounts x ${regions.length} regions (${regions.join(", ")}), ${rate} requests/s per account+region`);
  console.log("scenario".padEnd(38), "requests", "throttled", "events", "hops", "complete", "    ms", "by attribute");
  let total = 0;
  for (const scenario of corpus.scenarios) {
    // Each trace is a fresh source, as a separate run would be: let the endpoint's one-second window
    // forget the previous trace, or its first requests would be throttled for the previous one's.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { accounts, source } = open();
    const started = performance.now();
    const report = await traceRoleChain(source, { eventId: scenario.subjectEventId, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });
    const stats = source.stats();
    total += stats.apiCalls;
    const byAttribute = Object.entries(stats.requestsByAttribute).map(([k, n]) => `${k}:${n}`).join(" ");
    console.log(scenario.name.padEnd(38), String(stats.apiCalls).padStart(8),
      String(stats.throttledCalls).padStart(9), String(stats.recordsScanned).padStart(6),
      String(report.hops.length).padStart(4), String(report.complete).padStart(8),
      String(Math.round(performance.now() - started)).padStart(6), byAttribute);
    accounts.destroy();
  }
  console.log(`total over ${corpus.scenarios.length} traces: ${total} requests`);

  await new Promise((resolve) => setTimeout(resolve, 1100));
  const { accounts, source } = open();
  const window = resolveSweepWindow({
    since: new Date(startMs - HOUR).toISOString(), until: new Date(startMs + 2 * 24 * HOUR + 6 * HOUR).toISOString(), watermarkMs: null, overlapMs: 0, nowMs,
  });
  const started = performance.now();
  const sweep = await runSweep(source, { config: corpus.sweepConfig, window });
  const stats = source.stats();
  console.log(`sweep over 2 days + traces of ${sweep.findings.length} findings: ${stats.apiCalls} requests (${stats.throttledCalls} throttled), ${stats.recordsScanned} events, `
    + `max ${stats.maxPagesPerLookup} pages per lookup, ${Math.round(performance.now() - started)} ms`);
  accounts.destroy();
  await server.close();
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
