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
 * The on-disk form, laid out so that loading it costs little more than reading it (a warm trace
 * loads it whole before its first query):
 *   a magic line; a uint32 header length; a JSON header holding only strings (folders, file names,
 *   and the distinct account/region sets of the files' coverage); per file, COLUMNS float64 numbers
 *   (null stored as NaN); then every file's eventID hashes as one little-endian uint32 array.
 * Anything unexpected makes the whole index unreadable, and it is then rebuilt, never half-used.
 */
const MAGIC = Buffer.from("rolechain-index/2\n");
const LITTLE_ENDIAN = endianness() === "LE";

/** The numbers stored per file, in this order. */
const COLUMNS = [
  "folder", "size", "mtimeMs", "ctimeMs", "ino", "earliestMs", "latestMs", "hashCount",
  "coverageSet", "coverageEarliestMs", "coverageLatestMs",
] as const;
const COLUMN = Object.fromEntries(COLUMNS.map((name, i) => [name, i])) as Record<(typeof COLUMNS)[number], number>;

interface Header {
  /** Each file's path is folders[its folder column] + names[its row]: the folder part ends with its separator. */
  folders: string[];
  names: string[];
  coverageSets: [accounts: string[], regions: string[]][];
}

/** An aligned copy of bytes [start, end) as the machine's numbers; the file holds them little-endian. */
function alignedCopy(bytes: Buffer, start: number, end: number, width: 4 | 8): ArrayBuffer {
  const copy = new ArrayBuffer(end - start);
  new Uint8Array(copy).set(bytes.subarray(start, end));
  if (!LITTLE_ENDIAN) toLittleEndian(new Uint8Array(copy), width);
  return copy;
}

/** Swaps each width-byte number in place (its own inverse). */
function toLittleEndian(bytes: Uint8Array, width: 4 | 8): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (width === 4) buffer.swap32();
  else buffer.swap64();
}

export function encodeIndex(files: ReadonlyMap<string, IndexedFile>): Buffer {
  const header: Header = { folders: [], names: [], coverageSets: [] };
  const folderIds = new Map<string, number>();
  const coverageSetIds = new Map<string, number>();
  const numbers = new Float64Array(files.size * COLUMNS.length);
  let hashTotal = 0;
  let at = 0;
  const put = (value: number | null): void => {
    numbers[at++] = value ?? Number.NaN;
  };
  for (const [filePath, f] of files) {
    const split = Math.max(filePath.lastIndexOf("/"), filePath.lastIndexOf("\\")) + 1;
    const coverageKey = JSON.stringify([f.coverage.accounts, f.coverage.regions]);
    header.names.push(filePath.slice(split));
    put(idOf(folderIds, filePath.slice(0, split), header.folders, filePath.slice(0, split)));
    put(f.fingerprint.size);
    put(f.fingerprint.mtimeMs);
    put(f.fingerprint.ctimeMs);
    put(f.fingerprint.ino);
    put(f.earliestMs);
    put(f.latestMs);
    put(f.eventIdHashes.length);
    put(idOf(coverageSetIds, coverageKey, header.coverageSets, [f.coverage.accounts, f.coverage.regions]));
    put(f.coverage.earliestMs);
    put(f.coverage.latestMs);
    hashTotal += f.eventIdHashes.length;
  }
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const numbersStart = MAGIC.length + 4 + headerBytes.length;
  const hashStart = Math.ceil((numbersStart + numbers.byteLength) / 4) * 4;
  const out = Buffer.alloc(hashStart + hashTotal * 4);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(out, MAGIC.length + 4);
  const all = new Uint32Array(hashTotal);
  let next = 0;
  for (const f of files.values()) {
    all.set(f.eventIdHashes, next);
    next += f.eventIdHashes.length;
  }
  for (const [values, width, offset] of [[numbers, 8, numbersStart], [all, 4, hashStart]] as const) {
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    if (!LITTLE_ENDIAN) toLittleEndian(bytes, width);
    bytes.copy(out, offset);
  }
  return out;
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function idOf<T>(ids: Map<string, number>, key: string, list: T[], value: T): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = list.push(value) - 1;
    ids.set(key, id);
  }
  return id;
}

/** Null when the bytes are not an index of this version, or are damaged. */
export function decodeIndex(bytes: Buffer): Map<string, IndexedFile> | null {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const numbersStart = MAGIC.length + 4 + headerLength;
  if (numbersStart > bytes.length) return null;
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString("utf8", MAGIC.length + 4, numbersStart));
  } catch {
    return null;
  }
  if (!isHeader(header)) return null;
  const rows = header.names.length;
  const hashStart = Math.ceil((numbersStart + rows * COLUMNS.length * 8) / 4) * 4;
  if (hashStart > bytes.length || (bytes.length - hashStart) % 4 !== 0) return null;
  // Copied once into aligned arrays: a Buffer's offset need not be a multiple of 8.
  const numbers = new Float64Array(alignedCopy(bytes, numbersStart, numbersStart + rows * COLUMNS.length * 8, 8));
  const hashes = new Uint32Array(alignedCopy(bytes, hashStart, bytes.length, 4));
  const coverageSets = header.coverageSets;
  const files = new Map<string, IndexedFile>();
  let next = 0;
  for (let row = 0, at = 0; row < rows; row++, at += COLUMNS.length) {
    // Plain indexing, no per-row closures: this loop runs for every file before a warm trace's first query.
    const folder = header.folders[numbers[at + COLUMN.folder] as number];
    const coverageSet = coverageSets[numbers[at + COLUMN.coverageSet] as number];
    const hashCount = numbers[at + COLUMN.hashCount] as number;
    const size = numbers[at + COLUMN.size] as number;
    const mtimeMs = numbers[at + COLUMN.mtimeMs] as number;
    const ctimeMs = numbers[at + COLUMN.ctimeMs] as number;
    const ino = numbers[at + COLUMN.ino] as number;
    if (folder === undefined || coverageSet === undefined || !Number.isInteger(hashCount) || hashCount < 0
      || next + hashCount > hashes.length || !(Number.isFinite(size) && Number.isFinite(mtimeMs) && Number.isFinite(ctimeMs) && Number.isFinite(ino))) return null;
    files.set(folder + (header.names[row] as string), {
      fingerprint: { size, mtimeMs, ctimeMs, ino },
      earliestMs: nullIfNaN(numbers[at + COLUMN.earliestMs] as number),
      latestMs: nullIfNaN(numbers[at + COLUMN.latestMs] as number),
      eventIdHashes: hashes.subarray(next, next + hashCount),
      // Shared by the files of a set: coverage snapshots are only ever read.
      coverage: {
        accounts: coverageSet[0], regions: coverageSet[1],
        earliestMs: nullIfNaN(numbers[at + COLUMN.coverageEarliestMs] as number),
        latestMs: nullIfNaN(numbers[at + COLUMN.coverageLatestMs] as number),
      },
    });
    next += hashCount;
  }
  return next === hashes.length && files.size === rows ? files : null;
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

function isHeader(value: unknown): value is Header {
  if (typeof value !== "object" || value === null) return false;
  const { folders, names, coverageSets } = value as Partial<Record<keyof Header, unknown>>;
  return isStringArray(folders) && isStringArray(names) && Array.isArray(coverageSets)
    && coverageSets.every((set) => Array.isArray(set) && set.length === 2 && isStringArray(set[0]) && isStringArray(set[1]));
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
