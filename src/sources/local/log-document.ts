import { isJsonObject, ownField, type JsonObject } from "../../core/json-value.js";

/**
 * What one parsed JSON value from a file is. The shapes people hand an IR tool:
 * - `{"Records":[…]}`: a trail log file as CloudTrail writes it to S3;
 * - `{"Events":[{…,"CloudTrailEvent":"<json>"}],"NextToken"?}`: `aws cloudtrail lookup-events` output;
 * - `[record, …]`: an export as a JSON array;
 * - a single record (also each line of NDJSON);
 * - a digest file (`digestStartTime` + `logFiles`): hashes, no events, ignored.
 */
export type LogDocument =
  | { kind: "records"; format: "trail" | "array" | "record"; records: readonly unknown[] }
  | { kind: "lookup-events"; entries: readonly unknown[] }
  | { kind: "digest" }
  | { kind: "not-cloudtrail"; reason: string };

// A record has at least one of these; anything else without Records/Events is not CloudTrail.
const RECORD_MARKERS = ["eventVersion", "eventID", "eventName", "eventSource", "eventTime"] as const;

export function classifyLogDocument(value: unknown): LogDocument {
  if (Array.isArray(value)) return { kind: "records", format: "array", records: value };
  if (!isJsonObject(value)) return { kind: "not-cloudtrail", reason: `top-level JSON is ${jsonTypeName(value)}` };

  const records = ownField(value, "Records");
  if (records !== undefined) {
    return Array.isArray(records)
      ? { kind: "records", format: "trail", records }
      : { kind: "not-cloudtrail", reason: `"Records" is ${jsonTypeName(records)}, not an array` };
  }
  const events = ownField(value, "Events");
  if (events !== undefined) {
    return Array.isArray(events)
      ? { kind: "lookup-events", entries: events }
      : { kind: "not-cloudtrail", reason: `"Events" is ${jsonTypeName(events)}, not an array` };
  }
  if (ownField(value, "digestStartTime") !== undefined && ownField(value, "logFiles") !== undefined) {
    return { kind: "digest" };
  }
  if (RECORD_MARKERS.some((key) => ownField(value, key) !== undefined)) {
    return { kind: "records", format: "record", records: [value] };
  }
  return { kind: "not-cloudtrail", reason: `no Records/Events array (keys: ${describeKeys(value)})` };
}

export type LookupEntryRecord = { ok: true; raw: unknown } | { ok: false; reason: string };

/** LookupEvents carries the full record as a JSON *string* in CloudTrailEvent (cloudtrail-facts §6). */
export function recordFromLookupEntry(entry: unknown): LookupEntryRecord {
  const embedded = ownField(entry, "CloudTrailEvent");
  if (isJsonObject(embedded)) return { ok: true, raw: embedded };
  if (typeof embedded !== "string") return { ok: false, reason: "LookupEvents entry has no CloudTrailEvent" };
  try {
    return { ok: true, raw: JSON.parse(embedded) as unknown };
  } catch (error) {
    return { ok: false, reason: `CloudTrailEvent is not JSON: ${(error as Error).message}` };
  }
}

function jsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function describeKeys(value: JsonObject): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return "none";
  const shown = keys.slice(0, 5).map((key) => key.slice(0, 40)).join(", ");
  return keys.length > 5 ? `${shown}, …` : shown;
}
