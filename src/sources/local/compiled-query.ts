import { queryNeedles, type EventQuery } from "../../core/event-query.js";
import { hashString } from "./text-keys.js";

/**
 * An EventQuery prepared for the hot loop: Sets instead of arrays, and its needles as bytes so
 * they can be searched in undecoded file contents.
 */
export interface CompiledQuery {
  query: EventQuery;
  eventIds: ReadonlySet<string> | null;
  /** hashString of each eventId, to compare with the keys of a text or an indexed file. */
  eventIdHashes: ReadonlySet<number> | null;
  eventNames: ReadonlySet<string> | null;
  accountIds: ReadonlySet<string> | null;
  sharedEventIds: ReadonlySet<string> | null;
  callerArns: ReadonlySet<string> | null;
  /** Byte strings one of which occurs in every matching record's text; null when the query has none. */
  needles: readonly Buffer[] | null;
}

export function compileQuery(query: EventQuery): CompiledQuery {
  const needles = queryNeedles(query);
  return {
    query,
    eventIds: toSet(query.eventIds),
    eventIdHashes: query.eventIds ? new Set(query.eventIds.map(hashString)) : null,
    eventNames: toSet(query.eventNames),
    accountIds: toSet(query.accountIds),
    sharedEventIds: toSet(query.sharedEventIds),
    callerArns: toSet(query.callerArns),
    needles: needles ? needles.map((needle) => Buffer.from(needle, "utf8")) : null,
  };
}

function toSet(values: readonly string[] | undefined): ReadonlySet<string> | null {
  return values ? new Set(values) : null;
}

/**
 * Searching many needles costs one pass over the text each; past this many, parsing is cheaper
 * than searching, so a query with more is not searched for.
 */
export const MAX_NEEDLES = 32;

export function containsAnyNeedle(text: Buffer, needles: readonly Buffer[]): boolean {
  return needles.some((needle) => text.includes(needle));
}
