import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { endianness } from "node:os";
import path from "node:path";
import type { CoverageSnapshot } from "./coverage-accumulator.js";
import type { FileFingerprint } from "./file-fingerprint.js";
import type { FileKeys } from "./file-keys.js";

/** What the index holds about one file, valid while the file's fingerprint holds. */
export interface IndexedFile extends FileKeys {
  fingerprint: FileFingerprint;
  /** What reading the file adds to a query's coverage, so skipping it reports the same. */
  coverage: CoverageSnapshot;
}

/**
 * The on-disk form: a magic line, a JSON header with each file's facts, then every file's eventID
 * hashes as one little-endian uint32 array (a copy-free view on load: the hashes are most of it).
 * Anything unexpected makes the whole index unreadable, and it is then rebuilt, never half-used.
 */
const MAGIC = Buffer.from("rolechain-index/1\n");
const LITTLE_ENDIAN = endianness() === "LE";

function swapBytes(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

type HeaderRow = [
  filePath: string, size: number, mtimeMs: number, ctimeMs: number, ino: number,
  earliestMs: number | null, latestMs: number | null, hashCount: number,
  accounts: string[], regions: string[], coverageEarliestMs: number | null, coverageLatestMs: number | null,
];

export function encodeIndex(files: ReadonlyMap<string, IndexedFile>): Buffer {
  const rows: HeaderRow[] = [];
  let hashTotal = 0;
  for (const [filePath, f] of files) {
    rows.push([filePath, f.fingerprint.size, f.fingerprint.mtimeMs, f.fingerprint.ctimeMs, f.fingerprint.ino,
      f.earliestMs, f.latestMs, f.eventIdHashes.length,
      f.coverage.accounts, f.coverage.regions, f.coverage.earliestMs, f.coverage.latestMs]);
    hashTotal += f.eventIdHashes.length;
  }
  const header = Buffer.from(JSON.stringify(rows), "utf8");
  const headerEnd = MAGIC.length + 4 + header.length;
  const hashStart = Math.ceil(headerEnd / 4) * 4;
  const out = Buffer.alloc(hashStart + hashTotal * 4);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  const all = new Uint32Array(hashTotal);
  let next = 0;
  for (const f of files.values()) {
    all.set(f.eventIdHashes, next);
    next += f.eventIdHashes.length;
  }
  if (!LITTLE_ENDIAN) for (let i = 0; i < all.length; i++) all[i] = swapBytes(all[i] as number);
  Buffer.from(all.buffer, all.byteOffset, all.byteLength).copy(out, hashStart);
  return out;
}

/** Null when the bytes are not an index of this version, or are damaged. */
export function decodeIndex(bytes: Buffer): Map<string, IndexedFile> | null {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) return null;
  let rows: HeaderRow[];
  try {
    rows = JSON.parse(bytes.toString("utf8", MAGIC.length + 4, headerEnd)) as HeaderRow[];
  } catch {
    return null;
  }
  if (!Array.isArray(rows)) return null;
  const hashStart = Math.ceil(headerEnd / 4) * 4;
  // Copied once into an aligned array: a Buffer's offset need not be a multiple of 4.
  const hashCount = Math.floor((bytes.length - hashStart) / 4);
  const start = bytes.byteOffset + hashStart;
  const hashes = new Uint32Array(bytes.buffer.slice(start, start + hashCount * 4));
  if (!LITTLE_ENDIAN) for (let i = 0; i < hashes.length; i++) hashes[i] = swapBytes(hashes[i] as number);
  const files = new Map<string, IndexedFile>();
  let next = 0;
  for (const row of rows) {
    if (!isHeaderRow(row) || next + row[7] > hashCount) return null;
    files.set(row[0], {
      fingerprint: { size: row[1], mtimeMs: row[2], ctimeMs: row[3], ino: row[4] },
      earliestMs: row[5], latestMs: row[6],
      eventIdHashes: hashes.subarray(next, next + row[7]),
      coverage: { accounts: row[8], regions: row[9], earliestMs: row[10], latestMs: row[11] },
    });
    next += row[7];
  }
  return next === hashCount ? files : null;
}

export async function readIndexFile(file: string): Promise<Map<string, IndexedFile> | null> {
  try {
    return decodeIndex(await readFile(file));
  } catch {
    return null;
  }
}

/** Written whole to a temporary name and renamed: a reader never sees half an index. */
export async function writeIndexFile(file: string, files: ReadonlyMap<string, IndexedFile>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, encodeIndex(files), { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function isHeaderRow(row: unknown): row is HeaderRow {
  if (!Array.isArray(row) || row.length !== 12) return false;
  const [filePath, size, mtimeMs, ctimeMs, ino, earliest, latest, count, accounts, regions, cEarliest, cLatest] = row as unknown[];
  return typeof filePath === "string" && [size, mtimeMs, ctimeMs, ino].every((n) => typeof n === "number")
    && [earliest, latest, cEarliest, cLatest].every((n) => n === null || typeof n === "number")
    && typeof count === "number" && Number.isInteger(count) && count >= 0
    && isStringArray(accounts) && isStringArray(regions);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
