import type { EventQuery } from "../../core/event-query.js";
import type { DeliveryTolerance } from "./file-pruning.js";
import type { LogFileFacts } from "./log-file-facts.js";

/**
 * A source's files ordered by the delivery time their paths give, so that a batch whose queries all
 * have a time range looks only at the files that range can reach. A trace's later batches span
 * minutes to hours of a corpus of days or weeks: judging every file by name for each of them cost a
 * warm trace more than reading the few files it needs.
 */
export class FilesByDelivery {
  /** Indices of the files with a delivery interval, by its start. */
  private readonly timed: Int32Array;
  private readonly timedFromMs: Float64Array;
  /** Files whose path gives no time: every batch must look at them. */
  private readonly untimed: number[] = [];
  /** The widest delivery interval (a minute from a file name, a day from the key's folders). */
  private readonly longestSpanMs: number;

  constructor(files: readonly { facts: LogFileFacts }[]) {
    const timed: number[] = [];
    let longestSpanMs = 0;
    files.forEach((file, index) => {
      const delivery = file.facts.delivery;
      if (delivery === null) {
        this.untimed.push(index);
        return;
      }
      timed.push(index);
      longestSpanMs = Math.max(longestSpanMs, delivery.toMs - delivery.fromMs);
    });
    this.longestSpanMs = longestSpanMs;
    const fromMs = (index: number): number => files[index]!.facts.delivery!.fromMs;
    timed.sort((a, b) => fromMs(a) - fromMs(b) || a - b);
    this.timed = Int32Array.from(timed);
    this.timedFromMs = Float64Array.from(timed, fromMs);
  }

  /**
   * The indices, ascending, of every file whose delivery time lets some query of the batch match it
   * (fileMayHoldMatches), and possibly a few more; null when a query has no time range, so every
   * file must be looked at.
   */
  candidates(queries: readonly EventQuery[], tolerance: DeliveryTolerance): number[] | null {
    let startMs = Infinity;
    let endMs = -Infinity;
    for (const query of queries) {
      if (!query.timeRange) return null;
      startMs = Math.min(startMs, query.timeRange.startMs);
      endMs = Math.max(endMs, query.timeRange.endMs);
    }
    // fileMayHoldMatches prunes a file when delivery.toMs < start - skew or delivery.fromMs > end + slack;
    // toMs is at most fromMs + longestSpanMs.
    const first = lowerBound(this.timedFromMs, startMs - tolerance.clockSkewMs - this.longestSpanMs);
    const end = upperBound(this.timedFromMs, endMs + tolerance.deliverySlackMs);
    const found = Array.from(this.timed.subarray(first, Math.max(first, end)));
    found.push(...this.untimed);
    return found.sort((a, b) => a - b);
  }
}

/** The first position whose value is >= target. */
function lowerBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first position whose value is > target. */
function upperBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}
