import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSweepCommand } from "../../src/cli/sweep-command.js";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { FindingSchema } from "../../src/schema/finding.js";
import { acquireStateLock, lockPathFor } from "../../src/sweep/state-lock.js";
import { makeTempDir, removeTempDir, trailDocument, trailKey, writeLogFile } from "../helpers/local-log-files.js";
import type { RawRecord } from "../helpers/cloudtrail-records.js";
import {
  crossAccountCall, ORG_ACCOUNT, OTHER_ORG_ACCOUNT, OUTSIDE_ACCOUNT, ownerEventId, runSweepInProcess, simpleCrossAccountDetector, writeConfig, silentDetector,
} from "./sweep-test-kit.js";

// A corpus split in time, delivered file by file between scheduled runs, with one file arriving late.
const calls = {
  A: crossAccountCall("A", { time: "2026-11-17T09:20:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT }),
  B: crossAccountCall("B", { time: "2026-11-17T09:55:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: ORG_ACCOUNT }),
  C: crossAccountCall("C", { time: "2026-11-17T10:10:00Z", callerAccount: OUTSIDE_ACCOUNT, roleAccount: OTHER_ORG_ACCOUNT }),
  D: crossAccountCall("D", { time: "2026-11-17T08:30:00Z", callerAccount: "888888888888", roleAccount: ORG_ACCOUNT }),
  internal: crossAccountCall("internal", { time: "2026-11-17T09:30:00Z", callerAccount: OTHER_ORG_ACCOUNT, roleAccount: ORG_ACCOUNT }),
};
const idOf = (label: keyof typeof calls) => `unexpected-cross-account-assume-role:${ownerEventId(label)}`;
const sharedKeyOf = (label: keyof typeof calls) => `unexpected-cross-account-assume-role:shared:${String(calls[label].ownerCopy.sharedEventID)}`;

let dir: string;
let logs: string;
let configPath: string;
let statePath: string;

beforeEach(async () => {
  dir = await makeTempDir("rolechain-sweep-runs-");
  logs = join(dir, "logs");
  configPath = writeConfig(dir, { trustedAccounts: [ORG_ACCOUNT, OTHER_ORG_ACCOUNT], overlap: "1h" });
  statePath = join(dir, "state.json");
});
afterEach(async () => removeTempDir(dir));

async function deliver(account: string, deliveredAt: string, records: RawRecord[]): Promise<void> {
  await writeLogFile(logs, trailKey(account, "us-east-1", deliveredAt), trailDocument(records), { gzip: true });
}

/** Files as they land: A (and a duplicate copy of it), internal noise, then C, B late, D very late. */
async function deliverUpTo10(): Promise<void> {
  await deliver(ORG_ACCOUNT, "2026-11-17T09:25:00Z", [calls.A.ownerCopy]);
  await deliver(ORG_ACCOUNT, "2026-11-17T09:31:00Z", [calls.A.ownerCopy, calls.internal.ownerCopy]);
  await deliver(OTHER_ORG_ACCOUNT, "2026-11-17T09:35:00Z", [calls.internal.callerCopy]);
}
async function deliverAfter10(): Promise<void> {
  await deliver(OTHER_ORG_ACCOUNT, "2026-11-17T10:15:00Z", [calls.C.ownerCopy]);
  await deliver(OUTSIDE_ACCOUNT, "2026-11-17T10:14:00Z", [calls.C.callerCopy]);
  await deliver(ORG_ACCOUNT, "2026-11-17T10:20:00Z", [calls.B.ownerCopy]); // 25 min late: inside the overlap
  await deliver(ORG_ACCOUNT, "2026-11-17T10:40:00Z", [calls.D.ownerCopy]); // 2 h 10 min late: beyond a 1 h overlap
}

function run(until: string, extra: { overlap?: string; since?: string } = {}) {
  return runSweepInProcess(
    { source: [logs], config: configPath, state: statePath, until, since: extra.since ?? "2026-11-17T08:00:00Z", overlap: extra.overlap },
    { detect: simpleCrossAccountDetector() },
  );
}

function ids(jsonl: string): string[] {
  return jsonl.split("\n").filter(Boolean).map((line) => FindingSchema.parse(JSON.parse(line)).id);
}

describe("scheduled sweeps with --state", () => {
  it("report every finding once across runs, picking up a file delivered after its window closed", async () => {
    await deliverUpTo10();
    const first = await run("2026-11-17T10:00:00Z");
    expect(first.code).toBe(ExitCode.SweepNewFindings);
    expect(ids(first.stdout)).toEqual([idOf("A")]);
    expect(first.stderr).toContain("rolechain sweep: 4 events 2026-11-17T08:00:00Z … 2026-11-17T10:00:00Z, 1 finding (1 new), 0 files skipped");
    expect(JSON.parse(readFileSync(statePath, "utf8"))).toEqual({
      schema: "rolechain.sweep-state/v1",
      watermark: "2026-11-17T10:00:00Z",
      reported: { [idOf("A")]: "2026-11-17T09:20:00Z", [sharedKeyOf("A")]: "2026-11-17T09:20:00Z" },
    });

    await deliverAfter10();
    const second = await run("2026-11-17T11:00:00Z"); // window 09:00 … 11:00
    expect(second.code).toBe(ExitCode.SweepNewFindings);
    expect(ids(second.stdout)).toEqual([idOf("B"), idOf("C")]);
    expect(second.stderr).toMatch(/2026-11-17T09:00:00Z … 2026-11-17T11:00:00Z, 3 findings \(2 new\)/);
    // C's caller copy is in the logs: its chain was traced.
    const c = FindingSchema.parse(JSON.parse(second.stdout.split("\n")[1]!));
    expect(c.trace).toMatchObject({ complete: true, hops: 0 });
    // Only ids the next window (10:00 …) can see again are kept.
    expect(JSON.parse(readFileSync(statePath, "utf8")).reported).toEqual({ [idOf("C")]: "2026-11-17T10:10:00Z", [sharedKeyOf("C")]: "2026-11-17T10:10:00Z" });

    const third = await run("2026-11-17T12:00:00Z");
    expect(third.code).toBe(ExitCode.SweepNoNewFindings);
    expect(third.stdout).toBe("");
    expect(third.stderr).toMatch(/1 finding \(0 new\)/);
    expect(JSON.parse(readFileSync(statePath, "utf8"))).toEqual({ schema: "rolechain.sweep-state/v1", watermark: "2026-11-17T12:00:00Z", reported: {} });

    // D arrived 2 h 10 min after it happened, later than the 1 h overlap: the documented blind spot.
    const all = [...ids(first.stdout), ...ids(second.stdout), ...ids(third.stdout)];
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain(idOf("D"));
  });

  it("an overlap longer than the worst delivery delay misses nothing and still repeats nothing", async () => {
    await deliverUpTo10();
    const first = await run("2026-11-17T10:00:00Z", { overlap: "3h" });
    await deliverAfter10();
    const second = await run("2026-11-17T11:00:00Z", { overlap: "3h" }); // window 07:00 … 11:00
    const third = await run("2026-11-17T12:00:00Z", { overlap: "3h" });
    const all = [...ids(first.stdout), ...ids(second.stdout), ...ids(third.stdout)];
    expect(all.sort()).toEqual([idOf("A"), idOf("B"), idOf("C"), idOf("D")].sort());
    expect(second.stderr).toMatch(/4 findings \(3 new\)/);
    expect(third.stderr).toMatch(/4 findings \(0 new\)/);
  });

  it("a second run on a locked state exits 7 and changes nothing", async () => {
    await deliverUpTo10();
    await run("2026-11-17T10:00:00Z");
    const before = readFileSync(statePath, "utf8");
    const held = await acquireStateLock(statePath);
    try {
      await deliverAfter10();
      const blocked = await run("2026-11-17T11:00:00Z");
      expect(blocked.code).toBe(ExitCode.SweepStateLocked);
      expect(blocked.stdout).toBe("");
      expect(blocked.stderr).toMatch(/^rolechain: .*state\.json\.lock: state file is locked by pid \d+ on /);
      expect(readFileSync(statePath, "utf8")).toBe(before);
      expect(existsSync(lockPathFor(statePath))).toBe(true);
    } finally {
      await held.release();
    }
    const after = await run("2026-11-17T11:00:00Z");
    expect(ids(after.stdout)).toEqual([idOf("B"), idOf("C")]);
  });

  it("a run that fails leaves the state as it was and releases the lock", async () => {
    await deliverUpTo10();
    await run("2026-11-17T10:00:00Z");
    const before = readFileSync(statePath, "utf8");
    await deliverAfter10(); // B and C are new for the next run

    const missing = await runSweepInProcess({ source: [join(dir, "no-such-logs")], config: configPath, state: statePath, until: "2026-11-17T11:00:00Z" });
    expect(missing.code).toBe(ExitCode.SourceUnreadable);
    expect(missing.stderr).toContain("no-such-logs");

    const crashing = () => { throw new Error("detector bug"); };
    await expect(runSweepInProcess({ source: [logs], config: configPath, state: statePath, until: "2026-11-17T11:00:00Z" }, { detect: crashing }))
      .rejects.toThrow("detector bug");

    // The reader of stdout went away: the findings were not delivered, so the state must not move.
    const brokenPipe = new Writable({ write(_chunk, _encoding, callback) { callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })); } });
    let stderr = "";
    const code = await runSweepCommand(
      { source: [logs], config: configPath, state: statePath, until: "2026-11-17T11:00:00Z", deliverySlack: "12h", trace: false },
      { stdout: brokenPipe, stderr: { write: (t: string) => { stderr += t; } } },
      { detect: simpleCrossAccountDetector() },
    );
    expect(code).toBe(ExitCode.InternalError);
    expect(stderr).toContain("cannot write the findings to stdout: write EPIPE; the state file was left as it was");

    expect(readFileSync(statePath, "utf8")).toBe(before);
    expect(existsSync(lockPathFor(statePath))).toBe(false);
  });

  it("skipped files: exit 5 without new findings, 6 with them; the findings are printed either way", async () => {
    await deliverUpTo10();
    await writeLogFile(logs, trailKey(ORG_ACCOUNT, "us-east-1", "2026-11-17T09:40:00Z").replace("Ab12", "Zz99"), gzipSync(trailDocument([calls.B.ownerCopy])).subarray(0, 30));
    const withFindings = await runSweepInProcess(
      { source: [logs], config: configPath, until: "2026-11-17T10:00:00Z", since: "2026-11-17T08:00:00Z" }, { detect: simpleCrossAccountDetector() },
    );
    expect(withFindings.code).toBe(ExitCode.SweepNewFindingsPartial);
    expect(ids(withFindings.stdout)).toEqual([idOf("A")]);
    expect(withFindings.stderr).toMatch(/Zz99.*\n/);
    expect(withFindings.stderr).toMatch(/1 finding \(1 new\), 1 file skipped/);

    const none = await runSweepInProcess(
      { source: [logs], config: configPath, until: "2026-11-17T10:00:00Z", since: "2026-11-17T08:00:00Z" }, { detect: silentDetector() },
    );
    expect(none.code).toBe(ExitCode.SourceUnreadable);
  });

  it("a corrupt state file is a usage error naming it, and is left alone", async () => {
    await deliverUpTo10();
    writeFileSync(statePath, "not json");
    const result = await run("2026-11-17T10:00:00Z");
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.stderr).toMatch(/state\.json: state file is not valid JSON/);
    expect(readFileSync(statePath, "utf8")).toBe("not json");
  });
});
