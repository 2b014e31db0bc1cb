import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import { generateCorpus, type GeneratedCorpus } from "../../../src/generator/generate-corpus.js";
import type { TraceReport } from "../../../src/schema/trace-report.js";
import type { EventSource } from "../../../src/sources/event-source.js";
import { DEFAULT_DELIVERY_TOLERANCE } from "../../../src/sources/local/file-pruning.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { describeLogFilePath } from "../../../src/sources/local/log-file-facts.js";
import { createS3Source, type S3EventSource, type S3SourceOptions } from "../../../src/sources/s3/s3-source.js";
import { deliveryWindow, utcDaysOverlapping } from "../../../src/sources/s3/trail-key-layout.js";
import { runSweep } from "../../../src/sweep/run-sweep.js";
import { startLocalS3Server, type LocalS3Server } from "../../helpers/local-s3-server.js";

// One generated organisation trail, on disk and in a real (local) S3 bucket under a key prefix:
// every trace and the sweep must come out the same from either, and the bucket must be read
// sparingly (only the days and objects the queries can need, each object downloaded once).
const PREFIX = "org-trail/";
const HOUR = 3_600_000;
let workDir: string;
let corpus: GeneratedCorpus;
let server: LocalS3Server;
let sharedCache: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "rolechain-s3-corpus-"));
  corpus = await generateCorpus({ outDir: path.join(workDir, "corpus"), seed: 5150, targetBytes: 2 * 1024 * 1024 });
  server = await startLocalS3Server();
  await server.uploadDirectory(corpus.logsDir, PREFIX);
  sharedCache = path.join(workDir, "cache-shared");
});

afterAll(async () => {
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

function s3Source(cacheDir: string, extra: Partial<S3SourceOptions> = {}): Promise<S3EventSource> {
  return createS3Source(`${server.bucketUri}${PREFIX}`, { client: server.client(), cacheDir, ...extra });
}

function traceFrom(source: EventSource, eventId: string, atIso: string): Promise<TraceReport> {
  return traceRoleChain(source, { eventId, atMs: Date.parse(atIso), lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });
}

/** What may differ between sources: their label, stats, and where a skipped file lives. */
function comparable(report: TraceReport): unknown {
  return {
    ...report,
    sources: null,
    stats: null,
    skipped: report.skipped.map((s) => ({ ...s, location: s.location.slice(s.location.indexOf("AWSLogs/")) })),
  };
}

/** A source that remembers every query asked of it. */
function recordingQueries(source: EventSource): { source: EventSource; queries: EventQuery[] } {
  const queries: EventQuery[] = [];
  return {
    queries,
    source: { ...source, label: source.label, query: (batch) => { queries.push(...batch); return source.query(batch); } },
  };
}

const DAY_PREFIX = /AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\/$/;

describe("S3 source over a generated organization trail", () => {
  it("gives every trace scenario the same report as the local source", async () => {
    expect(corpus.scenarios.length).toBeGreaterThanOrEqual(15);
    // One source of each kind for all the traces, as in one incident; their stats and problems add up.
    // The local source without its index reads exactly what the S3 source downloads and scans.
    const local = await createLocalSource([corpus.logsDir], { useIndex: false });
    const s3 = await s3Source(sharedCache);
    for (const scenario of corpus.scenarios) {
      const localReport = await traceFrom(local, scenario.subjectEventId, scenario.subjectEventTime);
      const remoteReport = await traceFrom(s3, scenario.subjectEventId, scenario.subjectEventTime);
      expect(comparable(remoteReport), scenario.name).toEqual(comparable(localReport));
      expect(remoteReport.subject?.eventID, scenario.name).toBe(scenario.subjectEventId);
      // The same files, read the same number of times (the stats are the sources' running totals).
      const { queries, filesRead, bytesRead, recordsScanned } = localReport.stats;
      expect(remoteReport.stats, scenario.name).toMatchObject({ queries, filesRead, bytesRead, recordsScanned });
    }
  });

  it("gives the sweep the same findings as the local source", async () => {
    const startMs = Date.parse("2026-11-16T00:00:00Z") - HOUR;
    const endMs = Date.parse("2026-11-18T00:00:00Z") + 6 * HOUR;
    const window = { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString(), startMs, endMs };
    const local = await runSweep(await createLocalSource([corpus.logsDir]), { config: corpus.sweepConfig, window });
    const remote = await runSweep(await s3Source(sharedCache), { config: corpus.sweepConfig, window });
    expect(local.findings.length).toBeGreaterThanOrEqual(5);
    expect(remote.findings).toEqual(local.findings);
    expect(remote.summary).toEqual(local.summary);
  });

  it("lists only the day folders and downloads only the objects the trace's time windows allow", async () => {
    const scenario = corpus.scenarios.find((s) => s.name === "role-chaining")!;
    const before = server.requestLog.length;
    const { source, queries } = recordingQueries(await s3Source(path.join(workDir, "cache-bounds")));
    const report = await traceFrom(source, scenario.subjectEventId, scenario.subjectEventTime);
    expect(report.complete).toBe(true);
    const requests = server.requestLog.slice(before);

    const windows = queries.filter((q) => q.timeRange).map((q) => deliveryWindow(q.timeRange!, DEFAULT_DELIVERY_TOLERANCE));
    expect(windows.length).toBe(queries.length);
    const allowedDays = new Set(windows.flatMap((w) => utcDaysOverlapping(w)).map((ms) => new Date(ms).toISOString().slice(0, 10)));

    const listings = requests.filter((r) => r.method === "GET" && r.key === null);
    const dayListings = listings.filter((r) => r.prefix !== null && DAY_PREFIX.test(r.prefix));
    expect(dayListings.length).toBeGreaterThan(0);
    for (const listing of dayListings) {
      const [, y, m, d] = DAY_PREFIX.exec(listing.prefix!)!;
      expect(allowedDays, listing.prefix!).toContain(`${y}-${m}-${d}`);
    }
    // Never a whole-bucket or whole-trail listing: anything that is not a day folder is a folder listing.
    for (const listing of listings.filter((r) => !dayListings.includes(r))) {
      expect(listing.delimiter, String(listing.prefix)).toBe("/");
      expect(listing.prefix?.startsWith(`${PREFIX}AWSLogs/`), String(listing.prefix)).toBe(true);
    }

    const downloads = requests.filter((r) => r.method === "GET" && r.key !== null);
    expect(downloads.length).toBeGreaterThan(0);
    for (const download of downloads) {
      const delivery = describeLogFilePath(download.key!).delivery!;
      const fits = windows.some((w) => delivery.toMs >= w.startMs && delivery.fromMs <= w.endMs);
      expect(fits, download.key!).toBe(true);
    }
    expect(new Set(downloads.map((d) => d.key)).size).toBe(downloads.length);
    expect(downloads.length).toBeLessThan(corpus.files / 2);
  });

  it("answers the same trace from the cache with no download, and downloads a rewritten object again", async () => {
    const scenario = corpus.scenarios.find((s) => s.name === "cross-account-shared-event-id")!;
    const cacheDir = path.join(workDir, "cache-reuse");
    const gets = (from: number) => server.requestLog.slice(from).filter((r) => r.method === "GET" && r.key !== null);

    const firstStart = server.requestLog.length;
    const first = await s3Source(cacheDir);
    const firstReport = await traceFrom(first, scenario.subjectEventId, scenario.subjectEventTime);
    const firstGets = gets(firstStart);
    expect(firstGets.length).toBeGreaterThan(0);
    expect(first.stats().objectsFetched).toBe(firstGets.length);

    const secondStart = server.requestLog.length;
    const second = await s3Source(cacheDir);
    const secondReport = await traceFrom(second, scenario.subjectEventId, scenario.subjectEventTime);
    expect(gets(secondStart)).toEqual([]);
    // Every read of the first source (downloads, and re-reads in later batches) is now a cache hit.
    const firstStats = first.stats();
    expect(second.stats()).toMatchObject({ objectsFetched: 0, objectsFromCache: firstStats.objectsFetched + firstStats.objectsFromCache });
    expect(comparable(secondReport)).toEqual(comparable(firstReport));

    // Same records, other bytes: a new ETag, so a new cache entry.
    const rewritten = firstGets[0]!.key!;
    const original = await readFile(path.join(corpus.logsDir, rewritten.slice(PREFIX.length)));
    await server.putObject(rewritten, gzipSync(gunzipSync(original), { level: 1 }));
    const thirdStart = server.requestLog.length;
    const third = await s3Source(cacheDir);
    const thirdReport = await traceFrom(third, scenario.subjectEventId, scenario.subjectEventTime);
    expect(gets(thirdStart).map((r) => r.key)).toEqual([rewritten]);
    expect(comparable(thirdReport)).toEqual(comparable(firstReport));
    await server.putObject(rewritten, original);
  });

  it("reads paged listings (MaxKeys 7) completely", async () => {
    const scenario = corpus.scenarios.find((s) => s.name === "saml-multi-account")!;
    const before = server.requestLog.length;
    const paged = await s3Source(sharedCache, { listPageSize: 7 });
    const pagedReport = await traceFrom(paged, scenario.subjectEventId, scenario.subjectEventTime);
    const continued = server.requestLog.slice(before).filter((r) => r.continuationToken !== null);
    expect(continued.length).toBeGreaterThan(0);
    const whole = await traceFrom(await s3Source(sharedCache), scenario.subjectEventId, scenario.subjectEventTime);
    expect(comparable(pagedReport)).toEqual(comparable(whole));
    expect(paged.stats().objectsListed).toBeGreaterThan(7);
  });
});
