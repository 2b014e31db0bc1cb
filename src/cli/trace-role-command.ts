import type { Argv } from "yargs";
import { parseCloudTrailTime } from "../core/cloudtrail-time.js";
import { DEFAULT_MAX_HOPS } from "../core/trace/trace-options.js";
import { UsageError, type CliIo } from "./cli-io.js";
import { durationFlag } from "./duration-flag.js";
import { awsFlagOptions, type AwsFlagArgs } from "./aws-flags.js";
import { indexFlagOptions, type IndexFlagArgs } from "./index-flags.js";
import { ExitCode } from "./exit-codes.js";

/** --quiet on both commands. */
export const QUIET_DESCRIPTION = "No progress line on stderr (problems and errors are still printed)";

export interface TraceRoleArgs extends AwsFlagArgs, IndexFlagArgs {
  eventId: string;
  source: string[];
  format?: "table" | "json";
  lookback: string;
  at?: string;
  deliverySlack: string;
  maxHops: number;
  /** --quiet; absent means false. */
  quiet?: boolean;
}

/** Flags shared by `rolechain trace-role` and the `trace-role` bin. */
export function traceRoleOptions<T>(y: Argv<T>) {
  return indexFlagOptions(awsFlagOptions(y
    .option("event-id", { type: "string", demandOption: true, describe: "eventID of the suspicious CloudTrail event" })
    .option("source", { type: "string", array: true, demandOption: true, describe: "CloudTrail logs: a directory (read recursively) or file, s3://BUCKET[/PREFIX] of a trail, or cloudtrail[:REGION,…] (LookupEvents); repeatable" })
    .option("format", { choices: ["table", "json"] as const, describe: "Output format (default: table on a terminal, json otherwise)" })
    .option("lookback", { type: "string", default: "12h", describe: "How far back to look for an issuing AssumeRole when a session has no creationDate" })
    .option("at", { type: "string", describe: "Approximate time of the subject event (ISO 8601); lets the search skip files" })
    .option("delivery-slack", { type: "string", default: "12h", describe: "How late CloudTrail may deliver a record after it happened" })
    .option("max-hops", { type: "number", default: DEFAULT_MAX_HOPS, describe: "Stop after this many hops" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: QUIET_DESCRIPTION })));
}

export async function runTraceRole(args: TraceRoleArgs, io: CliIo): Promise<ExitCode> {
  const lookbackMs = durationFlag("--lookback", args.lookback);
  const deliverySlackMs = durationFlag("--delivery-slack", args.deliverySlack);
  const atMs = args.at === undefined ? null : parseCloudTrailTime(args.at);
  if (args.at !== undefined && atMs === null) throw new UsageError(`--at: "${args.at}" is not an ISO 8601 time such as 2026-11-17T10:22:05Z`);
  if (!Number.isInteger(args.maxHops) || args.maxHops < 1) throw new UsageError("--max-hops must be a positive whole number");
  const format = args.format ?? (io.stdout.isTTY ? "table" : "json");
  // Loaded here, not at start-up: `--help` must stay fast.
  const [{ openSources, parseSourceSpecs }, { needsTimeHint }] = await Promise.all([
    import("./open-sources.js"),
    import("./source-spec.js"),
  ]);
  const specs = parseSourceSpecs(args.source);
  const timed = specs.find(needsTimeHint);
  if (atMs === null && timed) {
    throw new UsageError(`--at is needed with an ${timed.kind}:// source: its logs are found by time; give the subject event's approximate time (its eventTime)`);
  }

  const [{ traceRoleChain }, { terminalSafe }, { createProgressDisplay }] = await Promise.all([
    import("../core/trace/trace-role-chain.js"),
    import("../report/terminal-text.js"),
    import("./progress-display.js"),
  ]);
  const progress = createProgressDisplay(io.stderr, { quiet: args.quiet });
  let report;
  try {
    const source = await openSources(specs, {
      deliverySlackMs,
      aws: args,
      index: args,
      // Problems arrive mid-scan: the progress line goes first, so the two never share a line.
      say: (line) => progress.write(`rolechain: ${terminalSafe(line)}\n`),
      onProgress: progress.onProgress,
      ...(io.openStdin ? { openStdin: io.openStdin } : {}),
      promptOutput: progress, // the MFA prompt, also after erasing the line
    });
    if (!source) return ExitCode.SourceUnreadable;
    report = await traceRoleChain(source, { eventId: args.eventId, atMs, lookbackMs, maxHops: args.maxHops });
    await source.close?.();
  } finally {
    // Also on a throw: the error message must not be appended to a half-drawn line.
    progress.done();
  }
  if (format === "json") {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const { renderTraceTable } = await import("../report/render-trace-table.js");
    io.stdout.write(renderTraceTable(report, { columns: io.stdout.columns ?? 140 }));
  }
  if (!report.subject) return ExitCode.SubjectNotFound;
  return report.complete ? ExitCode.Complete : ExitCode.Incomplete;
}
