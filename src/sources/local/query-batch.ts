import type { CloudTrailEvent } from "../../core/cloudtrail-event.js";
import type { EventQuery } from "../../core/event-query.js";
import type { QueryAnswer } from "../event-source.js";
import { compileQuery, type CompiledQuery } from "./compiled-query.js";
import { CoverageAccumulator } from "./coverage-accumulator.js";
import { runInOrder } from "./ordered-pool.js";
import type { ScanLedger } from "./scan-ledger.js";
import type { FileScan, LogFile } from "./scan-log-file.js";

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
  queries: readonly EventQuery[],
  reads: readonly R[],
  concurrency: number,
  scan: (read: R, queries: CompiledQuery[]) => Promise<FileScan>,
  ledger: ScanLedger,
): Promise<QueryAnswer[]> {
  const compiled = queries.map(compileQuery);
  const events: CloudTrailEvent[][] = queries.map(() => []);
  const coverage = queries.map(() => new CoverageAccumulator());
  await runInOrder(
    reads,
    concurrency,
    (read) => scan(read, read.queryIndices.map((i) => compiled[i]!)),
    (result, { queryIndices }) => {
      ledger.record(result);
      queryIndices.forEach((queryIndex, j) => {
        const found = events[queryIndex]!;
        for (const event of result.matches[j] ?? []) found.push(event);
        coverage[queryIndex]!.merge(result.coverage);
      });
    },
  );
  return queries.map((_, i) => ({ events: events[i]!, coverage: coverage[i]!.toCoverage() }));
}
