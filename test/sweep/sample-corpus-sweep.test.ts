import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { FindingSchema, type Finding } from "../../src/schema/finding.js";
import { runSweepInProcess } from "./sweep-test-kit.js";

// The bundled sample organisation with the real detection core: a sweep over the whole trail, and
// scheduled 6-hour sweeps with --state, must each report exactly scenarios.json's findings, once.
const logs = "fixtures/sample/logs";
const config = "fixtures/sample/sweep-config.json";
const expected = (JSON.parse(readFileSync("fixtures/sample/scenarios.json", "utf8")) as { findings: Array<{ kind: string; eventID: string }> })
  .findings.map((f) => `${f.kind}:${f.eventID}`).sort();

const dir = mkdtempSync(join(tmpdir(), "rolechain-sample-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function findings(jsonl: string): Finding[] {
  return jsonl.split("\n").filter(Boolean).map((line) => FindingSchema.parse(JSON.parse(line)));
}

describe("sweep over the sample organisation", () => {
  it("reports exactly the expected findings over the whole trail", async () => {
    const run = await runSweepInProcess({ source: [logs], config, since: "2026-11-15T00:00:00Z", until: "2026-11-19T00:00:00Z", trace: false });
    expect(run.code).toBe(ExitCode.SweepNewFindings);
    expect(findings(run.stdout).map((f) => f.id).sort()).toEqual(expected);
  });

  it("scheduled 6-hour runs with --state report each expected finding once, and nothing else", async () => {
    const state = join(dir, "state.json");
    const seen: string[] = [];
    for (let end = Date.parse("2026-11-15T06:00:00Z"); end <= Date.parse("2026-11-19T00:00:00Z"); end += 6 * 3_600_000) {
      const run = await runSweepInProcess({
        source: [logs], config, state, since: "2026-11-15T00:00:00Z", until: new Date(end).toISOString(), trace: false,
      });
      expect([ExitCode.SweepNoNewFindings, ExitCode.SweepNewFindings]).toContain(run.code);
      seen.push(...findings(run.stdout).map((f) => f.id));
    }
    expect(seen.sort()).toEqual(expected);
  });
});
