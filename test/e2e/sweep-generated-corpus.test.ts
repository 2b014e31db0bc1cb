import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLogFiles, splitByDelivery } from "../../src/generator/corpus-slices.js";
import { generateCorpus, type GeneratedCorpus } from "../../src/generator/generate-corpus.js";
import { FindingSchema } from "../../src/schema/finding.js";
import { runBuiltCli } from "../helpers/run-cli.js";

// The built `rolechain sweep` on a freshly generated organisation trail (another seed than the
// committed sample): exactly the generator's expected findings, in one run and in scheduled runs.
const HOUR = 3_600_000;
let workDir: string;
let corpus: GeneratedCorpus;
let corpusStartMs: number;
let corpusEndMs: number;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-sweep-e2e-"));
  corpus = await generateCorpus({ outDir: join(workDir, "corpus"), seed: 9090, targetBytes: 4 * 1024 * 1024, days: 2 });
  corpusStartMs = Date.parse("2026-11-16T00:00:00Z");
  corpusEndMs = corpusStartMs + 2 * 24 * HOUR;
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function sweep(logsDir: string, args: string[]) {
  const run = runBuiltCli("cli.js", ["sweep", "--source", logsDir, "--config", corpus.sweepConfigFile, "--format", "jsonl", ...args]);
  const findings = run.stdout.split("\n").filter((l) => l.trim()).map((l) => FindingSchema.parse(JSON.parse(l)));
  return { status: run.status, stderr: run.stderr, findings };
}

const keyOf = (f: { kind: string; eventID: string }) => `${f.kind} ${f.eventID}`;

describe("sweep on a generated corpus", () => {
  it("reports exactly the expected findings in one run over the whole window", () => {
    const { status, findings, stderr } = sweep(corpus.logsDir, [
      "--since", new Date(corpusStartMs - HOUR).toISOString(), "--until", new Date(corpusEndMs + 6 * HOUR).toISOString()]);
    expect(stderr).toMatch(/rolechain sweep: .* findings/);
    expect(findings.map(keyOf).sort()).toEqual(corpus.findings.map(keyOf).sort());
    expect(corpus.findings.length).toBeGreaterThanOrEqual(8);
    expect(status).toBe(3);
    // The expected roles and accounts, not just the ids.
    for (const expected of corpus.findings) {
      const actual = findings.find((f) => keyOf(f) === keyOf(expected))!;
      expect({ roleArn: actual.roleArn, callerAccountId: actual.callerAccountId, sharedEventID: actual.sharedEventID })
        .toEqual({ roleArn: expected.roleArn, callerAccountId: expected.callerAccountId, sharedEventID: expected.sharedEventID });
    }
  });

  it("scheduled every 4 hours as files arrive (late ones included): no duplicates, no misses", () => {
    const runLogs = join(workDir, "arriving", "logs");
    mkdirSync(runLogs, { recursive: true });
    const state = join(workDir, "arriving", "state.json");
    // The vendor's call is delivered 40–55 min after it happened: one run happens in between.
    const late = corpus.findings.find((f) => f.scenario === "sweep-vendor-wrong-role")!;
    const lateCut = Date.parse(late.eventTime) + 60_000;
    const cuts: number[] = [lateCut];
    for (let t = corpusStartMs + 4 * HOUR; t <= corpusEndMs + 8 * HOUR; t += 4 * HOUR) cuts.push(t);
    cuts.sort((a, b) => a - b);
    const batches = splitByDelivery(corpus.logsDir, cuts);
    const reported: string[] = [];
    const reportedAfterCut = new Map<string, number>();
    cuts.forEach((cut, i) => {
      // At `cut`, exactly the files delivered before it exist.
      copyLogFiles(batches[i]!, runLogs);
      const first = i === 0 ? ["--since", new Date(corpusStartMs - HOUR).toISOString()] : [];
      const { status, findings } = sweep(runLogs, ["--state", state, "--until", new Date(cut).toISOString(), ...first]);
      expect([0, 3]).toContain(status);
      expect(status === 3).toBe(findings.length > 0);
      reported.push(...findings.map(keyOf));
      for (const f of findings) reportedAfterCut.set(keyOf(f), cut);
    });
    // The late record was not there at the run just after it happened, and the next run caught it.
    expect(reportedAfterCut.get(keyOf(late))).toBeGreaterThan(lateCut);
    expect(batches[cuts.length]).toEqual([]);
    expect(new Set(reported).size).toBe(reported.length);
    expect([...reported].sort()).toEqual(corpus.findings.map(keyOf).sort());
  });
});
