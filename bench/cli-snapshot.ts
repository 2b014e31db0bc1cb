/**
 * A private copy of the built CLI for one bench run, so that every figure of the run comes from the
 * same build even when dist/ is rebuilt meanwhile. Kept at bench/.cache/cli-snapshot/{dist,package.json}:
 * the same layout as the repository (package.json two folders up from dist/sweep), and node_modules
 * still found by walking up to the repository's.
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { runTimed } from "./timed-process.js";

export interface CliSnapshot {
  cliPath: string;
  /** Which source the build came from: commit, and whether src/ had uncommitted changes. */
  build: string;
}

export async function snapshotBuiltCli(root: string, benchDir: string): Promise<CliSnapshot> {
  const dist = resolve(root, "dist");
  if (!existsSync(join(dist, "cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` first");
  const snapshot = resolve(benchDir, ".cache", "cli-snapshot");
  rmSync(snapshot, { recursive: true, force: true });
  cpSync(dist, join(snapshot, "dist"), { recursive: true });
  cpSync(resolve(root, "package.json"), join(snapshot, "package.json"));
  return { cliPath: join(snapshot, "dist", "cli.js"), build: await describeBuild(root) };
}

async function describeBuild(root: string): Promise<string> {
  const git = async (...args: string[]) => (await runTimed("git", ["-C", root, ...args])).stdout.trim();
  const commit = await git("log", "-1", "--format=%h %s");
  const changed = (await git("status", "--porcelain", "--", "src")).split("\n").filter((l) => l !== "").length;
  return `${commit || "unknown commit"}${changed > 0 ? ` (+ ${changed} uncommitted change${changed === 1 ? "" : "s"} in src/)` : ""}`;
}
