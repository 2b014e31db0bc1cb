import { parseCloudTrailTime } from "../../core/cloudtrail-time.js";

/**
 * The keys of one JSON text that decide most queries, found by a byte search instead of a parse:
 * every eventID (hashed) and the span of every eventTime. They let a scan skip parsing a text, and
 * a file's keys let the next run skip reading the file (see local-index.ts).
 *
 * Sound, not exact: every record's own eventID and eventTime are found (nested keys of the same name
 * are found too, which only widens the keys). When a record's eventID or eventTime could be written
 * in a way this search does not see, `complete` is false and the keys must not be used to skip:
 * - a key written with an escape: JSON may spell a letter as \u0065, and a record embedded in a
 *   string (LookupEvents' CloudTrailEvent) has its keys as \"eventID\";
 * - a value with an escape in it, whose bytes are not its text.
 * Otherwise the key is the raw bytes `"eventID"` between unescaped quotes, which this finds.
 */
export interface TextKeys {
  /** FNV-1a hashes (see hashBytes) of every eventID string value. */
  eventIdHashes: number[];
  /** Earliest and latest parseable eventTime, in ms; null when none. */
  earliestMs: number | null;
  latestMs: number | null;
  complete: boolean;
}

export function scanTextKeys(text: Buffer): TextKeys {
  const keys: TextKeys = { eventIdHashes: [], earliestMs: null, latestMs: null, complete: !hasEscapedLetter(text) };
  forEachKeyValue(text, EVENT_ID, (start, end) => {
    if (end < 0) keys.complete = false;
    else keys.eventIdHashes.push(hashBytes(text, start, end));
  });
  // Canonical stamps ("2026-11-17T10:20:05Z") order like their bytes: keep the extremes by
  // position and parse just those two. Other forms are parsed one by one.
  let earliest = -1;
  let latest = -1;
  const addTime = (ms: number | null): void => {
    if (ms === null) return;
    if (keys.earliestMs === null || ms < keys.earliestMs) keys.earliestMs = ms;
    if (keys.latestMs === null || ms > keys.latestMs) keys.latestMs = ms;
  };
  forEachKeyValue(text, EVENT_TIME, (start, end) => {
    if (end < 0) {
      keys.complete = false;
      return;
    }
    if (!isCanonicalStamp(text, start, end)) {
      addTime(parseCloudTrailTime(text.toString("latin1", start, end)));
      return;
    }
    if (earliest === -1 || compareStamps(text, start, earliest) < 0) earliest = start;
    if (latest === -1 || compareStamps(text, start, latest) > 0) latest = start;
  });
  for (const at of [earliest, latest]) {
    if (at !== -1) addTime(parseCloudTrailTime(text.toString("latin1", at, at + CANONICAL_STAMP_BYTES)));
  }
  return keys;
}

/** 32-bit FNV-1a of bytes [start, end): cheap, and a collision only costs a needless read. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** hashBytes of the string's UTF-8 bytes; ASCII (every real eventID) without encoding it. */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) {
      const bytes = Buffer.from(value, "utf8");
      return hashBytes(bytes, 0, bytes.length);
    }
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const EVENT_ID = Buffer.from("eventID");
const EVENT_TIME = Buffer.from("eventTime");
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * Calls back with the byte range of the string value of every `"key":` in the text; end is -1
 * when the key or its value is written with escapes (the caller must then give up on exactness).
 * Non-string values are not reported: a record whose eventID or eventTime is not a string matches
 * no query on it.
 */
function forEachKeyValue(text: Buffer, key: Buffer, onValue: (start: number, end: number) => void): void {
  let from = 0;
  for (let at = text.indexOf(key, from); at !== -1; at = text.indexOf(key, from)) {
    from = at + key.length;
    const before = text[at - 1];
    const after = text[at + key.length];
    if (after === BACKSLASH) {
      onValue(at, -1); // \"eventID\": a record inside a string
      continue;
    }
    if (before !== QUOTE || after !== QUOTE) continue;
    let p = skipWhitespace(text, at + key.length + 1);
    if (text[p] !== COLON) continue;
    p = skipWhitespace(text, p + 1);
    if (text[p] !== QUOTE) continue;
    const start = p + 1;
    let end = start;
    while (end < text.length && text[end] !== QUOTE && text[end] !== BACKSLASH) end++;
    if (text[end] !== QUOTE) {
      onValue(start, -1);
      continue;
    }
    onValue(start, end);
    from = end + 1;
  }
}

const BACKSLASH_U = Buffer.from("\\u");

/** A \uXXXX escape of an ASCII letter: legal JSON, written by no logger, and it could hide a key. */
function hasEscapedLetter(text: Buffer): boolean {
  for (let at = text.indexOf(BACKSLASH_U); at !== -1; at = text.indexOf(BACKSLASH_U, at + 2)) {
    const code = Number.parseInt(text.toString("latin1", at + 2, at + 6), 16);
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true;
  }
  return false;
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

function skipWhitespace(text: Buffer, p: number): number {
  let q = p;
  while (text[q] === 0x20 || text[q] === 0x09 || text[q] === 0x0a || text[q] === 0x0d) q++;
  return q;
}
