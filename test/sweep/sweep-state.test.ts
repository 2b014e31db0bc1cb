import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { acquireStateLock, lockPathFor, StateLockedError } from "../../src/sweep/state-lock.js";
import { advanceSweepState, readSweepState, SweepStateFileError, writeFileAtomic, writeSweepState, type SweepState } from "../../src/sweep/sweep-state.js";
import { resolveSweepWindow, WindowError } from "../../src/sweep/sweep-window.js";

const dir = mkdtempSync(join(tmpdir(), "rolechain-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const H = 3_600_000;
const T = Date.parse("2026-11-17T12:00:00Z");

describe("advancing the state", () => {
  it("moves the watermark to the window's end and keeps only ids the next window can see again", () => {
    const previous: SweepState = {
      schema: "rolechain.sweep-state/v1",
      watermark: "2026-11-17T11:00:00Z",
      reported: { old: "2026-11-17T09:59:59Z", recent: "2026-11-17T10:30:00Z" },
    };
    const next = advanceSweepState(previous, T, [
      { id: "k:new", kind: "trust-policy-external-principal", sharedEventID: null, eventTime: "2026-11-17T11:30:00Z" },
      { id: "k:edge", kind: "unexpected-cross-account-assume-role", sharedEventID: "s-1", eventTime: "2026-11-17T11:00:00Z" },
    ], H);
    expect(next.watermark).toBe("2026-11-17T12:00:00Z");
    // Next window starts at 11:00:00: anything earlier can never be matched again.
    expect(next.reported).toEqual({
      "k:edge": "2026-11-17T11:00:00Z",
      "k:new": "2026-11-17T11:30:00Z",
      "unexpected-cross-account-assume-role:shared:s-1": "2026-11-17T11:00:00Z",
    });
  });

  it("never moves the watermark back", () => {
    const previous: SweepState = { schema: "rolechain.sweep-state/v1", watermark: "2026-11-17T12:00:00Z", reported: {} };
    expect(advanceSweepState(previous, T - 2 * H, [], H).watermark).toBe("2026-11-17T12:00:00Z");
  });
});

describe("the state file", () => {
  it("is written atomically: the new content replaces the old, no temp file is left", async () => {
    const path = join(dir, "atomic.json");
    writeFileSync(path, "old");
    const state: SweepState = { schema: "rolechain.sweep-state/v1", watermark: "2026-11-17T12:00:00Z", reported: { a: "2026-11-17T11:59:00Z" } };
    await writeSweepState(path, state);
    expect(await readSweepState(path)).toEqual(state);
    expect(readdirSync(dir).filter((f) => f.includes("atomic") && f !== "atomic.json")).toEqual([]);
  });

  it("a failed write leaves the old file whole and removes its temp file", async () => {
    const sub = join(dir, "failing");
    mkdirSync(join(sub, "target.json"), { recursive: true }); // rename over a folder fails
    await expect(writeFileAtomic(join(sub, "target.json"), "{}")).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(["target.json"]);
  });

  it("a missing file is the first run; a corrupt one is an error naming the file", async () => {
    expect(await readSweepState(join(dir, "none.json"))).toBeNull();
    const corrupt = join(dir, "corrupt.json");
    writeFileSync(corrupt, '{"schema":"rolechain.sweep-state/v1","watermark":"yesterday","reported":{}}');
    await expect(readSweepState(corrupt)).rejects.toThrow(SweepStateFileError);
    await expect(readSweepState(corrupt)).rejects.toThrow(/corrupt\.json: not a rolechain\.sweep-state\/v1 file \(watermark: not an ISO 8601 time\)/);
    writeFileSync(corrupt, "{");
    await expect(readSweepState(corrupt)).rejects.toThrow(/not valid JSON/);
  });
});

describe("the state lock", () => {
  it("is exclusive; a second taker gives up after the wait; release frees it", async () => {
    const state = join(dir, "lock-a.json");
    const first = await acquireStateLock(state);
    const started = Date.now();
    await expect(acquireStateLock(state, { waitMs: 150, pollMs: 20 })).rejects.toThrow(StateLockedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await first.release();
    const second = await acquireStateLock(state, { waitMs: 0 });
    await second.release();
    expect(readdirSync(dir).includes("lock-a.json.lock")).toBe(false);
  });

  it("a lock left by a dead process on this host is taken over at once", async () => {
    const state = join(dir, "lock-dead.json");
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid; // exited already
    writeFileSync(lockPathFor(state), JSON.stringify({ pid: dead, host: hostname(), nonce: "x", acquiredAt: "2026-11-17T00:00:00Z" }));
    const lock = await acquireStateLock(state, { waitMs: 0 });
    expect(JSON.parse(readFileSync(lockPathFor(state), "utf8")).pid).toBe(process.pid);
    await lock.release();
  });

  it("a lock from another host is stale only when old", async () => {
    const state = join(dir, "lock-foreign.json");
    writeFileSync(lockPathFor(state), JSON.stringify({ pid: 1, host: "some-other-host", nonce: "y", acquiredAt: "2026-11-17T00:00:00Z" }));
    await expect(acquireStateLock(state, { waitMs: 0 })).rejects.toThrow(/pid 1 on some-other-host/);
    const old = (Date.now() - 7 * H) / 1000;
    utimesSync(lockPathFor(state), old, old);
    const lock = await acquireStateLock(state, { waitMs: 0 });
    await lock.release();
  });

  it("release does not remove a lock that is no longer ours", async () => {
    const state = join(dir, "lock-stolen.json");
    const lock = await acquireStateLock(state);
    writeFileSync(lockPathFor(state), JSON.stringify({ pid: process.pid, host: hostname(), nonce: "someone-else", acquiredAt: "" }));
    await lock.release();
    expect(JSON.parse(readFileSync(lockPathFor(state), "utf8")).nonce).toBe("someone-else");
    rmSync(lockPathFor(state));
  });
});

describe("the sweep window", () => {
  const base = { watermarkMs: null, overlapMs: H, nowMs: T + 123 };

  it("defaults to the 24 hours before now, in whole seconds", () => {
    expect(resolveSweepWindow(base)).toMatchObject({ from: "2026-11-16T12:00:00Z", to: "2026-11-17T12:00:00Z", startedFrom: "since" });
  });

  it("takes --since as a duration before --until, or as a time", () => {
    expect(resolveSweepWindow({ ...base, since: "2h", until: "2026-11-17T06:00:00Z" })).toMatchObject({ from: "2026-11-17T04:00:00Z", to: "2026-11-17T06:00:00Z" });
    expect(resolveSweepWindow({ ...base, since: "2026-11-17T05:30:00Z" })).toMatchObject({ from: "2026-11-17T05:30:00Z" });
  });

  it("with a state, starts at the watermark minus the overlap, whatever --since says", () => {
    const w = resolveSweepWindow({ ...base, since: "7d", watermarkMs: T - 2 * H });
    expect(w).toMatchObject({ from: "2026-11-17T09:00:00Z", to: "2026-11-17T12:00:00Z", startedFrom: "state" });
  });

  it("rejects an empty or reversed window and bad times", () => {
    expect(() => resolveSweepWindow({ ...base, since: "2026-11-18T00:00:00Z" })).toThrow(/--until .* must be after --since/);
    expect(() => resolveSweepWindow({ ...base, until: "2026-11-17T05:00:00Z", watermarkMs: T })).toThrow(WindowError);
    expect(() => resolveSweepWindow({ ...base, since: "yesterday" })).toThrow(/--since: "yesterday"/);
    expect(() => resolveSweepWindow({ ...base, until: "noon" })).toThrow(/--until: "noon"/);
  });
});
