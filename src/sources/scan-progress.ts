/**
 * How far a source is through the reads of one query batch, for a progress line. Sizes are as
 * stored (compressed bytes of a .gz), since that is what is known before a file is opened.
 */
export interface ScanProgress {
  /** Files (or objects) the batch will read, and those finished so far. */
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  /** True on the last call of a batch (filesDone === filesTotal), so a display can clear its line. */
  finished: boolean;
}

export type ProgressListener = (progress: ScanProgress) => void;
