import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import { generateCorpus, type GeneratedCorpus } from "../../../src/generator/generate-corpus.js";
import type { TraceReport } from "../../../src/schema/trace-report.js";
import { createAthenaSource, type AthenaEventSource } from "../../../src/sources/athena/athena-source.js";
import type { AthenaTableSpec } from "../../../src/sources/athena/athena-table-spec.js";
import { DEFAULT_DELIVERY_TOLERANCE } from "../../../src/sources/local/file-pruning.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import type { EventSource } from "../../../src/sources/event-source.js";
import { runSweep } from "../../../src/sweep/run-sweep.js";
import { startAthenaEmulator, type AthenaEmulator } from "../../helpers/athena-emulator/athena-emulator.js";
import { readStoredRecords } from "../../helpers/athena-emulator/cloudtrail-table.js";
import { sourceIndependent } from "../../helpers/source-independent-report.js";

// One generated organisation trail, as files (the local source: the reference) and as an Athena
// table in both partition styles behind the emulator: traces and the sweep must come out the same,
// and every statement must name the partitions of its window and nothing more.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let workDir: string;
let corpus: GeneratedCorpus;
let projection: AthenaEmulator;
let classic: AthenaEmulator;

const projectionSpec: AthenaTableSpec = {
  database: "cloudtrail", table: "trail", workgroup: "ir", outputLocation: "s3://athena-results/rolechain/",
  partitioning: { kind: "projection", dateColumn: "timestamp", regionColumn: "region", accountColumn: "account" },
  optionalColumns: ["sourceidentity", "identityprovider"],
};
const classicSpec: AthenaTableSpec = {
  database: "cloudtrail", table: "trail",
  partitioning: { kind: "classic", regionColumn: "region", yearColumn: "year", monthColumn: "month", dayColumn: "day", accountColumn: "account" },
  optionalColumns: ["sourceidentity", "identityprovider"],
};

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "rolechain-athena-"));
  corpus = await generateCorpus({ outDir: path.join(workDir, "corpus"), seed: 5150, targetBytes: 2 * 1024 * 1024 });
  const records = await readStoredRecords(corpus.logsDir);
  [projection, classic] = await Promise.all([
    startAthenaEmulator({ records, partitioning: "projection", optionalColumns: true }),
    startAthenaEmulator({ records, partitioning: "classic", optionalColumns: true }),
  ]);
});

afterAll(async () => {
  await projection?.close();
  await classic?.close();
  await rm(workDir, { recursive: true, force: true });
});

function athenaSource(emulator: AthenaEmulator, spec: AthenaTableSpec): AthenaEventSource {
  return createAthenaSource(spec, { client: emulator.client(), poll: { initialIntervalMs: 1, maxIntervalMs: 4 } });
}

function traceFrom(source: EventSource, eventId: string, atIso: string): Promise<TraceReport> {
  return traceRoleChain(source, { eventId, atMs: Date.parse(atIso), lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });
}

/** A source that remembers every query asked of it. */
function recordingQueries(source: EventSource): { source: EventSource; queries: EventQuery[] } {
  const queries: EventQuery[] = [];
  return { queries, source: { ...source, query: (batch) => { queries.push(...batch); return source.query(batch); } } };
}

const perTrace: { name: string; statements: number; bytes: number }[] = [];

describe("Athena source over a generated corpus (projection partitions)", () => {
  it("gives every trace scenario the same report as the local source, in few statements", async () => {
    expect(corpus.scenarios.length).toBeGreaterThanOrEqual(15);
    const local = await createLocalSource([corpus.logsDir]);
    for (const scenario of corpus.scenarios) {
      const source = athenaSource(projection, projectionSpec);
      const localReport = await traceFrom(local, scenario.subjectEventId, scenario.subjectEventTime);
      const remoteReport = await traceFrom(source, scenario.subjectEventId, scenario.subjectEventTime);
      expect(sourceIndependent(remoteReport), scenario.name).toEqual(sourceIndependent(localReport));
      expect(remoteReport.subject?.eventID, scenario.name).toBe(scenario.subjectEventId);
      expect(source.problems(), scenario.name).toEqual([]);
      const stats = source.stats();
      // One statement per tracer batch: the subject, then per hop the issuer (+ SwitchRole) and the caller's copy.
      expect(stats.queriesRun, scenario.name).toBeLessThanOrEqual(2 + 2 * remoteReport.hops.length + 1);
      expect(stats.unitsRead).toBe(stats.queriesRun);
      expect(stats.bytesRead).toBe(stats.dataScannedBytes);
      expect(stats.queryExecutionIds.length).toBe(stats.queriesRun);
      perTrace.push({ name: scenario.name, statements: stats.queriesRun, bytes: stats.dataScannedBytes });
    }
    const total = projection.queries.reduce((sum, q) => sum + q.dataScannedBytes, 0);
    expect(total).toBe(perTrace.reduce((sum, t) => sum + t.bytes, 0));
    // For the report back: statements and bytes scanned per trace.
    console.info(`athena per trace (corpus ${corpus.uncompressedBytes} bytes): ${perTrace.map((t) => `${t.name} ${t.statements} q ${t.bytes} B`).join("; ")}`);
  });

  it("sends the workgroup, output location and database, and every statement names its window's partitions only", async () => {
    const scenario = corpus.scenarios.find((s) => s.name === "role-chaining")!;
    const before = projection.queries.length;
    const { source, queries } = recordingQueries(athenaSource(projection, projectionSpec));
    const report = await traceFrom(source, scenario.subjectEventId, scenario.subjectEventTime);
    expect(report.complete).toBe(true);
    const sent = projection.queries.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    const allowedDays = new Set(queries.flatMap((q) => deliveryDays(q)));
    for (const q of sent) {
      expect(q).toMatchObject({ state: "SUCCEEDED", database: "cloudtrail", workgroup: "ir", outputLocation: "s3://athena-results/rolechain/" });
      expect(q.partitionPredicate, q.sql).not.toBeNull();
      expect(q.partitionsScanned.length).toBeGreaterThan(0);
      for (const partition of q.partitionsScanned) {
        const day = /timestamp=(\d{4}\/\d{2}\/\d{2})/.exec(partition)![1]!;
        expect(allowedDays, partition).toContain(day);
      }
    }
  });

  it("gives the sweep the same findings as the local source", async () => {
    const startMs = Date.parse("2026-11-16T00:00:00Z") - HOUR;
    const endMs = Date.parse("2026-11-18T00:00:00Z") + 6 * HOUR;
    const window = { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString(), startMs, endMs };
    const local = await runSweep(await createLocalSource([corpus.logsDir]), { config: corpus.sweepConfig, window });
    const source = athenaSource(projection, projectionSpec);
    const remote = await runSweep(source, { config: corpus.sweepConfig, window });
    expect(local.findings.length).toBeGreaterThanOrEqual(5);
    expect(remote.findings).toEqual(local.findings);
    expect({ ...remote.summary, eventsScanned: null }).toEqual({ ...local.summary, eventsScanned: null });
    expect(source.problems()).toEqual([]);
    const stats = source.stats();
    console.info(`athena sweep: ${stats.queriesRun} statements, ${stats.dataScannedBytes} bytes scanned, ${remote.findings.length} findings`);
  });
});

describe("Athena source over a generated corpus (classic region/year/month/day partitions)", () => {
  it("traces a few scenarios as the local source does, reading only the window's days", async () => {
    const local = await createLocalSource([corpus.logsDir]);
    for (const name of ["role-chaining", "cross-account-shared-event-id", "saml-multi-account", "late-delivery", "federation-token"]) {
      const scenario = corpus.scenarios.find((s) => s.name === name);
      expect(scenario, name).toBeDefined();
      const before = classic.queries.length;
      const { source, queries } = recordingQueries(athenaSource(classic, classicSpec));
      const remoteReport = await traceFrom(source, scenario!.subjectEventId, scenario!.subjectEventTime);
      const localReport = await traceFrom(local, scenario!.subjectEventId, scenario!.subjectEventTime);
      expect(sourceIndependent(remoteReport), name).toEqual(sourceIndependent(localReport));
      const allowedDays = new Set(queries.flatMap((q) => deliveryDays(q)));
      for (const q of classic.queries.slice(before)) {
        expect(q.partitionPredicate, q.sql).toMatch(/"year" = \? AND "month" = \? AND "day" IN/);
        for (const partition of q.partitionsScanned) {
          const [, y, m, d] = /year=(\d{4})\/month=(\d{2})\/day=(\d{2})/.exec(partition)!;
          expect(allowedDays, partition).toContain(`${y}/${m}/${d}`);
        }
      }
    }
  });

  it("gives the sweep the same findings as the local source", async () => {
    const startMs = Date.parse("2026-11-16T00:00:00Z") - HOUR;
    const endMs = Date.parse("2026-11-18T00:00:00Z") + 6 * HOUR;
    const window = { from: new Date(startMs).toISOString(), to: new Date(endMs).toISOString(), startMs, endMs };
    const local = await runSweep(await createLocalSource([corpus.logsDir]), { config: corpus.sweepConfig, window });
    const remote = await runSweep(athenaSource(classic, classicSpec), { config: corpus.sweepConfig, window });
    expect(remote.findings).toEqual(local.findings);
  });
});

/** The delivery days ('yyyy/MM/dd') a query may need: its window widened by the default slack and skew. */
function deliveryDays(query: EventQuery): string[] {
  const range = query.timeRange!;
  const days: string[] = [];
  const start = range.startMs - DEFAULT_DELIVERY_TOLERANCE.clockSkewMs;
  const end = range.endMs + DEFAULT_DELIVERY_TOLERANCE.deliverySlackMs;
  for (let day = Math.floor(start / DAY) * DAY; day <= end; day += DAY) days.push(new Date(day).toISOString().slice(0, 10).replaceAll("-", "/"));
  return days;
}
