import type { EventQuery } from "../../core/event-query.js";
import { emptyStats, type EventSource, type QueryAnswer, type SourceProblem, type SourceStats } from "../event-source.js";
import { discoverLogFiles } from "./discover-log-files.js";
import { DEFAULT_DELIVERY_TOLERANCE, queriesForFile, type DeliveryTolerance } from "./file-pruning.js";
import { answerQueryBatch, type FileRead } from "./query-batch.js";
import { ScanLedger } from "./scan-ledger.js";
import { scanLogFile, type ScanSettings } from "./scan-log-file.js";

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
  /** Files read at once. Default 3: enough to overlap disk and gunzip with parsing. */
  concurrency?: number;
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
}

export interface LocalEventSource extends EventSource {
  stats(): LocalSourceStats;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 500 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 3;

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
  };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);

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
  };
  const ledger = new ScanLedger(stats, report);

  return {
    label: `local: ${paths.join(", ")}`,
    async query(queries: readonly EventQuery[]): Promise<QueryAnswer[]> {
      if (queries.length === 0) return [];
      stats.queries += queries.length;
      const reads: FileRead[] = [];
      for (const file of discovery.files) {
        if (ledger.isRetired(file.path)) continue;
        const queryIndices = queriesForFile(file.facts, queries, tolerance);
        if (queryIndices.length === 0) stats.unitsPruned++;
        else reads.push({ file, queryIndices });
      }
      return answerQueryBatch(queries, reads, concurrency, ({ file }, compiled) => scanLogFile(file, compiled, settings), ledger);
    },
    problems: () => [...problems],
    stats: () => ({ ...stats }),
  };
}
