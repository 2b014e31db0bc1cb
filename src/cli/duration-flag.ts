import { parseDuration } from "../core/cloudtrail-time.js";
import { UsageError } from "./cli-io.js";

/** A duration flag ("90m", "12h", "2d") in ms, or a UsageError naming the flag. */
export function durationFlag(flag: string, value: string, options: { allowZero?: boolean } = {}): number {
  const ms = parseDuration(value);
  if (ms === null || ms < 0 || (!options.allowZero && ms === 0)) {
    throw new UsageError(`${flag}: "${value}" is not a duration such as 90m, 12h or 2d`);
  }
  return ms;
}
