import type { CloudTrailEvent } from "../../core/cloudtrail-event.js";
import type { Coverage, MatchVisitor, QueryAnswer } from "../event-source.js";
import type { CompiledQuery } from "./compiled-query.js";
import { CoverageAccumulator } from "./coverage-accumulator.js";
import { runInOrder } from "./ordered-pool.js";
import type { ScanLedger } from "./scan-ledger.js";
import type { FileScan, LogFile } from "./scan-log-file.js";
import type { ProgressListener } from "../scan-progress.js";
import { BatchProgress } from "./batch-progress.js";

export interface BatchOptions {
  /** Per query, coverage already known (files an index showed cannot match); filled further here. */
  coverage?: CoverageAccumulator[];
  onProgress?: ProgressListener;
}

/** A file to read for a batch, and the indices (into the batch) of the queries it is read for. */
export interface FileRead {
  file: LogFile;
  queryIndices: number[];
}

/**
 * Answers a query batch from files already chosen for it: each file is scanned once for all its
 * queries, `concurrency` at a time, and results are merged in file order, so answers come out the
 * same on every run. `scan` gets the compiled queries of the read, in queryIndices order; it opens
 * the file however the source must (a local path, a downloaded object).
 */
export async function answerQueryBatch<R extends FileRead>(
  compiled: readonly CompiledQuery[],
  reads: readonly R[],
  concurrency: number,
  scan: (read: R, queries: CompiledQuery[]) => Promise<FileScan>,
  ledger: ScanLedger,
  options: BatchOptions = {},
): Promise<QueryAnswer[]> {
  const events: CloudTrailEvent[][] = compiled.map(() => []);
  const coverage = await visitQueryBatch(compiled, reads, concurrency, scan, ledger, (event, i) => events[i]!.push(event), options);
  return compiled.map((_, i) => ({ events: events[i]!, coverage: coverage[i]! }));
}

/**
 * answerQueryBatch without the answer: each file's matches go to `onMatch` as soon as the file (and
 * every file before it) is done, in the order the answer would list them, and none is kept here.
 */
export async function visitQueryBatch<R extends FileRead>(
  compiled: readonly CompiledQuery[],
  reads: readonly R[],
  concurrency: number,
  scan: (read: R, queries: CompiledQuery[]) => Promise<FileScan>,
  ledger: ScanLedger,
  onMatch: MatchVisitor,
  options: BatchOptions = {},
): Promise<Coverage[]> {
  const coverage = options.coverage ?? compiled.map(() => new CoverageAccumulator());
  const progress = new BatchProgress(reads.map((r) => r.file.sizeBytes ?? 0), options.onProgress);
  await runInOrder(
    reads,
    concurrency,
    (read) => scan(read, read.queryIndices.map((i) => compiled[i]!)),
    (result, { queryIndices }) => {
      progress.fileDone();
      ledger.record(result);
      queryIndices.forEach((queryIndex, j) => {
        for (const event of result.matches[j] ?? []) onMatch(event, queryIndex);
        coverage[queryIndex]!.merge(result.coverage);
      });
    },
  );
  progress.end();
  return coverage.map((c) => c.toCoverage());
}
