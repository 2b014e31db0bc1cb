import type { ProgressListener } from "../scan-progress.js";

/** Counts a query batch's finished reads for a ProgressListener; silent for a batch of nothing. */
export class BatchProgress {
  private filesDone = 0;
  private bytesDone = 0;
  private readonly bytesTotal: number;

  constructor(private readonly sizes: readonly number[], private readonly listener: ProgressListener | undefined) {
    this.bytesTotal = sizes.reduce((sum, size) => sum + size, 0);
  }

  /** Reads finish in order (runInOrder), so the n-th call is the n-th file. */
  fileDone(): void {
    this.bytesDone += this.sizes[this.filesDone] ?? 0;
    this.filesDone++;
    if (this.filesDone < this.sizes.length) this.report(false);
  }

  end(): void {
    if (this.sizes.length > 0) this.report(true);
  }

  private report(finished: boolean): void {
    this.listener?.({
      filesTotal: this.sizes.length, filesDone: this.filesDone,
      bytesTotal: this.bytesTotal, bytesDone: this.bytesDone, finished,
    });
  }
}
