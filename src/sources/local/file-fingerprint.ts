import type { Stats } from "node:fs";

/**
 * What says a file is unchanged since it was indexed. ctime moves on every write and cannot be set
 * back by tools that preserve mtime (cp -p, rsync -t, aws s3 sync), so size+mtime+ctime+inode
 * catches a rewritten file even when its size and mtime were kept.
 */
export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function fingerprintOf(stats: Pick<Stats, "size" | "mtimeMs" | "ctimeMs" | "ino">): FileFingerprint {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

export function sameFingerprint(a: FileFingerprint, b: FileFingerprint): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}
