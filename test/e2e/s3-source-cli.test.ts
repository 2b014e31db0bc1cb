import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExpectedTrace } from "../../src/generator/expected-trace.js";
import { generateCorpus, type GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import { TraceReportSchema } from "../../src/schema/trace-report.js";
import { startLocalS3Server, type LocalS3Server } from "../helpers/local-s3-server.js";
import { runBuiltCli, runBuiltCliAsync } from "../helpers/run-cli.js";
import { sourceIndependent } from "../helpers/source-independent-report.js";
import { sortedFindings } from "../helpers/sorted-findings.js";

// The built CLI with `--source s3://…`, as a responder runs it: the real SDK client against a real
// S3 server on 127.0.0.1 holding an organization trail under a key prefix, credentials from the
// environment, a cache directory shared by the runs of one "incident".
const PREFIX = "org-trail/";
let workDir: string;
let corpus: GeneratedCorpus;
let server: LocalS3Server;
let cacheDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-s3-cli-"));
  corpus = await generateCorpus({ outDir: join(workDir, "corpus"), seed: 7272, targetBytes: 2 * 1024 * 1024 });
  server = await startLocalS3Server();
  await server.uploadDirectory(corpus.logsDir, PREFIX);
  cacheDir = join(workDir, "cache");
  env = {
    HOME: workDir,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_EC2_METADATA_DISABLED: "true",
  };
});

afterAll(async () => {
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function s3Args(): string[] {
  return ["--source", `${server.bucketUri}${PREFIX}`, "--endpoint-url", server.endpoint, "--region", "us-east-1", "--cache-dir", cacheDir];
}

function scenario(name: string): ExpectedTrace {
  const found = corpus.scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`generator no longer embeds ${name}`);
  return found;
}

function objectDownloads(from: number): string[] {
  return server.requestLog.slice(from).filter((r) => r.method === "GET" && r.key !== null).map((r) => r.key!);
}

describe("trace-role --source s3:// (the real S3 client against a local S3 server)", () => {
  it("gives the local source's report, reading only objects delivered near the chain; the next run downloads nothing", async () => {
    const subject = scenario("cross-account-shared-event-id");
    const traceArgs = ["--event-id", subject.subjectEventId, "--at", subject.subjectEventTime, "--format", "json"];
    const local = runBuiltCli("cli.js", ["trace-role", "--source", corpus.logsDir, ...traceArgs]);

    const before = server.requestLog.length;
    const first = await runBuiltCliAsync("cli.js", ["trace-role", ...s3Args(), ...traceArgs], env);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(local.status);
    const viaS3 = TraceReportSchema.parse(JSON.parse(first.stdout));
    expect(sourceIndependent(viaS3, { keepCoverage: true })).toEqual(sourceIndependent(TraceReportSchema.parse(JSON.parse(local.stdout)), { keepCoverage: true }));
    expect(viaS3.complete).toBe(true);
    expect(viaS3.sources).toEqual([`s3://${server.bucket}/${PREFIX}`]);

    const downloaded = objectDownloads(before);
    expect(downloaded.length).toBeGreaterThan(0);
    expect(downloaded.length).toBe(new Set(downloaded).size);
    // Far fewer than the bucket holds: the chain spans hours, the corpus days.
    expect(downloaded.length).toBeLessThan(corpus.files / 2);

    const again = server.requestLog.length;
    const second = await runBuiltCliAsync("cli.js", ["trace-role", ...s3Args(), ...traceArgs], env);
    expect(sourceIndependent(TraceReportSchema.parse(JSON.parse(second.stdout)), { keepCoverage: true })).toEqual(sourceIndependent(viaS3, { keepCoverage: true }));
    expect(objectDownloads(again)).toEqual([]);
  });

  it("needs --at: without a time there is no day to list (usage, exit 2, nothing requested)", async () => {
    const before = server.requestLog.length;
    const run = await runBuiltCliAsync("cli.js", ["trace-role", ...s3Args(), "--event-id", scenario("mfa-single-hop").subjectEventId], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^rolechain: --at is needed with an s3:\/\/ source/);
    expect(server.requestLog.length).toBe(before);
  });

  it("a bucket that does not exist is an unreadable source: exit 5 and one line", async () => {
    const run = await runBuiltCliAsync("cli.js", [
      "trace-role", "--source", "s3://no-such-trail-bucket/", "--endpoint-url", server.endpoint, "--region", "us-east-1",
      "--cache-dir", cacheDir, "--event-id", scenario("mfa-single-hop").subjectEventId, "--at", scenario("mfa-single-hop").subjectEventTime,
    ], env);
    expect(run.status).toBe(5);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^rolechain: cannot read source s3:\/\/no-such-trail-bucket\/: .*(no such bucket|NoSuchBucket)/i);
  });
});

describe("sweep --source s3://", () => {
  it("finds what the local sweep finds", async () => {
    const window = ["--since", "2026-11-16T00:00:00Z", "--until", "2026-11-18T00:00:00Z", "--config", corpus.sweepConfigFile, "--format", "jsonl"];
    const local = runBuiltCli("cli.js", ["sweep", "--source", corpus.logsDir, ...window]);
    const run = await runBuiltCliAsync("cli.js", ["sweep", ...s3Args(), ...window], env);

    expect(run.status, run.stderr).toBe(local.status);
    expect(sortedFindings(run.stdout)).toEqual(sortedFindings(local.stdout));
    expect(sortedFindings(run.stdout)).toHaveLength(corpus.findings.length);
  });
});
