import { createHash } from "node:crypto";
import path from "node:path";
import { sameFingerprint, type FileFingerprint } from "./file-fingerprint.js";
import { holdsHash } from "./file-keys.js";
import { readIndexFile, writeIndexFile, type IndexedFile } from "./index-store.js";
import type { EventKeys } from "./keys-may-match.js";

/** An index entry as keys; entry.coverage is what skipping its file adds to a query's coverage. */
export interface IndexedKeys extends EventKeys {
  entry: IndexedFile;
}
import type { LogFile } from "./scan-log-file.js";

/**
 * The persistent index of a set of --source paths: for each file already read, its keys (see
 * text-keys.ts), so the next trace of an incident opens only the files that may hold what it asks
 * for. It is a by-product of scanning and only ever says "this file cannot match": results always
 * come from the files themselves. An entry counts only while the file's fingerprint is unchanged;
 * a file that is new, changed, or had a problem is read as if there were no index.
 */
export class LocalIndex {
  private readonly verdicts = new Map<string, IndexedFile | null>();
  /** One view per entry, made on first use: a batch consults every file. */
  private readonly keyViews = new WeakMap<IndexedFile, IndexedKeys>();
  private changed = false;

  private constructor(
    private readonly storeFile: string | null,
    private readonly files: Map<string, IndexedFile>,
    private readonly fingerprintOnDisk: (file: LogFile) => FileFingerprint | null,
  ) {}

  /**
   * The index kept in `indexDir` for these --source roots (one file per set of roots); empty when
   * there is none yet or it cannot be read. With indexDir null, an index that lives for this run only.
   */
  static async open(
    indexDir: string | null, roots: readonly string[], discovered: readonly LogFile[], fingerprintOnDisk: (file: LogFile) => FileFingerprint | null,
  ): Promise<LocalIndex> {
    const storeFile = indexDir === null ? null : path.join(indexDir, `${storeName(roots)}.idx`);
    const stored = storeFile ? await readIndexFile(storeFile) : null;
    const files = new Map<string, IndexedFile>();
    // Entries of files that are gone are dropped, so the index follows the folder.
    for (const file of discovered) {
      const entry = stored?.get(keyOf(file));
      if (entry) files.set(keyOf(file), entry);
    }
    const index = new LocalIndex(storeFile, files, fingerprintOnDisk);
    index.changed = stored !== null && files.size !== stored.size;
    return index;
  }

  /** The file's keys, when an entry still describes the file on disk; null means "read it". */
  keysFor(file: LogFile): IndexedKeys | null {
    const entry = this.freshEntry(file);
    if (!entry) return null;
    let keys = this.keyViews.get(entry);
    if (!keys) {
      keys = {
        entry,
        complete: true,
        earliestMs: entry.earliestMs,
        latestMs: entry.latestMs,
        holdsEventId: (hash) => holdsHash(entry.eventIdHashes, hash),
      };
      this.keyViews.set(entry, keys);
    }
    return keys;
  }

  learn(file: LogFile, entry: IndexedFile): void {
    const key = keyOf(file);
    const known = this.files.get(key);
    this.verdicts.set(key, entry);
    if (known && sameFingerprint(known.fingerprint, entry.fingerprint)) return;
    this.files.set(key, entry);
    this.changed = true;
  }

  /** Forgets a file whose read found a problem: it is read every time, so the problem is reported every time. */
  forget(file: LogFile): void {
    const key = keyOf(file);
    this.verdicts.set(key, null);
    if (this.files.delete(key)) this.changed = true;
  }

  get size(): number {
    return this.files.size;
  }

  /** Writes what was learned; a cache that cannot be written costs speed, never results. */
  async save(): Promise<void> {
    if (!this.changed || this.storeFile === null) return;
    this.changed = false;
    try {
      await writeIndexFile(this.storeFile, this.files);
    } catch {
      // Read-only or full cache folder: the next run reads the files again.
    }
  }

  private freshEntry(file: LogFile): IndexedFile | null {
    const key = keyOf(file);
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    const entry = this.files.get(key) ?? null;
    let fresh: IndexedFile | null = null;
    if (entry) {
      const fingerprint = this.fingerprintOnDisk(file);
      // Gone or unreadable (null): reading it reports why.
      if (fingerprint && sameFingerprint(fingerprint, entry.fingerprint)) fresh = entry;
      if (!fresh) {
        this.files.delete(key);
        this.changed = true;
      }
    }
    this.verdicts.set(key, fresh);
    return fresh;
  }
}

const keys = new WeakMap<LogFile, string>();

/** The real (else absolute) path: the same file whatever folder or link led to it. */
function keyOf(file: LogFile): string {
  if (file.realPath !== undefined) return file.realPath;
  let key = keys.get(file);
  if (key === undefined) {
    key = path.resolve(file.localPath ?? file.path);
    keys.set(file, key);
  }
  return key;
}

function storeName(roots: readonly string[]): string {
  const resolved = [...new Set(roots.map((root) => path.resolve(root)))].sort();
  return createHash("sha256").update(resolved.join("\n")).digest("hex").slice(0, 32);
}
