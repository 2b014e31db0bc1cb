import { formatIsoSeconds, parseCloudTrailTime, parseDuration, toWholeSecond } from "../core/cloudtrail-time.js";
import type { TimeRange } from "../core/event-query.js";

export const DEFAULT_SINCE = "24h";

export interface SweepWindow extends TimeRange {
  /** ISO, whole seconds; both ends inclusive. */
  from: string;
  to: string;
  /** Where the start came from, for the docs' precedence rule and for messages. */
  startedFrom: "state" | "since";
}

export interface WindowInputs {
  /** --since as typed: a duration before the window's end ("24h") or an ISO time; undefined = 24h. */
  since?: string;
  /** --until as typed (ISO); undefined = now. */
  until?: string;
  /** The state's watermark (ms) when a state file exists. */
  watermarkMs: number | null;
  overlapMs: number;
  nowMs: number;
}

/** The window is not usable; the message is one line for the user. */
export class WindowError extends Error {
  override readonly name = "WindowError";
}

/**
 * The time window a sweep reads, whole seconds, both ends inclusive.
 * End: --until, else now. Start: with a state file, its watermark minus the overlap (so --since only
 * shapes the very first run); without one, --since (a duration back from the end, or a time).
 */
export function resolveSweepWindow(inputs: WindowInputs): SweepWindow {
  let endMs = inputs.nowMs;
  if (inputs.until !== undefined) {
    const parsed = parseCloudTrailTime(inputs.until);
    if (parsed === null) throw new WindowError(`--until: "${inputs.until}" is not an ISO 8601 time such as 2026-11-17T00:00:00Z`);
    endMs = parsed;
  }
  endMs = toWholeSecond(endMs);

  let startMs: number;
  let startedFrom: SweepWindow["startedFrom"];
  if (inputs.watermarkMs !== null) {
    startMs = toWholeSecond(inputs.watermarkMs - inputs.overlapMs);
    startedFrom = "state";
  } else {
    const since = inputs.since ?? DEFAULT_SINCE;
    const duration = parseDuration(since);
    const time = duration === null ? parseCloudTrailTime(since) : null;
    if (duration === null && time === null) {
      throw new WindowError(`--since: "${since}" is neither a duration such as 24h nor an ISO 8601 time`);
    }
    startMs = toWholeSecond(duration !== null ? endMs - duration : (time ?? 0));
    startedFrom = "since";
  }
  if (startMs >= endMs) {
    throw new WindowError(startedFrom === "state"
      ? `--until ${formatIsoSeconds(endMs)} is not after the state's watermark minus the overlap (${formatIsoSeconds(startMs)})`
      : `--until (${formatIsoSeconds(endMs)}) must be after --since (${formatIsoSeconds(startMs)})`);
  }
  return { startMs, endMs, from: formatIsoSeconds(startMs), to: formatIsoSeconds(endMs), startedFrom };
}
