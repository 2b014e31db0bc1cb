import { spawn, spawnSync } from "node:child_process";
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

/**
 * The built command without blocking this process: needed when the test itself hosts the server
 * the command talks to (a local S3 or CloudTrail endpoint). `input` is written to its stdin.
 */
export function runBuiltCliAsync(
  bin: "cli.js" | "trace-role-bin.js", args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string,
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(repoRoot, "dist", bin), ...args], {
      env: { ...withoutAwsSettings(process.env), NO_COLOR: "1", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
    if (input !== undefined) child.stdin.write(input);
    child.stdin.end();
  });
}

/** The machine's own AWS settings (profiles, keys, endpoints) must never reach a test's command. */
function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("AWS_") || name === "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"));
}
