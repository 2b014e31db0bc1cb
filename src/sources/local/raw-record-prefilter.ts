import { stringAt, stringField } from "../../core/json-value.js";
import type { CompiledQuery } from "./compiled-query.js";

/** The few fields of a raw record that decide most queries, read once per record. */
export interface RawRecordKeys {
  eventID: string;
  eventName: string;
  eventTimeMs: number | null;
  /** recipientAccountId, else the account the file's path names (as recordAccountId does). */
  accountId: string | null;
}

/**
 * False when the record certainly fails the query, judged on the raw object without normalising
 * it; true means "maybe" and matchesEventQuery decides. Most records of a scan match nothing, so
 * this saves a normalizeRecord allocation per record. Each test mirrors matchesEventQuery's
 * (same field readers), so it never rejects a record the reference semantics would accept.
 */
export function rawRecordMayMatch(raw: unknown, keys: RawRecordKeys, query: CompiledQuery): boolean {
  if (query.eventIds && !query.eventIds.has(keys.eventID)) return false;
  if (query.eventNames && !query.eventNames.has(keys.eventName)) return false;
  if (query.accountIds && (keys.accountId === null || !query.accountIds.has(keys.accountId))) return false;
  const range = query.query.timeRange;
  if (range) {
    const t = keys.eventTimeMs;
    if (t === null || t < range.startMs || t > range.endMs) return false;
  }
  if (query.sharedEventIds && !hasValue(query.sharedEventIds, stringField(raw, "sharedEventID"))) return false;
  if (query.callerArns && !hasValue(query.callerArns, stringAt(raw, "userIdentity", "arn"))) return false;
  return true;
}

function hasValue(values: ReadonlySet<string>, value: string | null): boolean {
  return value !== null && values.has(value);
}
