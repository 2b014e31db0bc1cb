/**
 * The floor: only decompressing the files a piece of work must read, `zcat FILES > /dev/null`, in one
 * process, or split over two processes running at once (halves of about equal compressed bytes).
 */
import { join } from "node:path";
import { splitByBytes, writeFileList, type FileSet } from "./file-sets.js";
import { describeFailure, runTimed } from "./timed-process.js";

const ZCAT = "/usr/bin/zcat";

/** Wall seconds of decompressing the set with `processes` zcat pipelines at once (xargs keeps each under ARG_MAX). */
export async function zcatFloor(set: FileSet, processes: number, scratchDir: string): Promise<number> {
  const lists = splitByBytes(set, processes).map((paths, i) => writeFileList(paths, join(scratchDir, `floor-${processes}-${i}.list`)));
  const started = process.hrtime.bigint();
  const runs = await Promise.all(lists.map((list) => runTimed("xargs", ["-0", ZCAT], { stdinFile: list, discardStdout: true })));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = runs.find((run) => run.exitCode !== 0);
  if (failed) throw new Error(describeFailure(`zcat over ${set.name}`, failed));
  return seconds;
}

/** Reads every file once so that every measurement after it reads from the OS page cache. */
export async function warmPageCache(set: FileSet, scratchDir: string): Promise<number> {
  const run = await runTimed("xargs", ["-0", "cat"], { stdinFile: writeFileList(set.paths, join(scratchDir, "warm.list")), discardStdout: true });
  if (run.exitCode !== 0) throw new Error(describeFailure("reading the corpus into the page cache", run));
  return run.seconds;
}
