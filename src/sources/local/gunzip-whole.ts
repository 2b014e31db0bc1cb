import type { gunzipSync } from "node:zlib";

/**
 * A whole gzip file's content, inflated into one output chunk of the size its trailer gives (ISIZE:
 * the last member's size mod 2^32), plus the byte zlib needs to see the end. zlib's default 16 KiB
 * chunks cost a CloudTrail file a dozen chunks and a final copy (measured: 1.3-1.5x the time on
 * the bench corpus's small files), and a worker can hand the one chunk over as it is. A wrong ISIZE
 * (several members, over 4 GiB) only costs more chunks.
 *
 * Self-contained on purpose (zlib comes as a parameter): gunzip-pool.ts runs this very function's
 * source on its worker threads.
 */
export function gunzipWhole(bytes: Buffer, gunzip: typeof gunzipSync): Buffer {
  const isize = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  return gunzip(bytes, { chunkSize: Math.min(8 * 1024 * 1024, Math.max(1024, isize + 1)) });
}
