import { readdirSync, type Dirent } from "node:fs";
import { access, constants, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { SourceProblem } from "../event-source.js";
import { SourceUnavailableError } from "../source-errors.js";
import {
  describeFolder, describeLogFileIn, ignoredFolderKind, type FolderFacts, type LogFileFacts, type LogFileKind,
} from "./log-file-facts.js";
import type { LogFile } from "./scan-log-file.js";

/** Files seen during discovery that are not read, by why. None of them is a problem. */
export interface IgnoredFileCounts {
  /** Digest files recognised by name or folder. */
  digests: number;
  /** CloudTrail-Insight and CloudTrail-NetworkActivity files: not management events. */
  insightOrNetworkActivity: number;
  /** Names starting with "." (.DS_Store, .git, editor files); a hidden folder counts once. */
  hidden: number;
}

export interface Discovery {
  /** Candidate log files in deterministic order: roots as given, then sorted depth-first. */
  files: LogFile[];
  ignored: IgnoredFileCounts;
  /** Files that will never be read (not a log, broken link, unlistable folder), one each. */
  problems: SourceProblem[];
}

/**
 * Indexes every --source path by name only (no file is opened). Directories are walked
 * recursively; symbolic links are followed, but each real directory and file is visited once,
 * so link loops and overlapping --source paths cost nothing. A root that is missing or cannot be
 * read throws SourceUnavailableError; anything wrong below a root becomes a problem.
 */
export async function discoverLogFiles(roots: readonly string[]): Promise<Discovery> {
  const walker = new Walker();
  for (const root of roots) await walker.addRoot(root);
  return { files: walker.files, ignored: walker.ignored, problems: walker.problems };
}

class Walker {
  readonly files: LogFile[] = [];
  readonly ignored: IgnoredFileCounts = { digests: 0, insightOrNetworkActivity: 0, hidden: 0 };
  readonly problems: SourceProblem[] = [];
  private readonly visited = new Set<string>();
  /** Set while walking below a CloudTrail-Digest (or Insight, NetworkActivity) folder: its files are only counted. */
  private ignoredBelow: LogFileKind | null = null;

  async addRoot(root: string): Promise<void> {
    let opened: { real: string; entries: Dirent[] | null };
    try {
      opened = await openRoot(root);
    } catch (error) {
      if (error instanceof SourceUnavailableError) throw error;
      throw new SourceUnavailableError(root, fsReason(error), { cause: error });
    }
    if (opened.entries === null) this.addFile(root, opened.real);
    else if (this.markVisited(opened.real)) await this.walkEntries(root, opened.real, opened.entries);
  }

  private async walkDirectory(display: string, real: string): Promise<void> {
    if (!this.markVisited(real)) return;
    let entries: Dirent[];
    try {
      // Synchronous: nothing else runs during discovery, and a thread-pool round trip per folder
      // (an organisation trail has one per account, region and day) was most of the walk's time.
      entries = readdirSync(display, { withFileTypes: true });
    } catch (error) {
      this.problems.push({ location: display, reason: `cannot list folder: ${fsReason(error)}`, effect: "skipped" });
      return;
    }
    await this.walkEntries(display, real, entries);
  }

  /** Half an organisation trail's files are digests: below their folder, no file's path is parsed. */
  private async walkFolder(name: string, display: string, real: string): Promise<void> {
    const outer = this.ignoredBelow;
    this.ignoredBelow ??= ignoredFolderKind(name);
    try {
      await this.walkDirectory(display, real);
    } finally {
      this.ignoredBelow = outer;
    }
  }

  private async walkEntries(display: string, real: string, entries: Dirent[]): Promise<void> {
    entries.sort((a, b) => compareCodePoints(a.name, b.name));
    const displayDir = path.normalize(display);
    const folder = new FolderOfFiles(display, real);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) {
        this.ignored.hidden++;
        continue;
      }
      const entryDisplay = childPath(displayDir, entry.name);
      // A non-link entry's real path is its real parent plus its name: no syscall needed.
      const entryReal = childPath(real, entry.name);
      if (entry.isDirectory()) await this.walkFolder(entry.name, entryDisplay, entryReal);
      else if (entry.isFile()) this.addFile(entryDisplay, entryReal, () => folder.factsOf(entry.name, entryReal));
      else if (entry.isSymbolicLink()) await this.followLink(entryDisplay);
      else this.notRegular(entryDisplay);
    }
  }

  private async followLink(display: string): Promise<void> {
    let target: { real: string; isDirectory: boolean; isFile: boolean };
    try {
      const stats = await stat(display);
      target = { real: await realpath(display), isDirectory: stats.isDirectory(), isFile: stats.isFile() };
    } catch (error) {
      this.problems.push({ location: display, reason: `broken symbolic link: ${fsReason(error)}`, effect: "skipped" });
      return;
    }
    if (target.isDirectory) await this.walkDirectory(display, target.real);
    else if (target.isFile) this.addFile(display, target.real);
    else this.notRegular(display);
  }

  /** `facts`: the file's facts when its folder can tell them faster than its path (factsFor). */
  private addFile(display: string, real: string, facts: () => LogFileFacts = () => factsFor(display, real)): void {
    if (!this.markVisited(real)) return;
    if (this.ignoredBelow === "digest") {
      this.ignored.digests++;
      return;
    }
    if (this.ignoredBelow !== null) {
      this.ignored.insightOrNetworkActivity++;
      return;
    }
    const fileFacts = facts();
    switch (fileFacts.kind) {
      case "digest":
        this.ignored.digests++;
        return;
      case "insight":
      case "network-activity":
        this.ignored.insightOrNetworkActivity++;
        return;
      case "not-log":
        this.problems.push({ location: display, reason: fileFacts.notLogReason ?? "not a log file", effect: "skipped" });
        return;
      default:
        this.files.push({ path: display, facts: fileFacts, realPath: real });
    }
  }

  private notRegular(display: string): void {
    // Reading a FIFO would block the scan forever.
    this.problems.push({ location: display, reason: "not a regular file", effect: "skipped" });
  }

  private markVisited(real: string): boolean {
    if (this.visited.has(real)) return false;
    this.visited.add(real);
    return true;
  }
}

/** A --source path: a readable file (entries null) or a listable directory. */
async function openRoot(root: string): Promise<{ real: string; entries: Dirent[] | null }> {
  const stats = await stat(root);
  if (stats.isFile()) {
    await access(root, constants.R_OK);
    return { real: await realpath(root), entries: null };
  }
  if (!stats.isDirectory()) throw new SourceUnavailableError(root, "not a regular file or directory");
  return { real: await realpath(root), entries: await readdir(root, { withFileTypes: true }) };
}

/** The facts of a file met on its own (a --source file, a link's target): a folder of one. */
function factsFor(display: string, real: string): LogFileFacts {
  return new FolderOfFiles(path.dirname(display), path.dirname(real)).factsOf(path.basename(display), real);
}

/**
 * What a file's path tells, for the files of one folder: the absolute path shows AWSLogs/… folders
 * above a relative --source, and the real path those behind a link. The folder's part of each path
 * is read once (a corpus has ~130 files per day folder), and each file adds only its name.
 */
class FolderOfFiles {
  private absolute: { path: string; facts: FolderFacts } | null = null;
  private real: FolderFacts | null = null;

  constructor(private readonly display: string, private readonly realPath: string) {}

  /** `name` as listed in this folder; `realFile` the real path of what it leads to, whose own name may differ (a link). */
  factsOf(name: string, realFile: string): LogFileFacts {
    if (this.absolute === null) {
      const absolute = path.resolve(this.display);
      this.absolute = { path: absolute, facts: describeFolder(absolute) };
    }
    const facts = describeLogFileIn(this.absolute.facts, name);
    if (facts.kind !== "unknown" || realFile === childPath(this.absolute.path, name)) return facts;
    this.real ??= describeFolder(this.realPath);
    return describeLogFileIn(this.real, path.basename(realFile));
  }
}

/** path.join(folder, name) for a normalized folder and a name from readdir (no separator in it), without join's cost. */
export function childPath(folder: string, name: string): string {
  if (folder === ".") return name;
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a path component is not a directory",
  ELOOP: "too many levels of symbolic links",
};

function fsReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return FS_REASONS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}
