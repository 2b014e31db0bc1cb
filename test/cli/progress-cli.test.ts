import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ExitCode } from "../../src/cli/exit-codes.js";
import { runCli } from "../../src/cli/run-cli.js";
import { writeLogFile } from "../helpers/local-log-files.js";
import { repoRoot, runBuiltCliAsync, type CliRun } from "../helpers/run-cli.js";

// The progress line through the commands: drawn on a terminal's stderr, never interleaved with a
// problem line, and absent when stderr is piped or with --quiet.
const CLEAR = "\r\u001b[K";
const DRAW = /\rreading logs: [^\r\n\u001b]*\u001b\[K/g;
const demoEventId = "0da3f38a-0e62-48fa-ab53-b0572bc65aca";
const sampleLogs = join(repoRoot, "fixtures/sample/logs");
const sweepConfig = join(repoRoot, "fixtures/sample/sweep-config.json");
const sweepWindow = ["--since", "2026-11-15T00:00:00Z", "--until", "2026-11-19T00:00:00Z"];
const COPIES = 3; // of the sample (1,036 files each): a scan long enough to be drawn, on a fast machine too

let dir: string;
let mixed: string; // the sample plus two files that are not JSON, in the middle of the read order
let big: string; // `mixed` and more copies of the sample

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rolechain-progress-"));
  big = join(dir, "big");
  mixed = join(big, "copy0");
  for (let i = 0; i < COPIES; i++) cpSync(sampleLogs, join(big, `copy${i}`), { recursive: true });
  const middle = "AWSLogs/o-h3x9k2m7qa/222222222222/broken";
  await writeLogFile(mixed, `${middle}/not-json.json`, "this is not JSON\n");
  await writeLogFile(mixed, `${middle}/page.json.gz`, "<html><body>Access Denied</body></html>\n", { gzip: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every draw is followed by another draw or a clear, and other text starts on a clean line. */
function expectNoInterleaving(terminal: string): void {
  for (const draw of terminal.matchAll(DRAW)) {
    expect(terminal[draw.index + draw[0].length], `a progress line was left: ${JSON.stringify(terminal.slice(draw.index, draw.index + 200))}`).toBe("\r");
  }
  for (const other of terminal.matchAll(/rolechain[ :]/g)) {
    const i = other.index;
    expect(i === 0 || terminal[i - 1] === "\n" || terminal.slice(i - CLEAR.length, i) === CLEAR,
      `text written onto the progress line: ${JSON.stringify(terminal.slice(Math.max(0, i - 100), i + 40))}`).toBe(true);
  }
}

describe("progress in-process (trace-role, fake terminal, a clock that moves 100 ms per reading)", () => {
  afterEach(() => vi.restoreAllMocks());

  async function trace(stderr: { isTTY?: boolean; columns?: number }, extra: string[] = []) {
    let t = 0;
    vi.spyOn(performance, "now").mockImplementation(() => (t += 100));
    const writes: string[] = [];
    // stdout is a terminal: only stderr's may decide.
    const code = await runCli(["trace-role", "--source", mixed, "--event-id", demoEventId, "--format", "json", ...extra], {
      stdout: { isTTY: true, columns: 100, write: () => undefined },
      stderr: { ...stderr, write: (text: string) => writes.push(text) },
    });
    return { code, writes };
  }

  it("draws on a terminal, and erases the line before each problem line and at the end", async () => {
    const { code, writes } = await trace({ isTTY: true, columns: 100 });
    expect(code).toBe(ExitCode.Complete);
    const problems = writes.filter((w) => w.startsWith("rolechain: "));
    expect(problems).toHaveLength(2);
    expect(problems.join("")).toContain("not-json.json");
    expect(writes.filter((w) => w.startsWith("\rreading logs: ")).length).toBeGreaterThan(5);
    expect(writes.filter((w) => w.startsWith("\rreading logs: ")).every((w) => w.length <= 100)).toBe(true);
    expectNoInterleaving(writes.join(""));
    // The broken files are read mid-scan: a problem line did interrupt a drawn line.
    const interrupted = writes.some((w, i) => w.startsWith("rolechain: ") && writes[i - 1] === CLEAR && writes[i - 2]?.startsWith("\rreading logs: "));
    expect(interrupted).toBe(true);
  });

  for (const [name, stderr, extra] of [
    ["with --quiet", { isTTY: true, columns: 100 }, ["--quiet"]],
    ["with -q", { isTTY: true, columns: 100 }, ["-q"]],
    ["when stderr is not a terminal", { isTTY: false }, []],
  ] as const) {
    it(`prints only the problem lines ${name}`, async () => {
      const { code, writes } = await trace(stderr, [...extra]);
      expect(code).toBe(ExitCode.Complete);
      expect(writes).toHaveLength(2);
      for (const w of writes) expect(w).toMatch(/^rolechain: [^\r\u001b]*\n$/);
    });
  }
});

const hasScript = (spawnSync("script", ["--version"], { encoding: "utf8" }).stdout ?? "").includes("util-linux");
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** A shell command run by util-linux script(1) on a pseudo-terminal; what the terminal received. */
function onTerminal(shellCommand: string): Promise<{ status: number | null; terminal: string }> {
  return new Promise((done, fail) => {
    const child = spawn("script", ["-q", "-e", "-c", shellCommand, "/dev/null"], {
      cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"],
    });
    let terminal = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => { terminal += chunk; });
    child.on("error", fail);
    child.on("close", (status) => done({ status, terminal }));
  });
}

const built = (...args: string[]) => [process.execPath, join(repoRoot, "dist/cli.js"), ...args].map(quote).join(" ");
const sweepArgs = () => ["sweep", "--source", big, "--config", sweepConfig, ...sweepWindow, "--no-trace"];

describe("progress from the built CLI", () => {
  // The runs at once: each sweep scans a few thousand files.
  let pipedSweep: CliRun;
  let pipedTrace: CliRun;
  let terminal = "";

  beforeAll(async () => {
    const [sweepRun, traceRun, terminalRun] = await Promise.all([
      runBuiltCliAsync("cli.js", sweepArgs()),
      runBuiltCliAsync("cli.js", ["trace-role", "--source", mixed, "--event-id", demoEventId]),
      // The same sweep with stderr on a terminal shows the scan is long enough to be drawn.
      hasScript ? onTerminal(`${built(...sweepArgs())} > ${quote(join(dir, "findings.jsonl"))}`) : null,
    ]);
    pipedSweep = sweepRun;
    pipedTrace = traceRun;
    terminal = terminalRun?.terminal ?? "";
  });

  it("prints no progress when stderr is piped (both commands)", () => {
    expect(pipedSweep.status).toBe(ExitCode.SweepNewFindingsPartial);
    expect(pipedSweep.stderr).toMatch(/^(rolechain: [^\r\u001b]*\n){2}rolechain sweep: [^\r\u001b]*\n$/);
    expect(pipedTrace.status).toBe(ExitCode.Complete);
    expect(pipedTrace.stdout).toContain("\"schema\": \"rolechain.trace/v1\"");
    expect(pipedTrace.stderr).toMatch(/^(rolechain: [^\r\u001b]*\n){2}$/);
  });

  it.skipIf(!hasScript)("draws the line when stderr is a terminal (script(1)), erased before the problem and summary lines", () => {
    expect([...terminal.matchAll(DRAW)].length).toBeGreaterThan(0);
    expect(terminal).toMatch(/\rreading logs: [\d,]+\/[\d,]+ files, [\d,]+\/[\d,]+ kB/);
    expect(terminal).toContain("rolechain sweep: ");
    expectNoInterleaving(terminal);
  });
});
