import { statSync } from "node:fs";
import type { EventQuery } from "../../core/event-query.js";
import {
  emptyStats, type Coverage, type EventSource, type MatchVisitor, type QueryAnswer, type SourceProblem, type SourceStats,
} from "../event-source.js";
import { discoverLogFiles } from "./discover-log-files.js";
import { DEFAULT_DELIVERY_TOLERANCE, queriesForFile, type DeliveryTolerance } from "./file-pruning.js";
import { compileQuery, type CompiledQuery } from "./compiled-query.js";
import { CoverageAccumulator } from "./coverage-accumulator.js";
import { describeFileProblem, isDigestFile } from "./file-problem.js";
import { fingerprintOf, type FileFingerprint } from "./file-fingerprint.js";
import { FilesByDelivery } from "./files-by-delivery.js";
import { GunzipPool } from "./gunzip-pool.js";
import { keysMayMatch } from "./keys-may-match.js";
import { LocalIndex } from "./local-index.js";
import { answerQueryBatch, visitQueryBatch, type BatchOptions, type FileRead } from "./query-batch.js";
import { ScanLedger } from "./scan-ledger.js";
import type { ProgressListener } from "../scan-progress.js";
import { scanLogFile, type FileScan, type LogFile, type ScanSettings } from "./scan-log-file.js";

export interface LocalSourceOptions {
  /** How long after an event CloudTrail may deliver it (file-name/key time is DELIVERY time). Default 12 h. */
  deliverySlackMs?: number;
  /** Tolerance for a file holding records stamped slightly after its own name time. Default 15 min. */
  clockSkewMs?: number;
  /** Called once per problem as it is found, so the CLI can print it to stderr at once. */
  onProblem?: (problem: SourceProblem) => void;
  /** Skip parsing JSON texts that contain none of the batch's needles (see queryNeedles). Default true. */
  useNeedleFilter?: boolean;
  /**
   * Largest single JSON text parsed (a document, or one NDJSON line), uncompressed. Default
   * 500 MiB: V8 cannot hold a string much over 512 MiB.
   */
  maxDocumentBytes?: number;
  /** Files read at once. Default: enough to keep every gunzip worker busy. */
  concurrency?: number;
  /**
   * Folder of the persistent index (local-index.ts), or null for one that lives for this run only.
   * Default null; the CLI passes ~/.cache/rolechain/index. Written by close().
   */
  indexDir?: string | null;
  /** Use an index at all (default true). False: every batch reads every file its names allow (the reference behaviour). */
  useIndex?: boolean;
  /** Gunzip on worker threads for batches of at least this many files. Default 16; Infinity: never. */
  workerThreshold?: number;
  /** ... and only files at least this large as stored (a worker round trip costs ~0.1-0.2 ms). Default 16 KiB. */
  workerMinFileBytes?: number;
  /** Told after each file of a query batch, for a progress line. */
  onProgress?: ProgressListener;
}

export interface LocalSourceStats extends SourceStats {
  /** Candidate log files found by discovery. */
  filesIndexed: number;
  /** Digest files, recognised by name at discovery or by content when read; never problems. */
  digestFilesIgnored: number;
  insightOrNetworkActivityFilesIgnored: number;
  hiddenEntriesIgnored: number;
  /** Documents or NDJSON lines not parsed because they held none of the needles. */
  textsSkippedByNeedles: number;
  /** Records of trail documents not parsed because their eventName is none the batch asks for. */
  recordsSkippedByName: number;
  /** Reads avoided because the index showed the file cannot match (each file once per batch). */
  filesSkippedByIndex: number;
  /** Files the index had a valid entry for when the source was opened. */
  filesInIndex: number;
  /** Files read and gunzipped on worker threads. */
  filesReadOnWorkers: number;
}

export interface LocalEventSource extends EventSource {
  stats(): LocalSourceStats;
  close(): Promise<void>;
  visit(queries: readonly EventQuery[], onMatch: MatchVisitor): Promise<Coverage[]>;
}

interface PlannedBatch {
  compiled: CompiledQuery[];
  reads: FileRead[];
  scan: (read: FileRead, queries: CompiledQuery[]) => Promise<FileScan>;
  options: BatchOptions;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 500 * 1024 * 1024;
/** Files in flight: enough to keep every worker's queue fed (GunzipPool keeps 3 per worker). */
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_WORKER_THRESHOLD = 16;
const DEFAULT_WORKER_MIN_FILE_BYTES = 16 * 1024;

/**
 * An EventSource over CloudTrail log files on disk: trail files as synced from S3 (gzip or not),
 * LookupEvents output, JSON arrays and NDJSON. Files are indexed once by name; each query batch
 * reads only the files whose path allows a match, once for the whole batch.
 * Throws SourceUnavailableError when a path is missing or unreadable.
 */
export async function createLocalSource(
  paths: readonly string[], options: LocalSourceOptions = {},
): Promise<LocalEventSource> {
  const tolerance: DeliveryTolerance = {
    deliverySlackMs: options.deliverySlackMs ?? DEFAULT_DELIVERY_TOLERANCE.deliverySlackMs,
    clockSkewMs: options.clockSkewMs ?? DEFAULT_DELIVERY_TOLERANCE.clockSkewMs,
  };
  const settings: ScanSettings = {
    useNeedleFilter: options.useNeedleFilter ?? true,
    maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    tolerance,
  };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const workerThreshold = options.workerThreshold ?? DEFAULT_WORKER_THRESHOLD;
  const workerMinFileBytes = options.workerMinFileBytes ?? DEFAULT_WORKER_MIN_FILE_BYTES;
  let pool: GunzipPool | null = null;

  const problems: SourceProblem[] = [];
  const report = (problem: SourceProblem): void => {
    problems.push(problem);
    options.onProblem?.(problem);
  };
  const discovery = await discoverLogFiles(paths);
  discovery.problems.forEach(report);

  const stats: LocalSourceStats = {
    ...emptyStats(),
    filesIndexed: discovery.files.length,
    digestFilesIgnored: discovery.ignored.digests,
    insightOrNetworkActivityFilesIgnored: discovery.ignored.insightOrNetworkActivity,
    hiddenEntriesIgnored: discovery.ignored.hidden,
    textsSkippedByNeedles: 0,
    recordsSkippedByName: 0,
    filesSkippedByIndex: 0,
    filesInIndex: 0,
    filesReadOnWorkers: 0,
  };
  const ledger = new ScanLedger(stats, report);
  const byDelivery = new FilesByDelivery(discovery.files);
  // Fingerprints, not Stats: a Stats object with its four Dates costs ~1 KB, 12 MB over 12,000 files.
  const statCache = new Map<string, FileFingerprint | null>();
  const fingerprintOnDisk = (file: LogFile): FileFingerprint | null => {
    let known = statCache.get(file.path);
    if (known === undefined) {
      try {
        known = fingerprintOf(statSync(file.path));
      } catch {
        known = null;
      }
      statCache.set(file.path, known);
    }
    return known;
  };
  const useIndex = options.useIndex ?? true;
  const index = await LocalIndex.open(useIndex ? options.indexDir ?? null : null, paths, discovery.files, fingerprintOnDisk);
  stats.filesInIndex = index.size;

  const scan = async ({ file }: FileRead, compiled: CompiledQuery[], useWorkers: boolean): Promise<FileScan> => {
    const onPool = useWorkers && (file.sizeBytes ?? 0) >= workerMinFileBytes;
    if (onPool) {
      pool ??= new GunzipPool();
      stats.filesReadOnWorkers++;
    }
    const result = await scanLogFile(file, compiled, { ...settings, pool: onPool ? pool : null });
    if (!useIndex) return result;
    if (result.keys && result.fingerprint && !isDigestFile(result) && describeFileProblem(result) === null) {
      index.learn(file, { ...result.keys, fingerprint: result.fingerprint, coverage: result.coverage.snapshot() });
    } else {
      index.forget(file);
    }
    return result;
  };

  /** The files a batch must read, and the coverage of those the index rules out. */
  const planBatch = (queries: readonly EventQuery[]): PlannedBatch => {
    stats.queries += queries.length;
    const compiled = queries.map(compileQuery);
    const coverage = queries.map(() => new CoverageAccumulator());
    const reads: FileRead[] = [];
    const files = discovery.files;
    const candidates = byDelivery.candidates(queries, tolerance);
    let judged = 0;
    for (const file of candidates ? candidates.map((i) => files[i]!) : files) {
      if (ledger.isRetired(file.path)) continue;
      judged++;
      const byName = queriesForFile(file.facts, queries, tolerance);
      if (byName.length === 0) {
        stats.unitsPruned++;
        continue;
      }
      const keys = useIndex ? index.keysFor(file) : null;
      const queryIndices = keys ? byName.filter((i) => keysMayMatch(keys, compiled[i]!)) : byName;
      if (keys && queryIndices.length < byName.length) {
        // Skipping by the index must report what reading would have: the file's coverage.
        for (const i of byName) if (!queryIndices.includes(i)) coverage[i]!.mergeSnapshot(keys.entry.coverage);
      }
      if (queryIndices.length === 0) {
        stats.filesSkippedByIndex++;
        continue;
      }
      file.sizeBytes ??= fingerprintOnDisk(file)?.size ?? 0;
      reads.push({ file, queryIndices });
    }
    // Files out of every query's reach by time were pruned unseen: counted as if judged by name.
    if (candidates) stats.unitsPruned += files.length - ledger.retiredCount - judged;
    const useWorkers = reads.length >= workerThreshold;
    return {
      compiled,
      reads,
      scan: (read: FileRead, c: CompiledQuery[]) => scan(read, c, useWorkers),
      options: { coverage, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    };
  };

  return {
    label: `local: ${paths.join(", ")}`,
    eachBatchRereads: true,
    async query(queries: readonly EventQuery[]): Promise<QueryAnswer[]> {
      if (queries.length === 0) return [];
      const batch = planBatch(queries);
      return answerQueryBatch(batch.compiled, batch.reads, concurrency, batch.scan, ledger, batch.options);
    },
    async visit(queries: readonly EventQuery[], onMatch: MatchVisitor): Promise<Coverage[]> {
      if (queries.length === 0) return [];
      const batch = planBatch(queries);
      return visitQueryBatch(batch.compiled, batch.reads, concurrency, batch.scan, ledger, onMatch, batch.options);
    },
    problems: () => [...problems],
    stats: () => ({ ...stats }),
    // Written once at the end: the first batch of a cold trace indexes every file, and rewriting the
    // whole index after each of the trace's later batches cost ~0.1 s apiece on 12,000 files.
    close: () => index.save(),
  };
}
