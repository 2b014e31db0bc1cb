import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../../src/generator/generate-corpus.js";
import type { ExpectedTrace } from "../../src/generator/expected-trace.js";
import { TraceReportSchema, type TraceReport } from "../../src/schema/trace-report.js";
import { repoRoot, runBuiltCli } from "../helpers/run-cli.js";

// The built CLI on a freshly generated organisation trail, compared scenario by scenario with the
// chains the generator embedded. A different seed than the committed sample, so neither is special.
const sampleScenarioNames = (JSON.parse(readFileSync(join(repoRoot, "fixtures/sample/scenarios.json"), "utf8")) as { scenarios: ExpectedTrace[] })
  .scenarios.map((s) => s.name);
let workDir: string;
let logsDir: string;
let scenarios: ExpectedTrace[];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "rolechain-e2e-"));
  const corpus = await generateCorpus({ outDir: workDir, seed: 4242, targetBytes: 8 * 1024 * 1024 });
  logsDir = corpus.logsDir;
  scenarios = corpus.scenarios;
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function trace(eventId: string, extra: string[] = []): { status: number | null; report: TraceReport; stderr: string } {
  const run = runBuiltCli("cli.js", ["trace-role", "--source", logsDir, "--event-id", eventId, "--format", "json", ...extra]);
  return { status: run.status, report: TraceReportSchema.parse(JSON.parse(run.stdout)), stderr: run.stderr };
}

describe("trace-role on a generated corpus", () => {
  it("embeds the scenarios the issue requires", () => {
    const names = scenarios.map((s) => s.name);
    for (const required of [
      "mfa-single-hop", "role-chaining", "cross-account-shared-event-id", "saml-multi-account",
      "same-session-name-different-callers", "two-assume-roles-one-second-apart", "failed-assume-role-ignored",
      "console-switch-role", "ec2-instance-profile", "github-actions-oidc", "identity-center", "federation-token",
      "issuing-event-missing", "caller-account-logs-missing", "root-direct", "source-identity",
      "sts-in-other-region", "late-delivery", "creation-date-missing",
    ]) expect(names).toContain(required);
  });

  // One test per scenario (names from the committed sample, which the same generator wrote).
  it.each(sampleScenarioNames)("rebuilds %s exactly as the generator expects", (name) => {
    const scenario = scenarios.find((s) => s.name === name);
    expect(scenario, `the generator no longer embeds ${name}`).toBeDefined();
    const { status, report } = trace(scenario!.subjectEventId);
    expect({ ...summarize(report), exit: status }).toEqual({
      subject: scenario!.subjectEventId,
      hops: scenario!.hops.map((h) => ({ session: h.sessionArn, issuing: h.issuingEventId, caller: h.callerEventId, matchedBy: h.matchedBy, crossAccount: h.crossAccount, callerType: h.callerType })),
      origin: scenario!.origin && { type: scenario!.origin.type, arn: scenario!.origin.arn, accountId: scenario!.origin.accountId, ip: scenario!.origin.sourceIPAddress },
      complete: scenario!.complete,
      gaps: [...scenario!.gapReasons].sort(),
      fallbackCandidates: scenario!.fallback?.candidates ?? null,
      exit: scenario!.complete ? 0 : 3,
    });
  });

  it("the trace-role bin gives the same report as `rolechain trace-role`", () => {
    const scenario = scenarios.find((s) => s.name === "saml-multi-account")!;
    const viaBin = runBuiltCli("trace-role-bin.js", ["--source", logsDir, "--event-id", scenario.subjectEventId, "--format", "json"]);
    const viaRolechain = trace(scenario.subjectEventId).report;
    const bin = TraceReportSchema.parse(JSON.parse(viaBin.stdout));
    expect({ ...bin, stats: null }).toEqual({ ...viaRolechain, stats: null });
  });

  it("an --at hint reads fewer files and finds the same chain", () => {
    const scenario = scenarios.find((s) => s.name === "role-chaining")!;
    // Without the index: earlier tests of this file indexed the corpus, which makes both read a handful.
    const plain = trace(scenario.subjectEventId, ["--no-index"]).report;
    const hinted = trace(scenario.subjectEventId, ["--at", scenario.subjectEventTime, "--no-index"]).report;
    expect(summarize(hinted)).toEqual(summarize(plain));
    expect(hinted.stats.filesRead).toBeLessThan(plain.stats.filesRead);
  });

  it("an unknown eventID exits 4 with a subject-not-found gap", () => {
    const { status, report } = trace("00000000-0000-4000-8000-000000000000");
    expect(status).toBe(4);
    expect(report.subject).toBeNull();
    expect(report.gaps.map((g) => g.reason)).toEqual(["subject-not-found"]);
    expect(report.gaps[0]?.searched?.coverage.accounts.length).toBeGreaterThanOrEqual(4);
  });
});

function summarize(report: TraceReport) {
  return {
    subject: report.subject?.eventID ?? null,
    hops: report.hops.map((h) => ({ session: h.session.arn, issuing: h.assumeRole.eventID, caller: h.callerEvent?.eventID ?? null, matchedBy: h.matchedBy, crossAccount: h.crossAccount, callerType: h.caller.type })),
    origin: report.origin && { type: report.origin.type, arn: report.origin.arn, accountId: report.origin.accountId, ip: report.origin.sourceIPAddress },
    complete: report.complete,
    gaps: report.gaps.map((g) => g.reason).sort(),
    fallbackCandidates: report.hops.find((h) => h.fallback)?.fallback?.candidates ?? null,
  };
}
