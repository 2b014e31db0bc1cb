import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline, type Readable } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";
import { fingerprintOf, type FileFingerprint } from "./file-fingerprint.js";
import type { GunzipPool } from "./gunzip-pool.js";
import { gunzipWhole } from "./gunzip-whole.js";
import type { RawTextKeys } from "./text-keys.js";
import type { TrailRecordLayout } from "./trail-record-layout.js";

/** gzip is recognised by its magic bytes: downloads lose or gain ".gz" in their names. */
export function isGzipMagic(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface DecompressedFile {
  /** The file's content, gunzipped when it is gzip; chunks as they are read, never the whole file. */
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
  /** Bytes read from disk so far (compressed size, for stats). */
  bytesReadFromDisk(): number;
  /** The file as it was opened: an index entry built from this content is valid while it holds. */
  fingerprint: FileFingerprint;
  /** The whole content's keys, when a worker already searched them. */
  keys?: RawTextKeys;
  /** The whole content's record layout, when a worker was asked to walk it (null: not a trail document). */
  layout?: TrailRecordLayout | null;
}

export interface OpenOptions {
  /** A worker that reads the file also walks it for records (layoutTrailRecords). */
  layout?: boolean;
}

const READ_CHUNK_BYTES = 256 * 1024;
/**
 * Trail files are typically a few KB to a few MB: reading them whole and gunzipping in one call costs a
 * fraction of a stream pipeline's per-file overhead. Larger files stream. Several whole files are in
 * flight at once, so this also bounds memory (2 MiB of gzip is ~25 MiB of JSON).
 */
const WHOLE_FILE_MAX_BYTES = 2 * 1024 * 1024;
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Opens a file for streaming. Fails (EACCES, ENOENT, …) before any content is produced; read and
 * gzip errors (truncated, corrupt) are thrown by the iteration. Stopping the iteration early closes
 * the file.
 */
export async function openDecompressed(filePath: string, pool: GunzipPool | null = null, options: OpenOptions = {}): Promise<DecompressedFile> {
  const whole = pool ? await readOnPool(pool, filePath, options) : readSmallFileWhole(filePath);
  if (whole) return whole;
  return openStreaming(filePath);
}

async function readOnPool(pool: GunzipPool, filePath: string, options: OpenOptions): Promise<DecompressedFile | null> {
  const file = await pool.read(filePath, WHOLE_FILE_MAX_BYTES, options);
  if (!file) return null;
  return {
    chunks: [file.content], bytesReadFromDisk: () => file.diskBytes, fingerprint: file.fingerprint, keys: file.keys,
    ...(file.layout !== undefined ? { layout: file.layout } : {}),
  };
}

/**
 * Null when the file is too large to read at once, or its gzip is damaged: the streaming path then
 * keeps whatever precedes the damage and reports the error itself.
 */
function readSmallFileWhole(filePath: string): DecompressedFile | null {
  // Synchronous on purpose: for a file this small the syscalls cost less than promise and
  // thread-pool round trips, and parsing runs on this thread anyway.
  const fd = openSync(filePath, "r");
  let bytes: Buffer;
  let fingerprint: FileFingerprint;
  try {
    const stats = fstatSync(fd);
    if (stats.size > WHOLE_FILE_MAX_BYTES) return null;
    fingerprint = fingerprintOf(stats);
    bytes = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  if (!isGzipMagic(bytes)) return { chunks: [bytes], bytesReadFromDisk: () => bytes.length, fingerprint };
  try {
    const content = gunzipWhole(bytes, gunzipSync);
    return { chunks: [content], bytesReadFromDisk: () => bytes.length, fingerprint };
  } catch {
    return null;
  }
}

async function openStreaming(filePath: string): Promise<DecompressedFile> {
  const handle = await open(filePath, "r");
  let raw: Readable & { bytesRead: number };
  let gzip: boolean;
  let fingerprint: FileFingerprint;
  try {
    fingerprint = fingerprintOf(await handle.stat());
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    gzip = isGzipMagic(head.subarray(0, bytesRead));
    raw = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (!gzip) return { chunks: raw, bytesReadFromDisk: () => raw.bytesRead, fingerprint };
  // pipeline destroys both streams when either fails or the reader stops early, so no descriptor leaks.
  const gunzip = pipeline(raw, createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), () => {});
  return { chunks: gunzip, bytesReadFromDisk: () => raw.bytesRead, fingerprint };
}
