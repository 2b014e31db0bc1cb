import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import type { ExpectedTrace } from "../../../src/generator/expected-trace.js";
import { generateCorpus, type GeneratedCorpus } from "../../../src/generator/generate-corpus.js";
import { TraceReportSchema, type TraceReport } from "../../../src/schema/trace-report.js";
import { createLookupEventsSource, type LookupEventsSource } from "../../../src/sources/cloudtrail-api/lookup-events-source.js";
import type { EventSource } from "../../../src/sources/event-source.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { runSweep } from "../../../src/sweep/run-sweep.js";
import { resolveSweepWindow } from "../../../src/sweep/sweep-window.js";
import { startFakeCloudTrailServer, type FakeCloudTrailServer } from "../../helpers/fake-cloudtrail-server.js";
import { repoRoot } from "../../helpers/run-cli.js";
import { fakeCloudTrailAccounts } from "./fake-cloudtrail-accounts.js";
import { readTrailRecords } from "./trail-records.js";
import { sourceIndependent } from "../../helpers/source-independent-report.js";

// The same generated organisation trail, once as files (the local source, the reference) and once
// behind a fake LookupEvents endpoint: every trace and the sweep must come out the same. Both sides
// run at 200 requests/s per account+region so the suite stays fast; the limiter is tested elsewhere.
const HOUR = 3_600_000;
const RATE = 200;
const DISABLED_REGION = "ap-northeast-3";
const sampleScenarioNames = (JSON.parse(readFileSync(join(repoRoot, "fixtures/sample/scenarios.json"), "utf8")) as { scenarios: ExpectedTrace[] })
  .scenarios.map((s) => s.name);

let workDir: string;
let corpus: GeneratedCorpus;
let server: FakeCloudTrailServer;
let corpusRegions: string[];
let dataEventIds: Set<string>;
let corpusStartMs: number;
let nowMs: number;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-lookup-"));
  corpus = await generateCorpus({ outDir: workDir, seed: 5150, targetBytes: 4 * 1024 * 1024, days: 2 });
  corpusStartMs = Date.parse("2026-11-16T00:00:00Z");
  nowMs = corpusStartMs + 2 * 24 * HOUR + 7 * HOUR;
  const records = await readTrailRecords(corpus.logsDir);
  dataEventIds = new Set(records.filter(isDataEvent).map((r) => (r as { eventID: string }).eventID));
  corpusRegions = (JSON.parse(readFileSync(corpus.scenariosFile, "utf8")) as { regions: string[] }).regions;
  server = await startFakeCloudTrailServer({ records, nowMs, requestsPerSecond: RATE, disabledRegions: [DISABLED_REGION] });
});

afterAll(async () => {
  cleanups.forEach((c) => c());
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function lookupSource(): LookupEventsSource {
  const accounts = fakeCloudTrailAccounts(server);
  cleanups.push(accounts.destroy);
  return createLookupEventsSource({ accounts, regions: [...corpusRegions, DISABLED_REGION], requestsPerSecond: RATE, now: () => nowMs });
}

async function trace(source: EventSource, eventId: string): Promise<TraceReport> {
  return TraceReportSchema.parse(await traceRoleChain(source, { eventId, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS }));
}

/**
 * What must agree between sources. Coverage differs by nature (files read vs. the lookup window),
 * so it is checked on its own; skipped entries are the API source's unreachable accounts.
 */
describe("LookupEvents source over a generated corpus", () => {
  it.each(sampleScenarioNames)("traces %s as the local source does", async (name) => {
    const scenario = corpus.scenarios.find((s) => s.name === name);
    expect(scenario, `the generator no longer embeds ${name}`).toBeDefined();
    const local = await trace(await createLocalSource([corpus.logsDir]), scenario!.subjectEventId);
    const source = lookupSource();
    const viaApi = await trace(source, scenario!.subjectEventId);

    if (dataEventIds.has(scenario!.subjectEventId)) {
      // Event history holds management events only: a data-event subject (S3 GetObject) is not there,
      // and the gap says where it was looked for.
      expect(viaApi.subject).toBeNull();
      expect(viaApi.gaps.map((g) => g.reason)).toEqual(["subject-not-found"]);
      expect(viaApi.gaps[0]?.searched?.coverage).toMatchObject({ accounts: server.accounts, regions: [...corpusRegions].sort() });
      expect(local.subject?.eventID).toBe(scenario!.subjectEventId);
      return;
    }
    expect(sourceIndependent(viaApi)).toEqual(sourceIndependent(local));
    expect(viaApi.sources).toEqual([`cloudtrail: ${[...corpusRegions, DISABLED_REGION].join(", ")}`]);
    for (const g of viaApi.gaps) {
      if (!g.searched) continue;
      // Honest coverage: the accounts asked for (or all reachable ones), the regions enabled, the window searched.
      expect(g.searched.coverage.accounts).toEqual(g.searched.accounts ?? server.accounts);
      expect(g.searched.coverage.regions).toEqual([...corpusRegions].sort());
      if (g.searched.window) {
        expect(g.searched.coverage.earliestEventTime).toBe(g.searched.window.from.replace(".000Z", "Z"));
        expect(g.searched.coverage.latestEventTime).toBe(g.searched.window.to.replace(/\.\d{3}Z$/, "Z"));
      }
    }
    // Accounts outside the corpus (vendors, external callers) have no credentials: named, not fatal.
    for (const skipped of viaApi.skipped) {
      expect(skipped.reason).toMatch(/^account \d{12}: no credentials/);
      expect(server.accounts).not.toContain(skipped.location.replace("cloudtrail:", ""));
    }
    // The disabled region answered once per account and was dropped; nothing throttled at this rate.
    const stats = source.stats();
    expect(stats.throttledCalls).toBe(0);
    expect(stats.regionsNotEnabled).toBeLessThanOrEqual(server.accounts.length);
  });

  it("sweeps the corpus window to the same findings as the local source", async () => {
    const window = resolveSweepWindow({
      since: new Date(corpusStartMs - HOUR).toISOString(), until: new Date(corpusStartMs + 2 * 24 * HOUR + 6 * HOUR).toISOString(),
      watermarkMs: null, overlapMs: 0, nowMs,
    });
    const options = { config: corpus.sweepConfig, window };
    const local = await runSweep(await createLocalSource([corpus.logsDir]), options);
    const source = lookupSource();
    const viaApi = await runSweep(source, options);
    expect(viaApi.findings).toEqual(local.findings);
    expect(viaApi.findings.map((f) => `${f.kind} ${f.eventID}`).sort()).toEqual(corpus.findings.map((f) => `${f.kind} ${f.eventID}`).sort());
    expect({ ...viaApi.summary, eventsScanned: null, skippedFiles: null }).toEqual({ ...local.summary, eventsScanned: null, skippedFiles: null });
    // Five swept event names, one EventName lookup each, in every account and enabled region.
    expect(source.stats().requestsByAttribute["EventName"]).toBeGreaterThanOrEqual(5 * server.accounts.length * corpusRegions.length);
  });
});

function isDataEvent(record: unknown): boolean {
  const r = record as { managementEvent?: unknown; eventCategory?: unknown };
  return r.managementEvent === false || r.eventCategory === "Data";
}
