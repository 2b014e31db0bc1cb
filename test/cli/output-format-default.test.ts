import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { ExitCode } from "../../src/cli/exit-codes.js";

// --format defaults to the table on a terminal and to JSON when piped; decided by stdout.isTTY.
const demoEventId = "0da3f38a-0e62-48fa-ab53-b0572bc65aca";

async function run(isTTY: boolean, extra: string[] = []) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["trace-role", "--source", "fixtures/sample/logs", "--event-id", demoEventId, ...extra], {
    stdout: { isTTY, columns: 120, write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
  });
  return { code, stdout, stderr };
}

describe("trace-role output format", () => {
  it("is a table on a terminal", async () => {
    const { code, stdout } = await run(true);
    expect(code).toBe(ExitCode.Complete);
    expect(stdout).toMatch(/^Subject {3}2026-11-16T23:26:54Z/);
    expect(stdout).toContain("┌");
    expect(stdout).toContain("Chain     complete: 3 hop(s)");
    // The table respects the terminal's width.
    for (const line of stdout.split("\n").filter((l) => /^[┌│└├]/.test(l))) expect(line.length).toBeLessThanOrEqual(120);
  });

  it("is JSON when piped, and --format overrides either way", async () => {
    const piped = await run(false);
    expect(JSON.parse(piped.stdout).schema).toBe("rolechain.trace/v1");
    const forcedJson = await run(true, ["--format", "json"]);
    expect(JSON.parse(forcedJson.stdout).hops).toHaveLength(3);
    const forcedTable = await run(false, ["--format", "table"]);
    expect(forcedTable.stdout).toContain("Origin    SAMLUser priya@example.com");
  });
});
