import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { trailDocument, trailKey, writeLogFile } from "../helpers/local-log-files.js";
import { crossAccountCall, ORG_ACCOUNT, OUTSIDE_ACCOUNT, ownerEventId, runSweepInProcess, simpleCrossAccountDetector, writeConfig } from "../sweep/sweep-test-kit.js";

// `rolechain sweep` in-process: flag parsing through runCli, config errors, the default format.
let dir: string;
let logs: string;
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rolechain-sweep-cmd-"));
  logs = join(dir, "logs");
  const call = crossAccountCall("cmd", { time: "2026-11-17T10:00:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT });
  await writeLogFile(logs, trailKey(ORG_ACCOUNT, "us-east-1", "2026-11-17T10:05:00Z"), trailDocument([call.ownerCopy]), { gzip: true });
  config = writeConfig(dir, { trustedAccounts: [ORG_ACCOUNT] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { isTTY: false, write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
  });
  return { code, stdout, stderr };
}

describe("rolechain sweep flags and config", () => {
  it("rejects a config without trustedAccounts or with an unknown field: exit 2, one line each", async () => {
    const missing = await cli(["sweep", "--source", logs, "--config", writeConfig(dir, { allow: [] }, "no-trusted.json")]);
    expect(missing.code).toBe(ExitCode.Usage);
    expect(missing.stderr).toBe(`rolechain: ${dir}/no-trusted.json: trustedAccounts: missing (expected array)\n`);
    const unknown = await cli(["sweep", "--source", logs, "--config", writeConfig(dir, { trustedAccounts: [ORG_ACCOUNT], trusted: [] }, "typo.json")]);
    expect(unknown.code).toBe(ExitCode.Usage);
    expect(unknown.stderr).toBe(`rolechain: ${dir}/typo.json: trusted: unknown field (fields are case-sensitive; see docs/sweep.md)\n`);
  });

  it("rejects bad flags with exit 2", async () => {
    expect((await cli(["sweep", "--source", logs])).code).toBe(ExitCode.Usage);
    expect((await cli(["sweep", "--source", logs, "--config", config, "--format", "xml"])).code).toBe(ExitCode.Usage);
    const overlap = await cli(["sweep", "--source", logs, "--config", config, "--overlap", "a while"]);
    expect(overlap.code).toBe(ExitCode.Usage);
    expect(overlap.stderr).toMatch(/^rolechain: --overlap: "a while" is not a duration/);
    const state = await cli(["sweep", "--source", logs, "--config", config, "--state", join(dir, "no-such-folder", "state.json")]);
    expect(state.code).toBe(ExitCode.Usage);
    expect(state.stderr).toMatch(/--state: cannot create the lock file/);
  });

  it("prints a table on a terminal and JSONL when piped", async () => {
    const args = { source: [logs], config, since: "2026-11-17T00:00:00Z", until: "2026-11-18T00:00:00Z" };
    const piped = await runSweepInProcess(args, { detect: simpleCrossAccountDetector() }, false);
    expect(piped.code).toBe(ExitCode.SweepNewFindings);
    expect(JSON.parse(piped.stdout.trim()).eventID).toBe(ownerEventId("cmd"));
    const terminal = await runSweepInProcess(args, { detect: simpleCrossAccountDetector() }, true);
    expect(terminal.stdout).toContain("┌");
    expect(terminal.stdout).toContain("1 new finding(s) in 2026-11-17T00:00:00Z … 2026-11-18T00:00:00Z.");
  });

  it("--until defaults to now and --since to 24 hours before it", async () => {
    const now = Date.parse("2026-11-17T20:00:00Z");
    const run = await runSweepInProcess({ source: [logs], config }, { detect: simpleCrossAccountDetector(), now: () => now });
    expect(run.stderr).toContain("2026-11-16T20:00:00Z … 2026-11-17T20:00:00Z, 1 finding (1 new)");
  });
});
