import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TraceReportSchema } from "../../src/schema/trace-report.js";
import { repoRoot, runBuiltCli } from "../helpers/run-cli.js";
import { sourceIndependent } from "../helpers/source-independent-report.js";

const work = mkdtempSync(join(tmpdir(), "rolechain-index-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const sample = join(repoRoot, "fixtures/sample/logs");
const SUBJECT = "0da3f38a-0e62-48fa-ab53-b0572bc65aca";

function trace(extra: string[], env: NodeJS.ProcessEnv = {}) {
  const run = runBuiltCli("cli.js", ["trace-role", "--source", sample, "--event-id", SUBJECT, "--format", "json", ...extra], env);
  expect(run.status, run.stderr).toBe(0);
  return TraceReportSchema.parse(JSON.parse(run.stdout));
}

describe("the index flags", () => {
  it("--index-dir keeps the index there; the next trace reads a few files and reports the same", () => {
    const indexDir = join(work, "index");
    const cold = trace(["--index-dir", indexDir]);
    expect(readdirSync(indexDir).filter((f) => f.endsWith(".idx"))).toHaveLength(1);
    const warm = trace(["--index-dir", indexDir]);
    expect(sourceIndependent(warm, { keepCoverage: true })).toEqual(sourceIndependent(cold, { keepCoverage: true }));
    expect(cold.stats.filesRead).toBeGreaterThan(900);
    expect(warm.stats.filesRead).toBeLessThan(20);
  });

  it("defaults to $XDG_CACHE_HOME/rolechain/index", () => {
    const cacheHome = join(work, "xdg");
    trace([], { XDG_CACHE_HOME: cacheHome });
    expect(readdirSync(join(cacheHome, "rolechain", "index"))).toHaveLength(1);
  });

  it("--no-index writes nothing and reads as without one", () => {
    const cacheHome = join(work, "xdg-none");
    const first = trace(["--no-index"], { XDG_CACHE_HOME: cacheHome });
    const second = trace(["--no-index"], { XDG_CACHE_HOME: cacheHome });
    expect(existsSync(join(cacheHome, "rolechain", "index"))).toBe(false);
    expect(second.stats.filesRead).toBe(first.stats.filesRead);
    expect(second.stats.filesRead).toBeGreaterThan(900);
  });
});
