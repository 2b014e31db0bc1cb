import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FileFingerprint } from "./file-fingerprint.js";
import { gunzipWhole } from "./gunzip-whole.js";
import { scanKeyBytes, type RawTextKeys } from "./text-keys.js";
import { layoutTrailRecords, type TrailRecordLayout } from "./trail-record-layout.js";

/** A small file read whole and gunzipped off the main thread. */
export interface WholeFile {
  content: Buffer;
  diskBytes: number;
  fingerprint: FileFingerprint;
  /** scanKeyBytes of the whole content, found on the worker. */
  keys: RawTextKeys;
  /** layoutTrailRecords of the whole content, when it was asked for (undefined when not). */
  layout?: TrailRecordLayout | null;
}

export interface ReadOptions {
  /** Also walk the content for its records (layoutTrailRecords). */
  layout?: boolean;
}

/**
 * Reads and gunzips small files on worker threads. Decompression is most of the cost of a scan
 * and zlib's own async API takes a thread-pool round trip per 16 KiB of output, so whole files go
 * to workers, which hand the content back without copying. The main thread keeps searching and
 * parsing. Workers start on first use and never keep the process alive while idle.
 */
export class GunzipPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;

  constructor(private readonly size: number = defaultPoolSize()) {}

  /**
   * The file's content, gunzipped when it is gzip; null when it is over `maxBytes` on disk or its
   * gzip is damaged (the caller then streams it and reports the damage). Rejects with the fs error
   * (code ENOENT, EACCES, …) when it cannot be read.
   */
  read(path: string, maxBytes: number, options: ReadOptions = {}): Promise<WholeFile | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, path, maxBytes, layout: options.layout === true, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the workers (tests; the CLI just exits). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      if (this.workers.length < this.size && this.workers.every((w) => w.jobs.length > 0)) this.startWorker();
      // Each worker holds a few jobs, so it starts the next as soon as it posts a result instead of
      // idling for a round trip through this thread (measured: both sides idle half the time).
      const target = this.workers.reduce<PoolWorker | null>((best, w) => (best === null || w.jobs.length < best.jobs.length ? w : best), null);
      if (!target || target.jobs.length >= JOBS_PER_WORKER) return;
      const job = this.queue.shift()!;
      target.jobs.push(job);
      if (target.jobs.length === 1) target.worker.ref();
      target.worker.postMessage({ id: job.id, path: job.path, maxBytes: job.maxBytes, layout: job.layout });
    }
  }

  private startWorker(): PoolWorker {
    const pooled: PoolWorker = { worker: new Worker(WORKER_SOURCE, { eval: true }), jobs: [] };
    pooled.worker.on("message", (reply: WorkerReply) => {
      // A worker answers its jobs in the order it was given them.
      const job = pooled.jobs.shift();
      if (pooled.jobs.length === 0) pooled.worker.unref();
      if (job) settle(job, reply);
      this.dispatch();
    });
    pooled.worker.on("error", (error) => {
      // A worker that dies takes only its own jobs with it; the next job starts a new one.
      this.workers.splice(this.workers.indexOf(pooled), 1);
      for (const job of pooled.jobs.splice(0)) job.reject(error);
      this.dispatch();
    });
    this.workers.push(pooled);
    return pooled;
  }
}

function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

function settle(job: Job, reply: WorkerReply): void {
  if (reply.error) {
    job.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code, path: job.path }));
    return;
  }
  if (!reply.content) {
    job.resolve(null);
    return;
  }
  job.resolve({
    content: Buffer.from(reply.content.buffer, reply.content.byteOffset, reply.content.byteLength),
    diskBytes: reply.diskBytes!,
    fingerprint: reply.fingerprint!,
    keys: reply.keys!,
    ...(job.layout ? { layout: reply.layout ?? null } : {}),
  });
}

interface Job {
  id: number;
  path: string;
  maxBytes: number;
  layout: boolean;
  resolve: (file: WholeFile | null) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** Sent and not yet answered, oldest first. */
  jobs: Job[];
}

const JOBS_PER_WORKER = 3;

interface WorkerReply {
  id: number;
  content?: Uint8Array;
  diskBytes?: number;
  fingerprint?: FileFingerprint;
  keys?: RawTextKeys;
  layout?: TrailRecordLayout | null;
  error?: { code: string | undefined; message: string };
}

/**
 * The worker, as source text: it then needs no file of its own next to the compiled (or bundled,
 * or test-transformed) module. It reads, gunzips, searches the bytes for keys and, when asked, walks
 * them for records (gunzipWhole, scanKeyBytes and layoutTrailRecords, whose own sources are pasted
 * in); every decision stays on the main thread.
 */
const WORKER_SOURCE = `
// esbuild with keepNames (tsx does this) wraps inner functions in __name(fn, "name"): give it one.
const __name = (target) => target;
const scanKeyBytes = (${scanKeyBytes.toString()});
const layoutTrailRecords = (${layoutTrailRecords.toString()});
const gunzipWhole = (${gunzipWhole.toString()});
const { parentPort } = require("node:worker_threads");
const { openSync, fstatSync, readFileSync, closeSync } = require("node:fs");
const { gunzipSync } = require("node:zlib");
parentPort.on("message", ({ id, path, maxBytes, layout }) => {
  let fd;
  try {
    fd = openSync(path, "r");
    const stats = fstatSync(fd);
    const fingerprint = { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
    if (stats.size > maxBytes) return parentPort.postMessage({ id, fingerprint });
    const bytes = readFileSync(fd);
    let content = bytes;
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        content = gunzipWhole(bytes, gunzipSync);
      } catch {
        return parentPort.postMessage({ id, fingerprint });
      }
    }
    // Only a buffer that owns its ArrayBuffer, but for a few spare bytes, is handed over without a
    // copy: never a slice of Node's shared pool (8 KiB, for buffers under 4 KiB), nor a big buffer
    // mostly empty. (allocUnsafeSlow: never from the pool.)
    if (content.byteOffset !== 0 || content.buffer.byteLength - content.byteLength > 64) {
      const owned = Buffer.allocUnsafeSlow(content.length);
      content.copy(owned);
      content = owned;
    }
    // The walk finds the keys on its way; only a text it cannot walk needs the search.
    const walked = layout ? layoutTrailRecords(content) : null;
    const found = walked ? walked.keys : scanKeyBytes(content);
    const keys = { ...found, eventIdHashes: Uint32Array.from(found.eventIdHashes) }; // transferred, not copied
    const transfer = [content.buffer, keys.eventIdHashes.buffer];
    let records = null;
    if (walked) {
      records = { records: walked.records, spans: Float64Array.from(walked.spans), keys };
      transfer.push(records.spans.buffer);
    }
    parentPort.postMessage({ id, content, diskBytes: bytes.length, fingerprint, keys, layout: records }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, error: { code: error && error.code, message: String(error && error.message) } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;
