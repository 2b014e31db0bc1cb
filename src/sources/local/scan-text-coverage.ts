import { parseCloudTrailTime } from "../../core/cloudtrail-time.js";
import type { CoverageAccumulator } from "./coverage-accumulator.js";

/**
 * Coverage of a JSON text that the needle pre-filter skipped, without parsing it: a byte search
 * for the string values of eventTime (and, when the path did not say, recipientAccountId and
 * awsRegion). Without it, an eventID search that finds nothing would report having examined
 * nothing. Handles compact and pretty-printed JSON and LookupEvents' escaped CloudTrailEvent
 * strings (\"eventTime\":\"…\"). A nested key of the same name could widen the span a little;
 * coverage describes the search, it never filters results.
 */
export function scanTextCoverage(
  text: Buffer, into: CoverageAccumulator, want: { accounts: boolean; regions: boolean },
  knownTimes: { earliestMs: number | null; latestMs: number | null } | null = null,
): void {
  if (knownTimes) {
    // Complete text keys (text-keys.ts) found the same eventTime values this would.
    into.addEventTime(knownTimes.earliestMs);
    into.addEventTime(knownTimes.latestMs);
  } else {
    addEventTimes(text, into);
  }
  if (want.accounts) {
    forEachStringValue(text, RECIPIENT_ACCOUNT_ID, (start, end) => into.addAccount(text.toString("latin1", start, end)));
  }
  if (want.regions) {
    forEachStringValue(text, AWS_REGION, (start, end) => into.addRegion(text.toString("latin1", start, end)));
  }
}

function addEventTimes(text: Buffer, into: CoverageAccumulator): void {
  // Canonical stamps ("2026-11-17T10:20:05Z") order like their bytes: keep the extremes by
  // position and parse just those two. Other forms are parsed one by one.
  let earliest = -1;
  let latest = -1;
  forEachStringValue(text, EVENT_TIME, (start, end) => {
    if (!isCanonicalStamp(text, start, end)) {
      into.addEventTime(parseCloudTrailTime(text.toString("latin1", start, end)));
      return;
    }
    if (earliest === -1 || compareStamps(text, start, earliest) < 0) earliest = start;
    if (latest === -1 || compareStamps(text, start, latest) > 0) latest = start;
  });
  for (const at of [earliest, latest]) {
    if (at !== -1) into.addEventTime(parseCloudTrailTime(text.toString("latin1", at, at + CANONICAL_STAMP_BYTES)));
  }
}

const EVENT_TIME = Buffer.from("eventTime");
const RECIPIENT_ACCOUNT_ID = Buffer.from("recipientAccountId");
const AWS_REGION = Buffer.from("awsRegion");

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
// Timestamps, account ids and region names are short; a longer value is not one of them.
const MAX_VALUE_BYTES = 64;

/** Calls back with the byte range of every string value of `"key"` (or `\"key\"`) in the text. */
function forEachStringValue(text: Buffer, key: Buffer, onValue: (start: number, end: number) => void): void {
  let from = 0;
  for (let at = text.indexOf(key, from); at !== -1; at = text.indexOf(key, from)) {
    from = at + key.length;
    if (text[at - 1] !== QUOTE) continue;
    let p = skipEscape(text, at + key.length);
    if (text[p] !== QUOTE) continue;
    p = skipWhitespace(text, p + 1);
    if (text[p] !== COLON) continue;
    p = skipEscape(text, skipWhitespace(text, p + 1));
    if (text[p] !== QUOTE) continue;
    const start = p + 1;
    const limit = Math.min(text.length, start + MAX_VALUE_BYTES);
    let end = start;
    while (end < limit && text[end] !== QUOTE && text[end] !== BACKSLASH) end++;
    if (end === limit || end === start) continue;
    onValue(start, end);
    from = end;
  }
}

const CANONICAL_STAMP_BYTES = 20;

function isCanonicalStamp(text: Buffer, start: number, end: number): boolean {
  return end - start === CANONICAL_STAMP_BYTES && text[start + 4] === 0x2d && text[start + 10] === 0x54
    && text[start + 13] === 0x3a && text[start + 19] === 0x5a;
}

function compareStamps(text: Buffer, a: number, b: number): number {
  for (let i = 0; i < CANONICAL_STAMP_BYTES; i++) {
    const difference = (text[a + i] as number) - (text[b + i] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

function skipEscape(text: Buffer, p: number): number {
  return text[p] === BACKSLASH ? p + 1 : p;
}

function skipWhitespace(text: Buffer, p: number): number {
  let q = p;
  while (text[q] === 0x20 || text[q] === 0x09 || text[q] === 0x0a || text[q] === 0x0d) q++;
  return q;
}
