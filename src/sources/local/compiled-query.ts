import { queryNeedles, type EventQuery } from "../../core/event-query.js";

/**
 * An EventQuery prepared for the hot loop: Sets instead of arrays, and its needles as bytes so
 * they can be searched in undecoded file contents.
 */
export interface CompiledQuery {
  query: EventQuery;
  eventIds: ReadonlySet<string> | null;
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
 * than searching, so the pre-filter is switched off.
 */
export const MAX_NEEDLES = 32;

/**
 * The needles of a file: the union over the queries it is read for, or null (parse everything)
 * as soon as one of them has none.
 */
export function needlesForQueries(queries: readonly CompiledQuery[]): readonly Buffer[] | null {
  const distinct = new Map<string, Buffer>();
  for (const query of queries) {
    if (!query.needles) return null;
    for (const needle of query.needles) distinct.set(needle.toString("latin1"), needle);
  }
  return distinct.size > 0 && distinct.size <= MAX_NEEDLES ? [...distinct.values()] : null;
}

export function containsAnyNeedle(text: Buffer, needles: readonly Buffer[]): boolean {
  return needles.some((needle) => text.includes(needle));
}
