/**
 * Where each record of a trail log document (`{"Records":[…]}`, what CloudTrail writes) begins and
 * ends, and the bytes of its eventName, found by walking the bytes instead of parsing them. A scan
 * that only wants a few event names (the sweep wants ~5% of all records) then parses just the
 * records that may carry one of them: JSON.parse of everything was most of a sweep's time.
 *
 * Sound where it matters, because attacker-controlled strings sit inside the records (session
 * names, request parameters, tag keys named "eventName"): strings are followed quote by quote with
 * their escapes, so no byte inside a string can end a record, and a record's eventName is its own
 * key (at the record's top level), never a nested one. When the walk is unsure it says so:
 * - the document is not exactly `{"Records":[{…},…]}` (another key, a non-object element, brackets
 *   that do not match, a string that never ends): null, and the caller parses the whole text;
 * - a record whose own eventName is not one plain, non-empty string, whose own eventID is not one
 *   non-empty string, or any of whose own keys is escaped (an escape could spell "eventName"): its
 *   name is reported as unknown (-1), and the caller parses that record.
 * So a record with a known name is one normalizeRecord accepts (it requires just those two), and a
 * file's tally of rejected records stays exact when the others are skipped.
 *
 * Not a validator: a record the caller skips is only known to be balanced and well quoted, so a
 * syntax error inside a skipped record goes unnoticed (as in a text the keys rule out).
 */
import type { RawTextKeys } from "./text-keys.js";

export interface TrailRecordLayout {
  /**
   * Per record, 4 numbers: its start and end (exclusive: the record's `{`…`}`), then its eventName
   * value's start and end, or -1, -1 when unknown. A typed array when it comes from a worker.
   */
  spans: ArrayLike<number>;
  records: number;
  /**
   * The document's keys, as scanKeyBytes finds them but from the records' own eventID and eventTime
   * only (the ones queries read): exact, and found on the way. Incomplete when a record's own key or
   * such a value is escaped.
   */
  keys: RawTextKeys;
}

/**
 * The walk. Self-contained on purpose (no name from outside its body): gunzip-pool.ts runs this very
 * function's source on its worker threads, so the walk costs the main thread nothing.
 */
export function layoutTrailRecords(bytes: Uint8Array): TrailRecordLayout | null {
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;
  const COMMA = 0x2c;
  const OPEN_OBJECT = 0x7b;
  const CLOSE_OBJECT = 0x7d;
  const OPEN_ARRAY = 0x5b;
  const CLOSE_ARRAY = 0x5d;
  const MAX_DEPTH = 256; // deeper nesting is not worth a fast path: the text is parsed instead
  // The record's own keys this watches, as the bytes between their quotes.
  const NONE = 0;
  const NAME = 1;
  const ID = 2;
  const TIME = 3;
  const STAMP_BYTES = 20; // a canonical eventTime, "2026-11-17T10:20:05Z"; they order like their bytes
  const EVENT_NAME = [0x65, 0x76, 0x65, 0x6e, 0x74, 0x4e, 0x61, 0x6d, 0x65]; // eventName
  const EVENT_ID = [0x65, 0x76, 0x65, 0x6e, 0x74, 0x49, 0x44]; // eventID
  const EVENT_TIME = [0x65, 0x76, 0x65, 0x6e, 0x74, 0x54, 0x69, 0x6d, 0x65]; // eventTime
  const RECORDS_KEY = [0x22, 0x52, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x73, 0x22]; // "Records"
  const end = bytes.length;
  const open = new Uint8Array(MAX_DEPTH); // the bracket each nesting level was opened with
  const spans: number[] = [];
  const keys = { eventIdHashes: [] as number[], earliest: -1, latest: -1, otherStamps: [] as string[], complete: true };

  const skipWhitespace = (from: number): number => {
    let p = from;
    for (;;) {
      const c = bytes[p];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return p;
      p++;
    }
  };
  const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]): boolean => {
    if (at + prefix.length > bytes.length) return false;
    for (let k = 0; k < prefix.length; k++) if (bytes[at + k] !== prefix[k]) return false;
    return true;
  };
  const watchedKey = (bytes: Uint8Array, from: number, to: number): number => {
    if (to - from === EVENT_NAME.length && startsWith(bytes, from, EVENT_NAME)) return NAME;
    if (to - from === EVENT_ID.length && startsWith(bytes, from, EVENT_ID)) return ID;
    if (to - from === EVENT_TIME.length && startsWith(bytes, from, EVENT_TIME)) return TIME;
    return NONE;
  };
  const compareStamps = (bytes: Uint8Array, a: number, b: number): number => {
    for (let k = 0; k < STAMP_BYTES; k++) {
      const difference = (bytes[a + k] as number) - (bytes[b + k] as number);
      if (difference !== 0) return difference;
    }
    return 0;
  };
  // A record's own eventID (hashed, FNV-1a as hashBytes) and eventTime, into the document's keys.
  const addKey = (bytes: Uint8Array, key: number, from: number, to: number, escaped: boolean): void => {
    if (escaped) {
      keys.complete = false; // its bytes are not its text
      return;
    }
    if (key === ID) {
      let hash = 0x811c9dc5;
      for (let k = from; k < to; k++) {
        hash ^= bytes[k] as number;
        hash = Math.imul(hash, 0x01000193);
      }
      keys.eventIdHashes.push(hash >>> 0);
      return;
    }
    const canonical = to - from === STAMP_BYTES && bytes[from + 4] === 0x2d && bytes[from + 10] === 0x54
      && bytes[from + 13] === 0x3a && bytes[from + 19] === 0x5a;
    if (!canonical) {
      let stamp = "";
      for (let k = from; k < to; k++) stamp += String.fromCharCode(bytes[k] as number);
      keys.otherStamps.push(stamp);
      return;
    }
    if (keys.earliest === -1 || compareStamps(bytes, from, keys.earliest) < 0) keys.earliest = from;
    if (keys.latest === -1 || compareStamps(bytes, from, keys.latest) > 0) keys.latest = from;
  };

  // Walks the record object starting at `start` (its `{`) and appends its spans. Returns the index
  // just past its `}`, or -1 when the bytes are not a balanced, well-quoted object.
  // Everything the loop touches is a parameter or local: read through the closure, it ran at half speed.
  // `words` views the same bytes 4 at a time, word k holding bytes 4k - shift to 4k - shift + 3.
  const walkRecord = (
    bytes: Uint8Array, start: number, end: number, open: Uint8Array, spans: number[], words: Uint32Array, shift: number,
  ): number => {
    let depth = 0;
    let expectKey = false; // at the record's own level, the next string is a key
    let valueOf = NONE; // the record's own key just read, when it is one of the two watched
    let nameKeys = 0; // the record's own "eventName" keys: JSON.parse keeps the last of several
    let idKeys = 0;
    let ids = 0; // the record's own eventID values that are non-empty strings
    let nameStart = -1;
    let nameEnd = -1;
    let unsure = false;
    let i = start;
    while (i < end) {
      const c = bytes[i] as number;
      if (c === 0x22) {
        const from = i + 1;
        let j = from;
        let escaped = false;
        for (;;) {
          // Most bytes are inside strings: where aligned, skip 4 at a time while none is a quote or
          // a backslash (x has a zero byte exactly where w has the byte looked for). 1.4x the speed.
          if (((j + shift) & 3) === 0) {
            while (j + 4 <= end) {
              const w = words[(j + shift) >>> 2] as number;
              const x = w ^ 0x22222222;
              const y = w ^ 0x5c5c5c5c;
              if ((((x - 0x01010101) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) break;
              j += 4;
            }
          }
          if (j >= end) return -1;
          const d = bytes[j] as number;
          if (d === 0x22) break;
          if (d === 0x5c) {
            escaped = true;
            j += 2;
          } else {
            j++;
          }
        }
        if (depth === 1) {
          if (expectKey) {
            if (escaped) {
              unsure = true;
              keys.complete = false; // it could spell eventID or eventTime
            }
            valueOf = escaped ? NONE : watchedKey(bytes, from, j);
            if (valueOf === NAME) nameKeys++;
            else if (valueOf === ID) idKeys++;
            expectKey = false;
          } else if (valueOf === NAME) {
            if (escaped || j === from) unsure = true;
            nameStart = from;
            nameEnd = j;
            valueOf = NONE;
          } else if (valueOf === ID) {
            if (j === from) unsure = true;
            ids++;
            addKey(bytes, ID, from, j, escaped);
            valueOf = NONE;
          } else if (valueOf === TIME) {
            addKey(bytes, TIME, from, j, escaped);
            valueOf = NONE;
          }
        }
        i = j + 1;
      } else if (c === 0x7b || c === 0x5b) {
        if (depth === 256) return -1;
        open[depth++] = c;
        if (depth === 1) expectKey = true;
        else valueOf = NONE; // "eventName": {…} or […] is no name
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth === 0 || open[depth - 1] !== c - 2) return -1; // ] and } are [ and { plus 2
        depth--;
        i++;
        if (depth === 0) {
          const known = !unsure && nameKeys === 1 && nameStart !== -1 && idKeys === 1 && ids === 1;
          spans.push(start, i, known ? nameStart : -1, known ? nameEnd : -1);
          return i;
        }
      } else if (c === 0x2c) {
        if (depth === 1) {
          expectKey = true;
          valueOf = NONE; // "eventName": 5, is no name
        }
        i++;
      } else {
        i++;
      }
    }
    return -1;
  };

  const shift = bytes.byteOffset & 3;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset - shift, (bytes.length + shift) >>> 2);
  let p = skipWhitespace(0);
  if (bytes[p] !== OPEN_OBJECT) return null;
  p = skipWhitespace(p + 1);
  if (!startsWith(bytes, p, RECORDS_KEY)) return null;
  p = skipWhitespace(p + RECORDS_KEY.length);
  if (bytes[p] !== 0x3a) return null;
  p = skipWhitespace(p + 1);
  if (bytes[p] !== OPEN_ARRAY) return null;
  p = skipWhitespace(p + 1);
  let records = 0;
  if (bytes[p] === CLOSE_ARRAY) {
    p++;
  } else {
    for (;;) {
      if (bytes[p] !== OPEN_OBJECT) return null;
      const recordEnd = walkRecord(bytes, p, end, open, spans, words, shift);
      if (recordEnd < 0) return null;
      records++;
      p = skipWhitespace(recordEnd);
      if (bytes[p] === COMMA) {
        p = skipWhitespace(p + 1);
        continue;
      }
      if (bytes[p] !== CLOSE_ARRAY) return null;
      p++;
      break;
    }
  }
  p = skipWhitespace(p);
  if (bytes[p] !== CLOSE_OBJECT) return null;
  if (skipWhitespace(p + 1) !== end) return null;
  const stampAt = (at: number): string | null => {
    if (at === -1) return null;
    let stamp = "";
    for (let k = at; k < at + STAMP_BYTES; k++) stamp += String.fromCharCode(bytes[k] as number);
    return stamp;
  };
  return {
    spans,
    records,
    keys: {
      eventIdHashes: keys.eventIdHashes, earliestStamp: stampAt(keys.earliest), latestStamp: stampAt(keys.latest),
      otherStamps: keys.otherStamps, complete: keys.complete,
    },
  };
}
