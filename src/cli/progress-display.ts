import type { ProgressListener, ScanProgress } from "../sources/scan-progress.js";
import { formatProgressLine, PROGRESS_LINE_MAX_WIDTH } from "../report/progress-line.js";

/** Where the line is drawn: stderr. Only a terminal gets one. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressDisplayOptions {
  /** --quiet: never draw. */
  quiet?: boolean;
  /** Milliseconds clock; tests inject one. Default performance.now (monotonic: wall-clock jumps skew no rate). */
  now?: () => number;
  /** A batch is drawn only once it has run this long, so short scans print nothing. Default 500 ms. */
  delayMs?: number;
  /** Least time between two redraws (about 10 a second). Default 100 ms. */
  intervalMs?: number;
}

export interface ProgressDisplay {
  /** For the local source; a no-op when nothing is drawn. */
  readonly onProgress: ProgressListener;
  /** Erases the line if one is drawn. Call before writing anything else to the stream. */
  clear(): void;
  /** Writes other text (a problem line, the MFA prompt) to the stream, erasing the line first. */
  write(text: string): void;
  /** Erases the line and draws no more: the command is done (or failed) and its last words follow. */
  done(): void;
}

const ERASE_LINE = "\r\u001b[K";

/**
 * A one-line progress display on stderr, rewritten in place. Drawn only on a terminal without
 * --quiet; a pipe or a log file never sees a carriage return or an escape.
 */
export function createProgressDisplay(stream: ProgressStream, options: ProgressDisplayOptions = {}): ProgressDisplay {
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 500;
  const intervalMs = options.intervalMs ?? 100;
  let enabled = stream.isTTY === true && options.quiet !== true;

  // The source does not say when a batch starts; the end of the previous one (or the display's
  // creation, just before the sources open) is the best guess: the work between batches is short.
  let idleSince = now();
  let batchStartedAt: number | null = null;
  let lastDrawAt: number | null = null;
  let drawn = false;

  const clear = (): void => {
    if (!drawn) return;
    stream.write(ERASE_LINE);
    drawn = false;
  };

  const onProgress = (progress: ScanProgress): void => {
    if (!enabled) return;
    const t = now();
    if (progress.finished) {
      clear();
      batchStartedAt = null;
      lastDrawAt = null;
      idleSince = t;
      return;
    }
    batchStartedAt ??= idleSince;
    const elapsedMs = t - batchStartedAt;
    if (elapsedMs < delayMs) return;
    if (lastDrawAt !== null && t - lastDrawAt < intervalMs) return;
    // A narrow terminal would wrap the line, and `\r` would then rewrite only its last row. A
    // terminal that reports no size (0 columns, as under some ptys) is taken to be 80 wide.
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
    const width = Math.max(1, Math.min(PROGRESS_LINE_MAX_WIDTH, columns - 1));
    stream.write(`\r${formatProgressLine(progress, elapsedMs).slice(0, width)}\u001b[K`);
    drawn = true;
    lastDrawAt = t;
  };

  return {
    onProgress,
    clear,
    write(text) {
      clear();
      stream.write(text);
    },
    done() {
      clear();
      enabled = false;
    },
  };
}
