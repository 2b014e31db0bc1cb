import type { EventQuery } from "../../core/event-query.js";
import type { LogFileFacts } from "./log-file-facts.js";

/** How far a file's delivery time may stray from the event times inside it. */
export interface DeliveryTolerance {
  /** CloudTrail delivers within minutes on average, "not guaranteed": occasionally hours later. */
  deliverySlackMs: number;
  /** A file may hold records stamped slightly after its own name time. */
  clockSkewMs: number;
}

export const DEFAULT_DELIVERY_TOLERANCE: DeliveryTolerance = {
  deliverySlackMs: 12 * 3_600_000,
  clockSkewMs: 15 * 60_000,
};

/**
 * Whether a file could hold a record matching the query, judged by its path alone. A file
 * delivered at D holds events from (D - slack) to (D + skew): it is read when that span meets the
 * query's range and its account (when the path names one) is among the query's accounts.
 * Files whose path says nothing are always read.
 */
export function fileMayHoldMatches(facts: LogFileFacts, query: EventQuery, tolerance: DeliveryTolerance): boolean {
  if (facts.accountId !== null && query.accountIds && !query.accountIds.includes(facts.accountId)) return false;
  const range = query.timeRange;
  if (facts.delivery && range) {
    if (facts.delivery.toMs < range.startMs - tolerance.clockSkewMs) return false;
    if (facts.delivery.fromMs > range.endMs + tolerance.deliverySlackMs) return false;
  }
  return true;
}

/** Indices of the queries a file must be read for; empty means the file is pruned. */
export function queriesForFile(
  facts: LogFileFacts, queries: readonly EventQuery[], tolerance: DeliveryTolerance,
): number[] {
  const applicable: number[] = [];
  queries.forEach((query, index) => {
    if (fileMayHoldMatches(facts, query, tolerance)) applicable.push(index);
  });
  return applicable;
}

/**
 * Whether every record the file can hold (by its path's delivery time) falls inside the range: then
 * a time check on the file's content cannot rule it out, and need not be made.
 */
export function fileWithinRange(facts: LogFileFacts, range: { startMs: number; endMs: number }, tolerance: DeliveryTolerance): boolean {
  if (!facts.delivery) return false;
  return facts.delivery.fromMs - tolerance.deliverySlackMs >= range.startMs && facts.delivery.toMs + tolerance.clockSkewMs <= range.endMs;
}
