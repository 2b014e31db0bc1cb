import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");

export interface CliRun { status: number | null; stdout: string; stderr: string }

/** Runs the BUILT command (dist/), as a user would: `npm test` builds first. */
export function runBuiltCli(bin: "cli.js" | "trace-role-bin.js", args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [resolve(repoRoot, "dist", bin), ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
