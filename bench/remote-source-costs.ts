/**
 * What a trace costs through each AWS source, per scenario of the committed sample
 * (fixtures/sample: 5 accounts, 3 regions, 2 days, 21 scenarios): S3 list requests and objects
 * downloaded from a local S3 server; LookupEvents requests to the fake CloudTrail endpoint at the
 * API's real 2 requests/s; Athena statements and bytes scanned (projection-partitioned table) and
 * CloudTrail Lake queries and bytes scanned, through the DuckDB-backed emulators. Every trace is
 * checked against the local source's report.
 *   npm run bench:sources
 * Counts are deterministic; the ms columns are this machine's (LookupEvents: mostly rate-limiter waits).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { traceRoleChain } from "../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../src/core/trace/trace-options.js";
import type { ExpectedTrace } from "../src/generator/expected-trace.js";
import type { TraceReport } from "../src/schema/trace-report.js";
import { createAthenaSource } from "../src/sources/athena/athena-source.js";
import { createLookupEventsSource } from "../src/sources/cloudtrail-api/lookup-events-source.js";
import { createLakeSource } from "../src/sources/lake/lake-source.js";
import type { EventSource } from "../src/sources/event-source.js";
import { createLocalSource } from "../src/sources/local/local-source.js";
import { createS3Source } from "../src/sources/s3/s3-source.js";
import { startAthenaEmulator } from "../test/helpers/athena-emulator/athena-emulator.js";
import { readStoredRecords } from "../test/helpers/athena-emulator/cloudtrail-table.js";
import { startFakeCloudTrailServer } from "../test/helpers/fake-cloudtrail-server.js";
import { startLakeEmulator } from "../test/helpers/lake-emulator/lake-emulator.js";
import { lakeTestClient } from "../test/helpers/lake-emulator/lake-test-client.js";
import { startLocalS3Server } from "../test/helpers/local-s3-server.js";
import { fakeCloudTrailAccounts } from "../test/sources/cloudtrail-api/fake-cloudtrail-accounts.js";
import { sourceIndependent } from "../test/helpers/source-independent-report.js";
import { readTrailRecords } from "../test/sources/cloudtrail-api/trail-records.js";

const SAMPLE = "fixtures/sample";
const PREFIX = "org-trail/";
const RATE = 2;

const sample = JSON.parse(readFileSync(join(SAMPLE, "scenarios.json"), "utf8")) as { regions: string[]; scenarios: ExpectedTrace[] };
const logsDir = join(SAMPLE, "logs");
const workDir = mkdtempSync(join(tmpdir(), "rolechain-source-costs-"));
const s3 = await startLocalS3Server();
const objectsInBucket = (await s3.uploadDirectory(logsDir, PREFIX)).length;
const records = await readTrailRecords(logsDir);
const cloudTrail = await startFakeCloudTrailServer({ records, nowMs: Date.now(), requestsPerSecond: RATE });
const EDS = "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE";
const athena = await startAthenaEmulator({ records: await readStoredRecords(logsDir), partitioning: "projection", optionalColumns: true, queuedPolls: 0, runningPolls: 0 });
const lake = await startLakeEmulator({ eventDataStoreId: EDS, records, queuedPolls: 0, runningPolls: 0 });
const fastPoll = { initialIntervalMs: 1, maxIntervalMs: 4 };
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

const trace = (source: EventSource, s: ExpectedTrace, withAt: boolean): Promise<TraceReport> =>
  traceRoleChain(source, { eventId: s.subjectEventId, atMs: withAt ? Date.parse(s.subjectEventTime) : null, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });

console.log(`sample: ${objectsInBucket} objects in the bucket, ${records.length} records, ${cloudTrail.accounts.length} accounts x ${sample.regions.length} regions; LookupEvents at ${RATE} requests/s per account+region`);
console.log(["scenario".padEnd(36), "S3 lists", "S3 objects", "S3 ms", "API calls", "API ms", "Athena q", "Athena scanned", "Lake q", "Lake scanned", "same as local"].join("  "));
const totals = { lists: 0, objects: 0, calls: 0, athenaQueries: 0, athenaBytes: 0, lakeQueries: 0, lakeBytes: 0 };
try {
  for (const [i, scenario] of sample.scenarios.entries()) {
    const local = await trace(await createLocalSource([logsDir]), scenario, true);

    // A fresh cache per trace: the first trace of an incident (a second one fetches nothing).
    const s3Source = await createS3Source(`${s3.bucketUri}${PREFIX}`, { client: s3.client(), cacheDir: join(workDir, `cache-${i}`) });
    let started = performance.now();
    const viaS3 = await trace(s3Source, scenario, true);
    const s3Ms = performance.now() - started;
    const s3Stats = s3Source.stats();

    // Let the endpoint's one-second window forget the previous trace, as between two runs.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const accounts = fakeCloudTrailAccounts(cloudTrail);
    const apiSource = createLookupEventsSource({ accounts, regions: sample.regions, requestsPerSecond: RATE });
    started = performance.now();
    const viaApi = await trace(apiSource, scenario, false);
    const apiMs = performance.now() - started;
    accounts.destroy();

    const athenaSource = createAthenaSource(
      { database: athena.database, table: athena.table, partitioning: { kind: "projection", dateColumn: "timestamp", regionColumn: "region", accountColumn: "account" }, optionalColumns: ["sourceidentity", "identityprovider"] },
      { client: athena.client(), poll: fastPoll },
    );
    const viaAthena = await trace(athenaSource, scenario, true);
    const lakeSource = createLakeSource(EDS, { client: lakeTestClient(lake.url), pollIntervalMs: 1, maxPollIntervalMs: 4 });
    const viaLake = await trace(lakeSource, scenario, true);

    const sameS3 = isDeepStrictEqual(sourceIndependent(viaS3), sourceIndependent(local));
    const sameSql = isDeepStrictEqual(sourceIndependent(viaAthena), sourceIndependent(local)) && isDeepStrictEqual(sourceIndependent(viaLake), sourceIndependent(local));
    // Event history holds no data events: a data-event subject is not found there, by design.
    const sameApi = isDeepStrictEqual(sourceIndependent(viaApi), sourceIndependent(local));
    totals.lists += s3Stats.listRequests;
    totals.objects += s3Stats.objectsFetched;
    totals.calls += apiSource.stats().apiCalls;
    totals.athenaQueries += athenaSource.stats().queriesRun;
    totals.athenaBytes += athenaSource.stats().dataScannedBytes;
    totals.lakeQueries += lakeSource.stats().queriesRun;
    totals.lakeBytes += lakeSource.stats().bytesScanned;
    console.log([
      scenario.name.padEnd(36), String(s3Stats.listRequests).padStart(8), String(s3Stats.objectsFetched).padStart(10),
      String(Math.round(s3Ms)).padStart(5), String(apiSource.stats().apiCalls).padStart(9), String(Math.round(apiMs)).padStart(6),
      String(athenaSource.stats().queriesRun).padStart(8), kb(athenaSource.stats().dataScannedBytes).padStart(14),
      String(lakeSource.stats().queriesRun).padStart(6), kb(lakeSource.stats().bytesScanned).padStart(12),
      `${sameS3 ? "s3 yes" : "s3 NO"} / ${sameApi ? "api yes" : `api NO (${viaApi.gaps.map((g) => g.reason).join(",")})`} / ${sameSql ? "sql yes" : "sql NO"}`,
    ].join("  "));
  }
  const n = sample.scenarios.length;
  console.log(`mean per trace: ${(totals.lists / n).toFixed(1)} S3 list requests, ${(totals.objects / n).toFixed(1)} objects of ${objectsInBucket}, ${(totals.calls / n).toFixed(1)} LookupEvents calls, `
    + `${(totals.athenaQueries / n).toFixed(1)} Athena statements scanning ${kb(totals.athenaBytes / n)}, ${(totals.lakeQueries / n).toFixed(1)} Lake queries scanning ${kb(totals.lakeBytes / n)}`);
} finally {
  await s3.close();
  await cloudTrail.close();
  await athena.close();
  await lake.close();
  rmSync(workDir, { recursive: true, force: true });
}
