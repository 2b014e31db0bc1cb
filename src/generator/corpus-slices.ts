import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/**
 * Splitting a corpus by delivery time, for tests of incremental (scheduled) runs: a run at time T
 * can only have seen the files CloudTrail had delivered by T. The delivery time is the stamp in the
 * file name (`<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`, minute precision),
 * so a late-delivered file falls into a later batch than the events it holds. Works for any directory
 * laid out like a trail bucket, not only generated ones; digest files are not log files and are left out.
 */

export interface DeliveredLogFile {
  /** Path under the logs directory, with forward slashes (AWSLogs/o-…/<account>/CloudTrail/<region>/YYYY/MM/DD/<name>). */
  relativePath: string;
  absolutePath: string;
  accountId: string;
  region: string;
  /** The delivery time the name carries. */
  deliveredMs: number;
}

const LOG_FILE_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : entry.isFile() ? [full] : [];
  });
}

/** Every CloudTrail log file under `logsDir`, in delivery order (then by path). */
export function listDeliveredLogFiles(logsDir: string): DeliveredLogFile[] {
  const files: DeliveredLogFile[] = [];
  for (const absolutePath of walk(logsDir)) {
    const m = LOG_FILE_NAME.exec(absolutePath.slice(absolutePath.lastIndexOf(sep) + 1));
    if (!m) continue;
    files.push({
      relativePath: relative(logsDir, absolutePath).split(sep).join("/"), absolutePath, accountId: m[1]!, region: m[2]!,
      deliveredMs: Date.UTC(Number(m[3]), Number(m[4]) - 1, Number(m[5]), Number(m[6]), Number(m[7])),
    });
  }
  return files.sort((a, b) => a.deliveredMs - b.deliveredMs || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

/** The log files delivered in [fromMs, toMs). */
export function listLogFilesDeliveredBetween(logsDir: string, fromMs: number, toMs: number): DeliveredLogFile[] {
  return listDeliveredLogFiles(logsDir).filter((f) => f.deliveredMs >= fromMs && f.deliveredMs < toMs);
}

/**
 * The log files in consecutive batches cut at `cutsMs` (ascending): batch 0 is everything delivered
 * before cutsMs[0], the last batch everything from the last cut on. Every file is in exactly one batch.
 */
export function splitByDelivery(logsDir: string, cutsMs: readonly number[]): DeliveredLogFile[][] {
  for (let i = 1; i < cutsMs.length; i++) if (cutsMs[i]! < cutsMs[i - 1]!) throw new RangeError("cuts must be ascending");
  const batches: DeliveredLogFile[][] = Array.from({ length: cutsMs.length + 1 }, () => []);
  for (const file of listDeliveredLogFiles(logsDir)) {
    const index = cutsMs.findIndex((cut) => file.deliveredMs < cut);
    batches[index < 0 ? cutsMs.length : index]!.push(file);
  }
  return batches;
}

/** Copies `files` into `destLogsDir` under their relative paths (adding to what is there), as a delivery would. */
export function copyLogFiles(files: readonly DeliveredLogFile[], destLogsDir: string): void {
  for (const file of files) {
    const target = join(destLogsDir, ...file.relativePath.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file.absolutePath, target);
  }
}
