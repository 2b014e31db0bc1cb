import { Writable } from "node:stream";
import type { Argv } from "yargs";
import type { Detector } from "../sweep/run-sweep.js";
import { UsageError, type CliIo } from "./cli-io.js";
import { durationFlag } from "./duration-flag.js";
import { awsFlagOptions, type AwsFlagArgs } from "./aws-flags.js";
import { indexFlagOptions, type IndexFlagArgs } from "./index-flags.js";
import { ExitCode } from "./exit-codes.js";
import { QUIET_DESCRIPTION } from "./trace-role-command.js";

const FORMATS = ["table", "json", "jsonl", "ocsf"] as const;

export interface SweepArgs extends AwsFlagArgs, IndexFlagArgs {
  source: string[];
  config: string;
  since?: string;
  until?: string;
  state?: string;
  overlap?: string;
  format?: (typeof FORMATS)[number];
  deliverySlack: string;
  trace: boolean;
  /** --quiet; absent means false. */
  quiet?: boolean;
}

/** What tests may replace; the CLI always uses the defaults. */
export interface SweepCommandDeps {
  /** Makes the detection core (default: src/core/sweep createFindingDetector). */
  detect?: Detector;
  now?: () => number;
  /** How long to wait for another run's lock on --state (default 2 s). */
  lockWaitMs?: number;
}

export function sweepOptions<T>(y: Argv<T>) {
  return indexFlagOptions(awsFlagOptions(y
    .option("source", { type: "string", array: true, demandOption: true, describe: "CloudTrail logs: a directory (read recursively) or file, s3://BUCKET[/PREFIX] of a trail, or cloudtrail[:REGION,…] (LookupEvents); repeatable" })
    .option("config", { type: "string", demandOption: true, describe: "Sweep config (JSON): trusted accounts and allowed outside callers; see docs/sweep.md" })
    .option("since", { type: "string", describe: "Window start: a duration before --until (24h, 7d) or an ISO 8601 time (default 24h; with an existing --state, the state decides)" })
    .option("until", { type: "string", describe: "Window end (ISO 8601; default now)" })
    .option("state", { type: "string", describe: "State file for scheduled runs: start where the last run ended (less the overlap) and never report a finding twice" })
    .option("overlap", { type: "string", describe: "With --state: how far before the last run's end to start (overrides the config's overlap; default 1h)" })
    .option("format", { choices: FORMATS, describe: "Output format (default: table on a terminal, jsonl otherwise)" })
    .option("delivery-slack", { type: "string", default: "12h", describe: "How late CloudTrail may deliver a record after it happened (which files are read)" })
    .option("trace", { type: "boolean", default: true, describe: "Trace the chain behind each caller (--no-trace to skip)" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: QUIET_DESCRIPTION })));
}

/** `rolechain sweep`: docs/sweep.md. Returns the exit code; findings are printed before it returns. */
export async function runSweepCommand(args: SweepArgs, io: CliIo, deps: SweepCommandDeps = {}): Promise<ExitCode> {
  const deliverySlackMs = durationFlag("--delivery-slack", args.deliverySlack);
  const overlapFlagMs = args.overlap === undefined ? null : durationFlag("--overlap", args.overlap, { allowZero: true });
  const format = args.format ?? (io.stdout.isTTY ? "table" : "jsonl");
  const now = deps.now ?? Date.now;

  // Loaded here, not at start-up: `--help` must stay fast.
  const [
    { loadSweepConfig, SweepConfigError },
    { acquireStateLock, StateLockedError },
    { terminalSafe },
  ] = await Promise.all([
    import("../sweep/load-sweep-config.js"),
    import("../sweep/state-lock.js"),
    import("../report/terminal-text.js"),
  ]);
  const say = (line: string) => io.stderr.write(`rolechain: ${terminalSafe(line)}\n`);

  let loaded;
  try {
    loaded = await loadSweepConfig(args.config);
  } catch (error) {
    if (error instanceof SweepConfigError) {
      error.lines.forEach(say);
      return ExitCode.Usage;
    }
    throw error;
  }
  const overlapMs = overlapFlagMs ?? loaded.overlapMs;

  let lock = null;
  if (args.state !== undefined) {
    try {
      lock = await acquireStateLock(args.state, { waitMs: deps.lockWaitMs });
    } catch (error) {
      if (error instanceof StateLockedError) {
        say(error.message);
        return ExitCode.SweepStateLocked;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EACCES" || code === "EPERM" || code === "ENOTDIR" || code === "EROFS") {
        say(`--state: cannot create the lock file next to ${args.state}: ${(error as Error).message}`);
        return ExitCode.Usage;
      }
      throw error;
    }
  }
  try {
    return await sweepHoldingLock(args, io, { config: loaded.config, overlapMs, deliverySlackMs, format, now, detect: deps.detect, say });
  } finally {
    await lock?.release();
  }
}

interface Prepared {
  config: import("../schema/sweep-config.js").SweepConfig;
  overlapMs: number;
  deliverySlackMs: number;
  format: (typeof FORMATS)[number];
  now: () => number;
  detect: Detector | undefined;
  say: (line: string) => void;
}

async function sweepHoldingLock(args: SweepArgs, io: CliIo, p: Prepared): Promise<ExitCode> {
  const [
    { readSweepState, advanceSweepState, writeSweepState, watermarkMs, SweepStateFileError },
    { resolveSweepWindow, WindowError },
    { runSweep },
    { renderSweepOutput },
    { packageVersion },
  ] = await Promise.all([
    import("../sweep/sweep-state.js"),
    import("../sweep/sweep-window.js"),
    import("../sweep/run-sweep.js"),
    import("../report/render-finding-output.js"),
    import("../sweep/package-version.js"),
  ]);

  let state = null;
  if (args.state !== undefined) {
    try {
      state = await readSweepState(args.state);
    } catch (error) {
      if (error instanceof SweepStateFileError) {
        p.say(error.message);
        return ExitCode.Usage;
      }
      throw error;
    }
  }

  let window;
  try {
    window = resolveSweepWindow({
      since: args.since, until: args.until, watermarkMs: state ? watermarkMs(state) : null, overlapMs: p.overlapMs, nowMs: p.now(),
    });
  } catch (error) {
    if (error instanceof WindowError) throw new UsageError(error.message);
    throw error;
  }

  const [{ openSources, parseSourceSpecs }, { createProgressDisplay }] = await Promise.all([
    import("./open-sources.js"),
    import("./progress-display.js"),
  ]);
  const specs = parseSourceSpecs(args.source);
  // Created here, after any wait for the lock: its clock times the first batch of reads.
  const progress = createProgressDisplay(io.stderr, { quiet: args.quiet });
  let source;
  let result;
  try {
    source = await openSources(specs, {
      deliverySlackMs: p.deliverySlackMs,
      aws: args,
      index: args,
      // Problems arrive mid-scan: the progress line goes first, so the two never share a line.
      say: (line) => {
        progress.clear();
        p.say(line);
      },
      onProgress: progress.onProgress,
      ...(io.openStdin ? { openStdin: io.openStdin } : {}),
      promptOutput: progress, // the MFA prompt, also after erasing the line
    });
    if (!source) return ExitCode.SourceUnreadable;
    result = await runSweep(source, {
      config: p.config,
      window,
      alreadyReported: new Set(Object.keys(state?.reported ?? {})),
      trace: args.trace,
    }, p.detect);
    await source.close?.();
  } finally {
    // Before the findings and the summary, and also on a throw: nothing may land on a half-drawn line.
    progress.done();
  }

  const text = renderSweepOutput(p.format, { sources: [source.label], ...result }, {
    version: packageVersion(),
    columns: io.stdout.columns ?? 140,
    fallbackTimeMs: window.endMs,
  });
  try {
    await writeFully(io.stdout, text);
  } catch (error) {
    p.say(`cannot write the findings to stdout: ${(error as Error).message}${args.state ? "; the state file was left as it was" : ""}`);
    return ExitCode.InternalError;
  }

  // Only now, with the findings out, may the state move on.
  if (args.state !== undefined) {
    const next = advanceSweepState(state, window.endMs, result.findings, p.overlapMs);
    try {
      await writeSweepState(args.state, next);
    } catch (error) {
      p.say(`${args.state}: cannot write the state file: ${(error as Error).message}; the next run will start from the previous watermark and may report these findings again`);
      return ExitCode.InternalError;
    }
  }

  const { summary } = result;
  io.stderr.write(`rolechain sweep: ${summary.eventsScanned.toLocaleString("en-US")} events ${window.from} … ${window.to}, `
    + `${summary.findings} finding${summary.findings === 1 ? "" : "s"} (${summary.newFindings} new), `
    + `${summary.skippedFiles} file${summary.skippedFiles === 1 ? "" : "s"} skipped\n`);

  const hasNew = summary.newFindings > 0;
  const partial = summary.skippedFiles > 0;
  if (hasNew && partial) return ExitCode.SweepNewFindingsPartial;
  if (hasNew) return ExitCode.SweepNewFindings;
  if (partial) return ExitCode.SourceUnreadable;
  return ExitCode.SweepNoNewFindings;
}

/**
 * Resolves once the text was handed to the OS (a pipe, a file, a terminal), so the state never
 * advances past findings that were not delivered (EPIPE: the reader went away).
 */
async function writeFully(stdout: CliIo["stdout"], text: string): Promise<void> {
  if (text === "") return;
  if (!(stdout instanceof Writable)) {
    stdout.write(text);
    return;
  }
  // The stream also emits 'error' after the callback; without a listener that would crash the process.
  if (stdout.listenerCount("error") === 0) stdout.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
