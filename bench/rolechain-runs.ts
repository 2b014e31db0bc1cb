/**
 * Runs of the BUILT CLI (dist/cli.js) as a responder runs it: one process per command, peak RSS
 * reported by bench/report-max-rss.cjs, each run checked against what the generator embedded.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ExpectedFinding } from "../src/generator/expected-finding.js";
import type { ExpectedTrace } from "../src/generator/expected-trace.js";
import type { TraceReport } from "../src/schema/trace-report.js";
import type { BenchCorpus } from "./bench-corpus.js";
import { describeFailure, peakRssMb, runTimed, type TimedRun } from "./timed-process.js";

export interface RolechainRun {
  seconds: number;
  peakRssMb: number | null;
}

/** A correctness check that failed: the figures of such a run mean nothing. */
export class CheckFailed extends Error {}

export class Rolechain {
  /** `cliPath`: the built CLI (a snapshot of dist/cli.js, see cli-snapshot.ts). */
  constructor(private readonly benchDir: string, private readonly cliPath: string) {}

  /**
   * A fresh, empty cache folder: the run is cold. Runs get it as --cache-dir, its index/ as
   * --index-dir (the local source's persistent index), and as XDG_CACHE_HOME, so anything kept in
   * the default place starts empty too.
   */
  freshCacheDir(): string {
    return mkdtempSync(join(tmpdir(), "rolechain-bench-cache-"));
  }

  async traceRole(corpus: BenchCorpus, scenario: ExpectedTrace, withAt: boolean, cacheDir: string): Promise<RolechainRun> {
    const run = await this.cli([
      "trace-role", "--source", corpus.logsDir, "--event-id", scenario.subjectEventId, "--format", "json",
      ...cacheFlags(cacheDir), ...(withAt ? ["--at", scenario.subjectEventTime] : []),
    ], cacheDir);
    const what = `trace-role ${scenario.name} ${withAt ? "with" : "without"} --at`;
    checkTraceReport(what, run, scenario);
    return { seconds: run.seconds, peakRssMb: peakRssMb(run) };
  }

  async sweep(corpus: BenchCorpus, trace: boolean, cacheDir: string): Promise<RolechainRun & { findings: number }> {
    const run = await this.cli([
      "sweep", "--source", corpus.logsDir, "--config", corpus.sweepConfigFile,
      "--since", corpus.facts.startTime, "--until", corpus.facts.endTime, "--format", "jsonl", ...cacheFlags(cacheDir),
      ...(trace ? [] : ["--no-trace"]),
    ], cacheDir);
    const findings = checkSweepFindings(`sweep${trace ? "" : " --no-trace"}`, run, corpus.scenarios.findings);
    return { seconds: run.seconds, peakRssMb: peakRssMb(run), findings };
  }

  async help(): Promise<number> {
    const run = await runTimed(process.execPath, [this.cliPath, "--help"]);
    if (run.exitCode !== 0 || !run.stdout.includes("trace-role")) throw new CheckFailed(describeFailure("rolechain --help", run));
    return run.seconds;
  }

  private cli(args: readonly string[], cacheDir: string): Promise<TimedRun> {
    return runTimed(process.execPath, ["--require", resolve(this.benchDir, "report-max-rss.cjs"), this.cliPath, ...args], {
      env: { ...process.env, XDG_CACHE_HOME: cacheDir },
    });
  }
}

function cacheFlags(cacheDir: string): string[] {
  return ["--cache-dir", cacheDir, "--index-dir", join(cacheDir, "index")];
}

/** The subject, every hop's session and issuing event, and `complete` must be what the generator embedded. */
function checkTraceReport(what: string, run: TimedRun, expected: ExpectedTrace): void {
  const expectedExit = expected.complete ? 0 : 3;
  if (run.exitCode !== expectedExit) throw new CheckFailed(describeFailure(`${what} (expected exit ${expectedExit})`, run));
  const report = parseJson<TraceReport>(what, run.stdout);
  const problems: string[] = [];
  if (report.subject?.eventID !== expected.subjectEventId) problems.push(`subject ${report.subject?.eventID ?? "not found"}`);
  if (report.complete !== expected.complete) problems.push(`complete=${report.complete}, expected ${expected.complete}`);
  if (report.hops.length !== expected.hops.length) problems.push(`${report.hops.length} hops, expected ${expected.hops.length}`);
  expected.hops.forEach((hop, i) => {
    const got = report.hops[i];
    if (got && got.session.arn !== hop.sessionArn) problems.push(`hop ${i} session ${got.session.arn}, expected ${hop.sessionArn}`);
    if (got && got.assumeRole.eventID !== hop.issuingEventId) problems.push(`hop ${i} issued by ${got.assumeRole.eventID}, expected ${hop.issuingEventId}`);
  });
  if (problems.length > 0) throw new CheckFailed(`${what}: ${problems.join("; ")}`);
}

/** Exit 3 (new findings) and exactly the findings the generator embedded, by kind and eventID. Returns their count. */
function checkSweepFindings(what: string, run: TimedRun, expected: readonly ExpectedFinding[]): number {
  if (run.exitCode !== 3) throw new CheckFailed(describeFailure(`${what} (expected exit 3, new findings)`, run));
  const got = run.stdout.split("\n").filter((line) => line.trim() !== "")
    .map((line) => parseJson<{ kind: string; eventID: string }>(what, line)).map((f) => `${f.kind}:${f.eventID}`).sort();
  const want = expected.map((f) => `${f.kind}:${f.eventID}`).sort();
  const missing = want.filter((id) => !got.includes(id));
  const extra = got.filter((id) => !want.includes(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new CheckFailed(`${what}: ${got.length} findings, expected ${want.length}; missing ${missing.join(", ") || "none"}; unexpected ${extra.join(", ") || "none"}`);
  }
  return got.length;
}

function parseJson<T>(what: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CheckFailed(`${what}: output is not JSON: ${text.slice(0, 200)}`);
  }
}
