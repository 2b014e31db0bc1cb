/** The jq lookup done by an embedded analytical engine: DuckDB's read_json over the same gzipped files. */
import { join, resolve } from "node:path";
import { writeFileList, type FileSet } from "./file-sets.js";
import type { LookupResult } from "./jq-lookup.js";
import { describeFailure, peakRssMb, runTimed } from "./timed-process.js";

export interface DuckDbResult extends LookupResult {
  /** Peak RSS of the process DuckDB ran in, MB. */
  peakRssMb: number | null;
}

/** Thrown when DuckDB itself reports an error (the report shows it rather than dropping the row). */
export class DuckDbQueryError extends Error {}

/** `seconds` is from loading DuckDB to the answer, measured inside its process (Node and tsx start-up excluded). */
export async function duckDbLookup(set: FileSet, sessionArn: string, benchDir: string, scratchDir: string): Promise<DuckDbResult> {
  const list = writeFileList(set.paths, join(scratchDir, "duckdb.list"));
  const run = await runTimed(process.execPath, [
    "--require", resolve(benchDir, "report-max-rss.cjs"), "--import", "tsx", resolve(benchDir, "duckdb-lookup-child.ts"), list, sessionArn,
  ], { cwd: resolve(benchDir, "..") });
  const line = run.stdout.split("\n").find((l) => l.startsWith("{"));
  if (run.exitCode !== 0 || line === undefined) throw new Error(describeFailure(`DuckDB over ${set.name}`, run));
  const answer = JSON.parse(line) as { seconds: number; eventIds?: string[]; error?: string };
  if (answer.error !== undefined) throw new DuckDbQueryError(`after ${answer.seconds.toFixed(1)} s: ${answer.error}`);
  return { seconds: answer.seconds, eventIds: answer.eventIds ?? [], peakRssMb: peakRssMb(run) };
}
