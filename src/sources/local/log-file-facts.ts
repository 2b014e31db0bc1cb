/**
 * What a log file's path says about it, without opening it: CloudTrail's S3 key layout
 *   …/AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
 * survives `aws s3 sync`, and the file name alone survives a flat download. Times in keys and
 * names are DELIVERY times (cloudtrail-facts §5.1), so they bound, but never equal, event times.
 */
import { utcMsOfCalendar } from "../../core/cloudtrail-time.js";

export type LogFileKind =
  /** Management/data events, recognised by key layout or file name. */
  | "trail-log"
  /** Integrity digests: hashes of other files, no events. */
  | "digest"
  /** CloudTrail Insights and network-activity events: not management events, so not ours. */
  | "insight"
  | "network-activity"
  /** Obviously not a log (README.md, an archive, …): reported and never read. */
  | "not-log"
  /** Any other name: read and judged by content. */
  | "unknown";

export interface DeliveryInterval {
  /** First and last millisecond the path allows for the delivery (inclusive). */
  fromMs: number;
  toMs: number;
}

export interface LogFileFacts {
  kind: LogFileKind;
  accountId: string | null;
  region: string | null;
  organizationId: string | null;
  /** From the file name (minute resolution) or else the key's date folders (day resolution). */
  delivery: DeliveryInterval | null;
  /** For kind "not-log": why, in a few words. */
  notLogReason: string | null;
}

export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
// Regions are opaque: anonymised logs carry invented ones such as "us-north-2r" or "apiso-northsouth-3r".
export const REGION = /^[A-Za-z0-9-]+$/;
const TRAIL_FILE_NAME =
  /^(\d{12})_CloudTrail_([A-Za-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const IGNORED_TRAIL_FOLDERS: Readonly<Record<string, LogFileKind>> = {
  "CloudTrail-Digest": "digest",
  "CloudTrail-Insight": "insight",
  "CloudTrail-NetworkActivity": "network-activity",
};

// Names that are certainly not CloudTrail logs; a clear reason beats "not JSON". Anything else
// (.json, .gz, .jsonl, .txt, .log, no extension, …) is judged by its content.
const ARCHIVE = "an archive; extract it first";
const NOT_LOG_EXTENSIONS: Readonly<Record<string, string>> = {
  ".md": "documentation", ".rst": "documentation", ".html": "a web page", ".htm": "a web page",
  ".pdf": "a PDF", ".csv": "CSV; export CloudTrail as JSON", ".tsv": "TSV; export CloudTrail as JSON",
  ".yaml": "YAML", ".yml": "YAML", ".xml": "XML",
  ".png": "an image", ".jpg": "an image", ".jpeg": "an image", ".gif": "an image", ".svg": "an image",
  ".zip": ARCHIVE, ".tar": ARCHIVE, ".tgz": ARCHIVE, ".tar.gz": ARCHIVE, ".7z": ARCHIVE,
  ".sh": "a script", ".py": "a script", ".js": "a script", ".mjs": "a script", ".ts": "a script",
};

export function describeLogFilePath(filePath: string): LogFileFacts {
  const segments = splitPath(filePath);
  const name = segments[segments.length - 1] ?? "";
  return describeLogFileIn(folderFacts(segments.slice(0, -1)), name);
}

/** What a folder's path says about every file in it: worked out once per folder, not once per file. */
export interface FolderFacts {
  folders: readonly string[];
  fromFolders: PathFacts | null;
  /** Per IGNORED_TRAIL_MARKERS entry: whether one of the folders is that marker. */
  markerFolders: readonly boolean[];
}

/** The folder part of describeLogFilePath, for a folder's path. */
export function describeFolder(folderPath: string): FolderFacts {
  return folderFacts(splitPath(folderPath));
}

/** describeLogFilePath of the file `name` in a folder described by describeFolder. */
export function describeLogFileIn(folder: FolderFacts, name: string): LogFileFacts {
  const ignoredKind = ignoredTrailKind(name, folder);
  if (ignoredKind) return { ...unknownFacts(), kind: ignoredKind };

  const fromName = factsFromFileName(name);
  // A CloudTrail file name ends in .json or .json.gz, which no not-log extension does: only other names are judged.
  const notLogReason = fromName ? null : notLogReasonFor(name);
  if (notLogReason) return { ...unknownFacts(), kind: "not-log", notLogReason };

  const fromFolders = folder.fromFolders;
  if (!fromFolders && !fromName) return unknownFacts();
  // The file name is what CloudTrail wrote; folders only fill in what the name lacks.
  return {
    kind: "trail-log",
    accountId: fromName?.accountId ?? fromFolders?.accountId ?? null,
    region: fromName?.region ?? fromFolders?.region ?? null,
    organizationId: fromFolders?.organizationId ?? null,
    delivery: fromName?.delivery ?? fromFolders?.delivery ?? null,
    notLogReason: null,
  };
}

function splitPath(filePath: string): string[] {
  return filePath.split(/[\\/]+/).filter((s) => s !== "");
}

function folderFacts(folders: readonly string[]): FolderFacts {
  return { folders, fromFolders: factsFromKeyFolders(folders), markerFolders: IGNORED_TRAIL_MARKERS.map(({ marker }) => folders.includes(marker)) };
}

function unknownFacts(): LogFileFacts {
  return { kind: "unknown", accountId: null, region: null, organizationId: null, delivery: null, notLogReason: null };
}

// As lists once: discovery asks these of every file of a corpus.
const IGNORED_TRAIL_MARKERS = Object.entries(IGNORED_TRAIL_FOLDERS).map(([marker, kind]) => ({ marker, inName: `_${marker}_`, kind }));
const NOT_LOG_EXTENSION_LIST = Object.entries(NOT_LOG_EXTENSIONS);

/** The kind every file below a folder of this name has (describeLogFilePath says so for any of them). */
export function ignoredFolderKind(folderName: string): LogFileKind | null {
  return IGNORED_TRAIL_FOLDERS[folderName] ?? null;
}

function ignoredTrailKind(name: string, folder: FolderFacts): LogFileKind | null {
  for (let i = 0; i < IGNORED_TRAIL_MARKERS.length; i++) {
    const { inName, kind } = IGNORED_TRAIL_MARKERS[i]!;
    if (folder.markerFolders[i] || name.includes(inName)) return kind;
  }
  return null;
}

function notLogReasonFor(name: string): string | null {
  const lower = name.toLowerCase();
  for (const [extension, reason] of NOT_LOG_EXTENSION_LIST) {
    if (lower.endsWith(extension)) return `not a log file (${reason})`;
  }
  return null;
}

interface PathFacts {
  accountId: string | null;
  region: string | null;
  organizationId: string | null;
  delivery: DeliveryInterval | null;
}

/** Reads AWSLogs/[o-…/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD as far as it goes. */
function factsFromKeyFolders(folders: readonly string[]): PathFacts | null {
  const root = folders.lastIndexOf("AWSLogs");
  if (root === -1) return null;
  let at = root + 1;
  const organizationId = ORGANIZATION_ID.test(folders[at] ?? "") ? folders[at++] ?? null : null;
  const accountId = folders[at] ?? "";
  if (!ACCOUNT_ID.test(accountId) || folders[at + 1] !== "CloudTrail") return null;
  const region = folders[at + 2] ?? "";
  if (!REGION.test(region)) return { accountId, region: null, organizationId, delivery: null };
  const [year, month, day] = [folders[at + 3], folders[at + 4], folders[at + 5]];
  const dayStart = year && month && day ? dayStartMs(year, month, day) : null;
  const delivery = dayStart === null ? null : { fromMs: dayStart, toMs: dayStart + DAY_MS - 1 };
  return { accountId, region, organizationId, delivery };
}

function factsFromFileName(name: string): PathFacts | null {
  const match = TRAIL_FILE_NAME.exec(name);
  if (!match) return null;
  const [, accountId = "", region = "", year = "", month = "", day = "", hour = "", minute = ""] = match;
  // The pattern admits only digits there: no need to check them again (discovery does this for every file).
  const minuteStart = utcMsOfCalendar(Number(year), Number(month), Number(day), Number(hour), Number(minute));
  if (minuteStart === null) return null;
  // The name has minute resolution: the file may have been written any time in that minute.
  return { accountId, region, organizationId: null, delivery: { fromMs: minuteStart, toMs: minuteStart + MINUTE_MS - 1 } };
}

const DIGITS = /^\d+$/;

/** The start of the day a key's YYYY/MM/DD folders name; a day like 2024-02-31 is not CloudTrail's: utcMsOfCalendar refuses it. */
function dayStartMs(year: string, month: string, day: string): number | null {
  if (year.length !== 4 || !DIGITS.test(year) || !DIGITS.test(month) || !DIGITS.test(day)) return null;
  return utcMsOfCalendar(Number(year), Number(month), Number(day), 0, 0);
}
