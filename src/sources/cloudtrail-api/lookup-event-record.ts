import type { Event as LookupEvent } from "@aws-sdk/client-cloudtrail";
import { normalizeRecord, type NormalizeResult, type RecordLocation } from "../../core/cloudtrail-event.js";

/**
 * The record behind one LookupEvents result. Its CloudTrailEvent field is the full record as a JSON
 * string (facts §6); the summary fields beside it (Username, Resources, …) are derived and ignored.
 */
export function recordOfLookupEvent(event: LookupEvent, location: RecordLocation): NormalizeResult {
  const id = event.EventId ?? "(no EventId)";
  if (typeof event.CloudTrailEvent !== "string") return { ok: false, reason: `event ${id} has no CloudTrailEvent` };
  let raw: unknown;
  try {
    raw = JSON.parse(event.CloudTrailEvent);
  } catch (error) {
    return { ok: false, reason: `event ${id}: CloudTrailEvent is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  return normalizeRecord(raw, location);
}
