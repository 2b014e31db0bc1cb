/** Wall-clock timing of child processes, and the median of repeated runs. */
import { spawn, type StdioOptions } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export interface TimedRun {
  seconds: number;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface TimedProcessOptions {
  /** A file given to the process as its stdin (a NUL-separated file list for xargs). */
  stdinFile?: string;
  /** Send stdout to /dev/null instead of capturing it. */
  discardStdout?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs a command to its end; `seconds` is wall time from spawn to exit. Never throws on a non-zero exit. */
export function runTimed(command: string, args: readonly string[], options: TimedProcessOptions = {}): Promise<TimedRun> {
  const stdinFd = options.stdinFile === undefined ? null : openSync(options.stdinFile, "r");
  const stdio: StdioOptions = [stdinFd ?? "ignore", options.discardStdout ? "ignore" : "pipe", "pipe"];
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio, env: options.env ?? process.env, ...(options.cwd ? { cwd: options.cwd } : {}) });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => {
      if (stdinFd !== null) closeSync(stdinFd);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (stdinFd !== null) closeSync(stdinFd);
      resolvePromise({
        seconds, exitCode, signal, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}

/** Peak RSS in MB that bench/report-max-rss.cjs printed on the process's stderr, or null. */
export function peakRssMb(run: TimedRun): number | null {
  const kb = /rolechain-bench maxRSS=(\d+)/.exec(run.stderr)?.[1];
  return kb === undefined ? null : Number(kb) / 1024;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One line of what went wrong with a run, for an error message. */
export function describeFailure(what: string, run: TimedRun): string {
  const tail = run.stderr.trim().split("\n").slice(-5).join(" | ");
  return `${what}: exit ${run.exitCode ?? run.signal} after ${run.seconds.toFixed(1)} s${tail ? `: ${tail}` : ""}`;
}
