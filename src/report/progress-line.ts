import type { ScanProgress } from "../sources/scan-progress.js";

/** Widest line: one short of an 80-column terminal, where a full-width line may wrap and break `\r`. */
export const PROGRESS_LINE_MAX_WIDTH = 79;

/** Before this, bytes over elapsed time measures start-up, not the disk: no rate, no ETA. */
export const RATE_AFTER_MS = 1000;

const PREFIX = "reading logs: ";
// Decimal units, as disks and `du --si` count; sizes take the first unit that keeps them to 4 digits.
const UNITS = [["kB", 1e3], ["MB", 1e6], ["GB", 1e9], ["TB", 1e12]] as const;
const MAX_ETA_SECONDS = 100 * 3600;

/**
 * One progress line for a scan, e.g.
 * `reading logs: 1,234/8,408 files, 312/2,149 MB, 78 MB/s, ETA 0:24`.
 * The rate is bytes done over `elapsedMs` (the batch's time so far); rate and ETA appear from
 * RATE_AFTER_MS on, and a finished batch has no ETA. Never wider than PROGRESS_LINE_MAX_WIDTH.
 */
export function formatProgressLine(progress: ScanProgress, elapsedMs: number): string {
  const parts = [`${count(progress.filesDone)}/${count(progress.filesTotal)} files`];
  if (progress.bytesTotal > 0) parts.push(sizes(progress.bytesDone, progress.bytesTotal));
  if (elapsedMs >= RATE_AFTER_MS && progress.bytesDone > 0) {
    const bytesPerSecond = progress.bytesDone / (elapsedMs / 1000);
    parts.push(rate(bytesPerSecond));
    if (!progress.finished) parts.push(`ETA ${eta(Math.max(0, progress.bytesTotal - progress.bytesDone) / bytesPerSecond)}`);
  }
  const body = parts.join(", ");
  // Only absurd counts (tens of millions of files) need the room the prefix takes.
  if (PREFIX.length + body.length <= PROGRESS_LINE_MAX_WIDTH) return PREFIX + body;
  return body.slice(0, PROGRESS_LINE_MAX_WIDTH);
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Done rounds down and total up, so the line never claims more than was read. */
function sizes(done: number, total: number): string {
  const [name, size] = UNITS.find(([, size]) => Math.ceil(total / size) <= 9_999) ?? UNITS[UNITS.length - 1]!;
  return `${count(Math.floor(done / size))}/${count(Math.ceil(total / size))} ${name}`;
}

/** The largest unit with a value of at least 1; one decimal below 10 (4.2 MB/s, 85 MB/s). */
function rate(bytesPerSecond: number): string {
  const [name, size] = [...UNITS].reverse().find(([, size]) => bytesPerSecond >= size) ?? UNITS[0];
  const value = bytesPerSecond / size;
  return `${value < 10 ? value.toFixed(1) : count(Math.round(value))} ${name}/s`;
}

/** m:ss, or h:mm:ss from an hour on; beyond 99 hours the figure means nothing. */
function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= MAX_ETA_SECONDS) return ">99h";
  const whole = Math.ceil(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
