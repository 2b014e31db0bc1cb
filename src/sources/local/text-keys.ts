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
  /** FNV-1a hashes (see hashBytes) of every eventID string value (a typed array when from a worker). */
  eventIdHashes: number[] | Uint32Array;
  /** Earliest and latest parseable eventTime, in ms; null when none. */
  earliestMs: number | null;
  latestMs: number | null;
  complete: boolean;
}

export function scanTextKeys(text: Buffer): TextKeys {
  return textKeysFrom(scanKeyBytes(text));
}

/** What scanKeyBytes finds: eventTimes still as text, so a worker thread can find them too. */
export interface RawTextKeys {
  eventIdHashes: number[] | Uint32Array;
  /** The earliest and latest canonical stamps ("2026-11-17T10:20:05Z"), which order like their bytes. */
  earliestStamp: string | null;
  latestStamp: string | null;
  /** Every eventTime written any other way (offsets, fractions), to be parsed one by one. */
  otherStamps: string[];
  complete: boolean;
}

export function textKeysFrom(raw: RawTextKeys): TextKeys {
  const keys: TextKeys = { eventIdHashes: raw.eventIdHashes, earliestMs: null, latestMs: null, complete: raw.complete };
  for (const stamp of [raw.earliestStamp, raw.latestStamp]) {
    // An extreme by bytes that is no date ("2026-99-99…") may hide the true extreme behind it.
    if (stamp !== null && parseCloudTrailTime(stamp) === null) keys.complete = false;
  }
  for (const stamp of [raw.earliestStamp, raw.latestStamp, ...raw.otherStamps]) widenTimeSpan(keys, parseCloudTrailTime(stamp));
  return keys;
}

/** Widens an earliest–latest span (null: empty) to hold `ms`; a null time leaves it as it is. */
export function widenTimeSpan(span: { earliestMs: number | null; latestMs: number | null }, ms: number | null): void {
  if (ms === null) return;
  if (span.earliestMs === null || ms < span.earliestMs) span.earliestMs = ms;
  if (span.latestMs === null || ms > span.latestMs) span.latestMs = ms;
}

/**
 * The byte search itself. Self-contained on purpose (no name from outside its body but Buffer's
 * methods): gunzip-pool.ts runs this very function's source on its worker threads, where the search
 * costs the main thread nothing. hashBytes below is the same hash, for the main thread's callers.
 */
export function scanKeyBytes(text: Buffer): RawTextKeys {
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  const COLON = 0x3a;
  const STAMP_BYTES = 20;
  const hashes: number[] = [];
  const keys: RawTextKeys = { eventIdHashes: hashes, earliestStamp: null, latestStamp: null, otherStamps: [], complete: true };

  const skipWhitespace = (p: number): number => {
    let q = p;
    while (text[q] === 0x20 || text[q] === 0x09 || text[q] === 0x0a || text[q] === 0x0d) q++;
    return q;
  };
  // Calls back with the string value of every `"key":`; end -1 when the key or value has an escape.
  // Non-string values are not reported: a record whose eventID or eventTime is not a string matches
  // no query on it. The search is for the key's tail (`ventID`, `Time`), one pass whatever follows it:
  // a needle that starts with a rare byte is searched several times faster than one starting with
  // "e" or a quote (measured: 51 against 174 ms over 271 MB), and a second pass for a tail followed
  // by a backslash cost ~30% of the whole search.
  const forEachKeyValue = (name: string, headLength: number, onValue: (start: number, end: number) => void): void => {
    const head = Array.from(name.slice(0, headLength), (letter) => letter.charCodeAt(0));
    const visit = (at: number): void => {
      const after = text[at + name.length];
      if (after === BACKSLASH) {
        onValue(at, -1); // \"eventID\": a record inside a string
        return;
      }
      if (text[at - 1] !== QUOTE || after !== QUOTE) return;
      let p = skipWhitespace(at + name.length + 1);
      if (text[p] !== COLON) return;
      p = skipWhitespace(p + 1);
      if (text[p] !== QUOTE) return;
      const start = p + 1;
      let end = start;
      while (end < text.length && text[end] !== QUOTE && text[end] !== BACKSLASH) end++;
      onValue(start, text[end] === QUOTE ? end : -1);
    };
    const needle = Buffer.from(name.slice(headLength), "latin1");
    for (let hit = text.indexOf(needle, 0); hit !== -1; hit = text.indexOf(needle, hit + needle.length)) {
      const at = hit - headLength;
      if (at < 0) continue;
      // Checked byte by byte: Buffer.compare costs more per call than the few bytes it compares.
      let k = 0;
      while (k < headLength && text[at + k] === head[k]) k++;
      if (k === headLength) visit(at); // visit looks at the byte after the key: a quote, or a backslash
    }
  };

  // A \uXXXX escape of an ASCII letter: legal JSON, written by no logger, and it could hide a key.
  const escape = Buffer.from("\\u", "latin1");
  for (let at = text.indexOf(escape, 0); at !== -1; at = text.indexOf(escape, at + 2)) {
    const code = Number.parseInt(text.toString("latin1", at + 2, at + 6), 16);
    if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) keys.complete = false;
  }
  forEachKeyValue("eventID", 1, (start, end) => {
    if (end < 0) {
      keys.complete = false;
      return;
    }
    let hash = 0x811c9dc5; // FNV-1a, as hashBytes
    for (let i = start; i < end; i++) {
      hash ^= text[i] as number;
      hash = Math.imul(hash, 0x01000193);
    }
    hashes.push(hash >>> 0);
  });
  let earliest = -1;
  let latest = -1;
  const compareStamps = (a: number, b: number): number => {
    for (let i = 0; i < STAMP_BYTES; i++) {
      const difference = (text[a + i] as number) - (text[b + i] as number);
      if (difference !== 0) return difference;
    }
    return 0;
  };
  forEachKeyValue("eventTime", 5, (start, end) => {
    if (end < 0) {
      keys.complete = false;
      return;
    }
    const canonical = end - start === STAMP_BYTES && text[start + 4] === 0x2d && text[start + 10] === 0x54
      && text[start + 13] === 0x3a && text[start + 19] === 0x5a;
    if (!canonical) {
      keys.otherStamps.push(text.toString("latin1", start, end));
      return;
    }
    if (earliest === -1 || compareStamps(start, earliest) < 0) earliest = start;
    if (latest === -1 || compareStamps(start, latest) > 0) latest = start;
  });
  if (earliest !== -1) keys.earliestStamp = text.toString("latin1", earliest, earliest + STAMP_BYTES);
  if (latest !== -1) keys.latestStamp = text.toString("latin1", latest, latest + STAMP_BYTES);
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
