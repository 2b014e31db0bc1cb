import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FindingSchema } from "../../src/schema/finding.js";
import { SweepReportSchema } from "../../src/schema/sweep-report.js";
import { runBuiltCli } from "../helpers/run-cli.js";
import { trailDocument, trailKey, writeLogFile } from "../helpers/local-log-files.js";
import { crossAccountCall, ORG_ACCOUNT, OTHER_ORG_ACCOUNT, OUTSIDE_ACCOUNT, writeConfig } from "../sweep/sweep-test-kit.js";

// `rolechain sweep` through the built CLI, with the real detection core: exit codes, formats, config
// errors, the state file and its lock. The window is pinned with --since/--until.
const ESC = "\u001b";
const hostileSession = `ops${ESC}[2J${ESC}]0;owned\u0007\r\u202Etxt.exe`;
const internal = crossAccountCall("cli-internal", { time: "2026-11-17T09:00:00Z", callerAccount: OTHER_ORG_ACCOUNT, roleAccount: ORG_ACCOUNT });
const outside = crossAccountCall("cli-outside", { time: "2026-11-17T10:00:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT, sessionName: hostileSession });
const window = ["--since", "2026-11-17T00:00:00Z", "--until", "2026-11-18T00:00:00Z"];

let dir: string;
let clean: string; // org-internal calls only
let backdoor: string; // plus a never-seen account assuming a role
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rolechain-sweep-cli-"));
  clean = join(dir, "clean");
  backdoor = join(dir, "backdoor");
  await writeLogFile(clean, trailKey(ORG_ACCOUNT, "us-east-1", "2026-11-17T09:05:00Z"), trailDocument([internal.ownerCopy]), { gzip: true });
  await writeLogFile(clean, trailKey(OTHER_ORG_ACCOUNT, "us-east-1", "2026-11-17T09:05:00Z"), trailDocument([internal.callerCopy]), { gzip: true });
  await writeLogFile(backdoor, trailKey(ORG_ACCOUNT, "us-east-1", "2026-11-17T10:05:00Z"), trailDocument([internal.ownerCopy, outside.ownerCopy]), { gzip: true });
  await writeLogFile(backdoor, trailKey(OUTSIDE_ACCOUNT, "us-east-1", "2026-11-17T10:05:00Z"), trailDocument([outside.callerCopy]), { gzip: true });
  config = writeConfig(dir, { trustedAccounts: [ORG_ACCOUNT, OTHER_ORG_ACCOUNT] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sweep = (...args: string[]) => runBuiltCli("cli.js", ["sweep", "--config", config, ...window, ...args]);

describe("rolechain sweep (built CLI)", () => {
  it("--help lists the flags", () => {
    const run = runBuiltCli("cli.js", ["sweep", "--help"]);
    expect(run.status).toBe(0);
    for (const flag of ["--source", "--config", "--since", "--until", "--state", "--overlap", "--format", "--delivery-slack", "--trace"]) expect(run.stdout).toContain(flag);
  });

  it("exits 0 with nothing on stdout when there is nothing new, and says what it covered on stderr", () => {
    const run = sweep("--source", clean);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("rolechain sweep: 2 events 2026-11-17T00:00:00Z … 2026-11-18T00:00:00Z, 0 findings (0 new), 0 files skipped\n");
  });

  it("exits 3 with one rolechain.finding/v1 line per new finding (jsonl when piped)", () => {
    const run = sweep("--source", backdoor);
    expect(run.status).toBe(3);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const finding = FindingSchema.parse(JSON.parse(lines[0]!));
    expect(finding).toMatchObject({ kind: "unexpected-cross-account-assume-role", callerAccountId: OUTSIDE_ACCOUNT, roleAccountId: ORG_ACCOUNT });
    expect(finding.trace?.complete).toBe(true);
    expect(run.stderr).toMatch(/1 finding \(1 new\), 0 files skipped\n$/);
  });

  it("--format json, ocsf and table", () => {
    const json = sweep("--source", backdoor, "--format", "json");
    expect(SweepReportSchema.parse(JSON.parse(json.stdout)).summary).toMatchObject({ findings: 1, newFindings: 1, skippedFiles: 0 });
    const ocsf = sweep("--source", backdoor, "--format", "ocsf", "--no-trace");
    const detection = JSON.parse(ocsf.stdout.trim()) as Record<string, any>;
    expect(detection).toMatchObject({ class_uid: 2004, category_uid: 2, activity_id: 1, type_uid: 200401, metadata: { version: "1.1.0", product: { name: "rolechain" } } });
    expect(detection.metadata.product.version).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    expect(detection.unmapped.trace).toBeNull();
    const table = sweep("--source", backdoor, "--format", "table");
    expect(table.status).toBe(3);
    expect(table.stdout).toContain("unexpected-cross-account-assume-role");
    expect(table.stdout).not.toContain(ESC);
    expect(table.stdout).not.toContain("\u202E");
  });

  it("config errors exit 2 with one line naming the file and the field", () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ trustedAccounts: [ORG_ACCOUNT], allow: [{ callerAccount: OUTSIDE_ACCOUNT, roleArn: "*" }, { callerAccount: "12345", roleArn: "*" }] },
        /^rolechain: .*bad-1\.json: allow\[1\]\.callerAccount: an AWS account id is 12 digits\n$/],
      ['{"trustedAccounts": [', /^rolechain: .*bad-2\.json: not valid JSON: [^\n]+\n$/],
    ];
    cases.forEach(([content, expected], i) => {
      const path = writeConfig(dir, content, `bad-${i + 1}.json`);
      const run = runBuiltCli("cli.js", ["sweep", "--source", clean, "--config", path]);
      expect(run.status, String(i)).toBe(2);
      expect(run.stderr, String(i)).toMatch(expected);
      expect(run.stdout).toBe("");
    });
  });

  it("usage errors exit 2", () => {
    const reversed = runBuiltCli("cli.js", ["sweep", "--source", clean, "--config", config, "--since", "2026-11-18T00:00:00Z", "--until", "2026-11-17T00:00:00Z"]);
    expect(reversed.status).toBe(2);
    expect(reversed.stderr).toMatch(/--until \(2026-11-17T00:00:00Z\) must be after --since \(2026-11-18T00:00:00Z\)/);
  });

  it("exits 5 when a source cannot be read, or files were skipped and nothing new was found; 6 with new findings", async () => {
    const missing = sweep("--source", join(dir, "no-such-dir"));
    expect(missing.status).toBe(5);
    expect(missing.stdout).toBe("");
    const partialClean = join(dir, "partial-clean");
    const partialBackdoor = join(dir, "partial-backdoor");
    for (const target of [partialClean, partialBackdoor]) {
      await writeLogFile(target, "truncated.json.gz", gzipSync(trailDocument([internal.ownerCopy])).subarray(0, 25));
    }
    const skippedOnly = sweep("--source", clean, "--source", partialClean);
    expect(skippedOnly.status).toBe(5);
    expect(skippedOnly.stderr).toMatch(/truncated\.json\.gz/);
    const both = sweep("--source", backdoor, "--source", partialBackdoor);
    expect(both.status).toBe(6);
    expect(FindingSchema.parse(JSON.parse(both.stdout.trim())).callerAccountId).toBe(OUTSIDE_ACCOUNT);
    expect(both.stderr).toMatch(/1 finding \(1 new\), 1 file skipped\n$/);
  });

  it("--state: the next run does not repeat a finding; a locked state exits 7 and stays unchanged", () => {
    const state = join(dir, "state.json");
    const first = runBuiltCli("cli.js", ["sweep", "--config", config, "--source", backdoor, "--state", state, "--until", "2026-11-17T11:00:00Z", "--since", "2026-11-17T00:00:00Z"]);
    expect(first.status).toBe(3);
    const saved = readFileSync(state, "utf8");
    expect(JSON.parse(saved)).toMatchObject({ schema: "rolechain.sweep-state/v1", watermark: "2026-11-17T11:00:00Z" });

    const again = runBuiltCli("cli.js", ["sweep", "--config", config, "--source", backdoor, "--state", state, "--until", "2026-11-17T11:30:00Z"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(/2026-11-17T10:00:00Z … 2026-11-17T11:30:00Z, 1 finding \(0 new\)/);
    const advanced = readFileSync(state, "utf8");

    writeFileSync(`${state}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), nonce: "test-holder", acquiredAt: new Date().toISOString() }));
    try {
      const locked = runBuiltCli("cli.js", ["sweep", "--config", config, "--source", backdoor, "--state", state, "--until", "2026-11-17T12:00:00Z"]);
      expect(locked.status).toBe(7);
      expect(locked.stdout).toBe("");
      expect(locked.stderr).toMatch(/state\.json\.lock: state file is locked by pid \d+/);
      expect(readFileSync(state, "utf8")).toBe(advanced);
    } finally {
      rmSync(`${state}.lock`);
    }
  });
});
