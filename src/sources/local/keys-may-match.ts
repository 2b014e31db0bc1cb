import type { CompiledQuery } from "./compiled-query.js";

/** What a text's or a file's keys say about the records in it (see text-keys.ts). */
export interface EventKeys {
  /** False: the keys may miss records, and say nothing. */
  complete: boolean;
  earliestMs: number | null;
  latestMs: number | null;
  /** Whether an eventID with this hash may be among the records. */
  holdsEventId(hash: number): boolean;
}

/**
 * False when no record the keys describe can match the query: its eventIDs are not there, or no
 * eventTime falls in its range. Only the two fields the keys hold are judged; true means "read it".
 */
export function keysMayMatch(keys: EventKeys, query: CompiledQuery): boolean {
  if (!keys.complete) return true;
  if (query.eventIdHashes) {
    let found = false;
    for (const hash of query.eventIdHashes) {
      if (keys.holdsEventId(hash)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  const range = query.query.timeRange;
  if (range) {
    // A record without a parseable eventTime never matches a range.
    if (keys.earliestMs === null || keys.latestMs === null) return false;
    if (keys.latestMs < range.startMs || keys.earliestMs > range.endMs) return false;
  }
  return true;
}
