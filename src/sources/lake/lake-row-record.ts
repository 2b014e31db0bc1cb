import { LAKE_COLUMNS } from "./lake-columns.js";

/** One GetQueryResults row: a list of single-key {column: value} maps (facts §8). */
export type LakeResultRow = readonly Readonly<Record<string, string>>[];

/**
 * Rebuilds the CloudTrail record (as a trail file would hold it) from one row of the columns in
 * LAKE_COLUMNS, for normalizeRecord. Absent, null and "" cells are left out: how Lake writes a
 * NULL into a result cell is not documented, and CloudTrail's readers treat "" as absent anyway.
 */
export function recordOfLakeRow(row: LakeResultRow): Record<string, unknown> {
  const cells = new Map<string, string>();
  for (const cell of row) {
    for (const [name, value] of Object.entries(cell)) {
      if (typeof value === "string" && value !== "") cells.set(name.toLowerCase(), value);
    }
  }
  const record: Record<string, unknown> = {};
  for (const column of LAKE_COLUMNS) {
    const text = cells.get(column.alias);
    if (text === undefined) continue;
    const value = column.kind === "timestamp" ? isoOfLakeTimestamp(text) : column.kind === "map" ? objectOfMapJson(text) : text;
    if (value !== null) setAt(record, column.path, value);
  }
  return record;
}

const LAKE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/;

/**
 * "2026-11-16 10:00:00.000" (Trino's text for a timestamp, UTC) → "2026-11-16T10:00:00Z", the form
 * trail files use, so reports read the same whichever source answered. Sub-second digits are kept.
 */
export function isoOfLakeTimestamp(text: string): string {
  const match = LAKE_TIMESTAMP.exec(text);
  if (!match) return text;
  const [, date, time, fraction = ""] = match;
  const millis = fraction.replace(/0+$/, "");
  return millis ? `${date}T${time}.${fraction.padEnd(3, "0").slice(0, 3)}Z` : `${date}T${time}Z`;
}

/**
 * A map column as JSON object text → the object trail files carry. Values that are themselves JSON
 * objects or arrays (nested elements, per the [UNVERIFIED] assumption in lake-columns.ts) are
 * parsed back; other values stay strings (Lake's map holds strings only: 3600 comes back "3600").
 */
export function objectOfMapJson(text: string): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // defineProperty: a logged "__proto__" key stays a plain key instead of replacing the prototype.
    Object.defineProperty(out, key, { value: typeof value === "string" ? nestedJson(value) : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function nestedJson(value: string): unknown {
  if (!value.startsWith("{") && !value.startsWith("[")) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === "object" && next !== null) node = next as Record<string, unknown>;
    else node = (node[key] = {}) as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}
