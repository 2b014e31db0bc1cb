import { widenTimeSpan, type TextKeys } from "./text-keys.js";

/** A whole file's keys: the union of its texts' (see text-keys.ts). */
export interface FileKeys {
  /** Sorted, without repeats, for binary search. */
  eventIdHashes: Uint32Array;
  earliestMs: number | null;
  latestMs: number | null;
}

/** Collects the keys of a file's texts as they are scanned; null at the end when any was incomplete. */
export class FileKeysAccumulator {
  private readonly hashes: (number[] | Uint32Array)[] = [];
  private readonly span: { earliestMs: number | null; latestMs: number | null } = { earliestMs: null, latestMs: null };
  private complete = true;

  add(keys: TextKeys): void {
    if (!keys.complete) this.complete = false;
    if (!this.complete) return;
    this.hashes.push(keys.eventIdHashes);
    widenTimeSpan(this.span, keys.earliestMs);
    widenTimeSpan(this.span, keys.latestMs);
  }

  /** Part of the file was not scanned (a read failure): its keys would be partial. */
  markIncomplete(): void {
    this.complete = false;
  }

  result(): FileKeys | null {
    if (!this.complete) return null;
    const sorted = new Uint32Array(this.hashes.reduce((n, h) => n + h.length, 0));
    let at = 0;
    for (const part of this.hashes) {
      sorted.set(part, at);
      at += part.length;
    }
    sorted.sort();
    let kept = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i === 0 || sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i] as number;
    }
    return { eventIdHashes: sorted.slice(0, kept), ...this.span };
  }
}

export function holdsHash(sorted: Uint32Array, hash: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = sorted[mid] as number;
    if (value === hash) return true;
    if (value < hash) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}
