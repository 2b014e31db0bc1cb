import type { EventQuery, TimeRange } from "../../core/event-query.js";
import { parseAssumedRoleArn } from "../../core/issuing-events.js";

/** LookupEvents serves the last 90 days of management events, nothing older (facts §6). */
export const EVENT_HISTORY_DAYS = 90;
export const EVENT_HISTORY_MS = EVENT_HISTORY_DAYS * 24 * 3_600_000;
export const STS_EVENT_SOURCE = "sts.amazonaws.com";

/**
 * Event names logged with eventSource sts.amazonaws.com. Only names certain to be STS's belong here:
 * a name from another service would be silently missed by an EventSource=sts lookup.
 */
export const STS_EVENT_NAMES: ReadonlySet<string> = new Set([
  "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot",
  "GetFederationToken", "GetSessionToken", "GetCallerIdentity", "GetAccessKeyInfo", "DecodeAuthorizationMessage",
]);

/**
 * Up to this window, one EventSource=sts lookup beats one lookup per event name: the few STS events
 * of a short window fit in one page, while per-name costs a call per name. Over long windows
 * GetCallerIdentity (the bulk of most accounts' STS traffic) would fill the EventSource pages instead.
 */
export const STS_SOURCE_MAX_WINDOW_MS = 3_600_000;

export type LookupAttributeKey =
  "EventId" | "EventName" | "ReadOnly" | "Username" | "ResourceType" | "ResourceName" | "EventSource" | "AccessKeyId";

export interface LookupAttributeFilter { key: LookupAttributeKey; value: string }

/** One LookupEvents call (all of its pages): at most one attribute, the API's limit. */
export interface LookupCall {
  /** null: every management event in the window (only planned when the query has a time range). */
  attribute: LookupAttributeFilter | null;
  /** Inclusive, whole epoch seconds: StartTime rounded down and EndTime up, so the window never narrows. */
  startTimeSeconds: number;
  endTimeSeconds: number;
}

export type LookupPlan =
  /** Run `calls` in every account and region searched; `window` is the event-time range they cover. */
  | { kind: "lookups"; calls: LookupCall[]; window: TimeRange; clippedByHistory: boolean }
  /** Nothing the event history holds can match: the range lies entirely before the 90 days or after now. */
  | { kind: "outside-history"; reason: string }
  /** Not run: it would page through all 90 days of every account and region. */
  | { kind: "refused"; reason: string };

/**
 * Turns a query into LookupEvents calls: the single most selective lookup attribute the query
 * allows, inside its time range clamped to the event history. The calls over-fetch; the source
 * filters every returned event with matchesEventQuery, the reference semantics.
 *
 * Attributes not used, and why:
 * - ResourceName = role ARN: the tracer knows sessions by their session ARN, which drops the role's
 *   IAM path, so a rebuilt role ARN misses every role with a path, silently.
 * - AccessKeyId: matches the key that *signed* an event, never the key an AssumeRole issued (facts §6).
 * - sharedEventID, issued keys and session ARNs: LookupEvents cannot filter on them at all.
 */
export function planLookups(query: EventQuery, nowMs: number): LookupPlan {
  const historyStartMs = nowMs - EVENT_HISTORY_MS;
  const range = query.timeRange;
  const window: TimeRange = {
    startMs: Math.max(range?.startMs ?? historyStartMs, historyStartMs),
    endMs: Math.min(range?.endMs ?? nowMs, nowMs),
  };
  if (range && range.endMs < historyStartMs) {
    return { kind: "outside-history", reason: `the range ends before the ${EVENT_HISTORY_DAYS}-day event history starts (${new Date(historyStartMs).toISOString()})` };
  }
  if (window.startMs > window.endMs) {
    return { kind: "outside-history", reason: range && range.startMs > nowMs ? "the range starts after now" : "the range is empty" };
  }
  const attributes = selectiveAttributes(query, window);
  if (attributes === null && !range) {
    return { kind: "refused", reason: "a query with no event id, event name, caller or time range would page through all 90 days; not run" };
  }
  const startTimeSeconds = Math.floor(window.startMs / 1000);
  const endTimeSeconds = Math.ceil(window.endMs / 1000);
  const calls = (attributes ?? [null]).map((attribute) => ({ attribute, startTimeSeconds, endTimeSeconds }));
  return { kind: "lookups", calls, window, clippedByHistory: range !== undefined && range.startMs < historyStartMs };
}

/** The attribute values to look up, one call each; null when the query offers none. */
function selectiveAttributes(query: EventQuery, window: TimeRange): LookupAttributeFilter[] | null {
  if (query.eventIds) return unique(query.eventIds).map((value) => ({ key: "EventId", value }));
  if (query.eventNames) {
    const names = unique(query.eventNames);
    const shortWindow = window.endMs - window.startMs <= STS_SOURCE_MAX_WINDOW_MS;
    if (names.length > 1 && shortWindow && names.every((n) => STS_EVENT_NAMES.has(n))) {
      return [{ key: "EventSource", value: STS_EVENT_SOURCE }];
    }
    return names.map((value) => ({ key: "EventName", value }));
  }
  if (query.callerArns) {
    const usernames = query.callerArns.map(usernameOfCallerArn);
    if (usernames.every((u): u is string => u !== null)) return unique(usernames).map((value) => ({ key: "Username", value }));
  }
  return null;
}

/**
 * The Username LookupEvents shows for events a principal made: the session name for an assumed
 * role (facts §6), the user name for an IAM user. Other principals: unknown, so not used.
 */
export function usernameOfCallerArn(arn: string): string | null {
  const session = parseAssumedRoleArn(arn);
  if (session) return session.sessionName;
  const user = /^arn:[^:]+:iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return user?.[1] ?? null;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
