import type { SourceProblem } from "../event-source.js";
import { describeFileProblem, isDigestFile } from "./file-problem.js";
import type { FileScan } from "./scan-log-file.js";

/** The stats every file-reading source keeps about its scans (local files, downloaded S3 objects). */
export interface ScanCounters {
  unitsRead: number;
  bytesRead: number;
  recordsScanned: number;
  /** Documents or NDJSON lines not parsed because they held none of the needles. */
  textsSkippedByNeedles: number;
  /** Records of trail documents not parsed because their eventName is none the batch asks for. */
  recordsSkippedByName: number;
  digestFilesIgnored: number;
}

/**
 * What a source remembers about the files it has scanned, across query batches: counts into
 * `counters`, each file's problem reported once, and files with nothing usable retired so later
 * batches do not open them again.
 */
export class ScanLedger {
  private readonly retired = new Set<string>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly counters: ScanCounters,
    private readonly report: (problem: SourceProblem) => void,
  ) {}

  /** Not worth opening again: nothing usable in it (its problem was reported) or a digest. */
  isRetired(path: string): boolean {
    return this.retired.has(path);
  }

  /** How many files are retired (each a file that was scanned, so one the source holds). */
  get retiredCount(): number {
    return this.retired.size;
  }

  record(scan: FileScan): void {
    const counters = this.counters;
    if (scan.opened) counters.unitsRead++;
    counters.bytesRead += scan.bytesRead;
    counters.recordsScanned += scan.tally.records;
    counters.textsSkippedByNeedles += scan.textsSkippedByNeedles;
    counters.recordsSkippedByName += scan.recordsSkippedByName;
    const path = scan.file.path;
    if (isDigestFile(scan)) {
      counters.digestFilesIgnored++;
      this.retired.add(path);
      return;
    }
    const problem = describeFileProblem(scan);
    if (!problem) return;
    if (problem.effect === "skipped") this.retired.add(path);
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.report(problem);
  }
}
