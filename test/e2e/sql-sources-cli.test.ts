import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExpectedTrace } from "../../src/generator/expected-trace.js";
import { generateCorpus, type GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import { TraceReportSchema } from "../../src/schema/trace-report.js";
import { startAthenaEmulator, type AthenaEmulator } from "../helpers/athena-emulator/athena-emulator.js";
import { readStoredRecords } from "../helpers/athena-emulator/cloudtrail-table.js";
import { startLakeEmulator, type LakeEmulator } from "../helpers/lake-emulator/lake-emulator.js";
import { runBuiltCli, runBuiltCliAsync } from "../helpers/run-cli.js";
import { readTrailRecords } from "../sources/cloudtrail-api/trail-records.js";
import { sourceIndependent } from "../helpers/source-independent-report.js";
import { sortedFindings } from "../helpers/sorted-findings.js";

// The built CLI with `--source athena://…` and `--source lake://…`: the real Athena and CloudTrail
// clients against the local emulators (DuckDB underneath), compared with the local source on the
// same organisation trail. Query counts and bytes scanned land in the report's stats.
const EDS = "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE";
const ATHENA_URI = "athena://cloudtrail.trail?partitioning=projection:timestamp,region:region,account:account&workgroup=ir&output=s3://athena-results/rolechain/&columns=sourceidentity,identityprovider";
let workDir: string;
let corpus: GeneratedCorpus;
let athena: AthenaEmulator;
let lake: LakeEmulator;
const env = { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "example", AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" };

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-sql-cli-"));
  corpus = await generateCorpus({ outDir: join(workDir, "corpus"), seed: 8383, targetBytes: 2 * 1024 * 1024 });
  [athena, lake] = await Promise.all([
    (async () => startAthenaEmulator({ records: await readStoredRecords(corpus.logsDir), partitioning: "projection", optionalColumns: true, queuedPolls: 0, runningPolls: 0 }))(),
    (async () => startLakeEmulator({ eventDataStoreId: EDS, records: await readTrailRecords(corpus.logsDir), queuedPolls: 0, runningPolls: 0 }))(),
  ]);
});

afterAll(async () => {
  await athena?.close();
  await lake?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function scenario(name: string): ExpectedTrace {
  const found = corpus.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`generator no longer embeds ${name}`);
  return found;
}

const engines = [
  { name: "athena", source: () => ATHENA_URI, endpoint: () => athena.url, statements: () => athena.queries.length },
  { name: "lake", source: () => `lake://${EDS}`, endpoint: () => lake.url, statements: () => lake.statements.length },
] as const;

describe.each(engines)("trace-role and sweep --source $name (the real SDK client against a local emulator)", (engine) => {
  it("rebuilds a three-account chain exactly as the local source does, in a few queries", async () => {
    const subject = scenario("saml-multi-account");
    const args = ["--event-id", subject.subjectEventId, "--at", subject.subjectEventTime, "--format", "json"];
    const local = runBuiltCli("cli.js", ["trace-role", "--source", corpus.logsDir, ...args]);
    const before = engine.statements();

    const run = await runBuiltCliAsync("cli.js", ["trace-role", "--source", engine.source(), "--endpoint-url", engine.endpoint(), ...args], env);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(local.status);
    const report = TraceReportSchema.parse(JSON.parse(run.stdout));
    expect(sourceIndependent(report)).toEqual(sourceIndependent(TraceReportSchema.parse(JSON.parse(local.stdout))));
    expect(report.complete).toBe(true);
    // stats.filesRead counts the statements run; each reached the engine.
    expect(report.stats.filesRead).toBe(engine.statements() - before);
    expect(report.stats.filesRead).toBeLessThanOrEqual(2 * (subject.hops.length + 1));
    expect(report.stats.bytesRead).toBeGreaterThan(0);
  });

  it("the sweep finds what the local sweep finds", async () => {
    const window = ["--since", "2026-11-16T00:00:00Z", "--until", "2026-11-18T00:00:00Z", "--config", corpus.sweepConfigFile, "--format", "jsonl"];
    const local = runBuiltCli("cli.js", ["sweep", "--source", corpus.logsDir, ...window]);
    const run = await runBuiltCliAsync("cli.js", ["sweep", "--source", engine.source(), "--endpoint-url", engine.endpoint(), ...window], env);
    expect(run.status, run.stderr).toBe(local.status);
    expect(sortedFindings(run.stdout)).toEqual(sortedFindings(local.stdout));
    expect(sortedFindings(run.stdout)).toHaveLength(corpus.findings.length);
  });

  it("without --at it is a usage error, and nothing is queried", async () => {
    const before = engine.statements();
    const run = await runBuiltCliAsync("cli.js", ["trace-role", "--source", engine.source(), "--endpoint-url", engine.endpoint(), "--event-id", scenario("mfa-single-hop").subjectEventId], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^rolechain: --at is needed with an ${engine.name}:// source`));
    expect(engine.statements()).toBe(before);
  });
});

it("a malformed athena:// source is a usage error naming what is wrong", async () => {
  const run = await runBuiltCliAsync("cli.js", ["trace-role", "--source", "athena://cloudtrail.trail", "--event-id", "x", "--at", "2026-11-16T10:00:00Z"], env);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^rolechain: --source athena:\/\/cloudtrail\.trail: .*partitioning=/);
});
