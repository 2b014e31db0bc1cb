import type { SourceProblem } from "../event-source.js";
import { oneLine } from "./problem-text.js";
import { usedRecords, type FilePosition, type FileScan } from "./scan-log-file.js";

/**
 * The one problem line a scanned file deserves, or null. Stream failures are known at once;
 * content problems (bad lines, rejected records) are only judged once the whole file has been
 * parsed, since the needle pre-filter may have skipped parts of it.
 * Effect: "partial" when some records were used, "skipped" when none were.
 */
export function describeFileProblem(scan: FileScan): SourceProblem | null {
  const { tally } = scan;
  const used = usedRecords(tally);
  const effect = used > 0 ? "partial" : "skipped";
  const location = scan.file.path;
  if (scan.failure !== null) {
    // NDJSON lines before a failure (say, a truncated gzip) are still good, parsed or not.
    if (used > 0) return { location, reason: oneLine(`${scan.failure} (${used} records before it were used)`), effect };
    if (scan.textsSkippedByNeedles > 0) {
      return { location, reason: oneLine(`${scan.failure} (lines before it are still read)`), effect: "partial" };
    }
    return { location, reason: oneLine(scan.failure), effect: "skipped" };
  }
  if (!scan.fullyParsed) return null;
  if (!tally.sawContent) return { location, reason: "empty file", effect: "skipped" };

  const parts: string[] = [];
  if (tally.firstUnusableText) {
    const { reason, where } = tally.firstUnusableText;
    parts.push(tally.texts === 1 ? reason
      : `${tally.unusableTexts} of ${tally.texts} lines unusable: ${reason} (first at ${formatPosition(where, true)})`);
  }
  if (tally.firstRejectedRecord) {
    const { reason, where } = tally.firstRejectedRecord;
    const position = formatPosition(where, tally.texts > 1);
    parts.push(tally.records === 1 ? reason
      : `${tally.rejectedRecords} of ${tally.records} records skipped: ${reason}${position ? ` (first at ${position})` : ""}`);
  }
  return parts.length === 0 ? null : { location, reason: oneLine(parts.join("; ")), effect };
}

/** A file holding only digests (recognised by content; names are caught at discovery). */
export function isDigestFile(scan: FileScan): boolean {
  const { tally } = scan;
  return scan.failure === null && scan.fullyParsed && tally.digests > 0 && tally.texts === tally.digests;
}

/** "line 7", "index 3" or "line 2, index 3"; the line is left out when the file is one text anyway. */
function formatPosition(where: FilePosition, showLine: boolean): string {
  const parts: string[] = [];
  if (where.line !== null && (showLine || where.index === null)) parts.push(`line ${where.line}`);
  if (where.index !== null) parts.push(`index ${where.index}`);
  return parts.join(", ");
}
