/**
 * The files a trace or a sweep must read: the floor's input. Decided in-process and
 * deterministically from file names alone, with the local source's own pruning rule: a file
 * belongs to the set when name-pruning allows it for any query the work asks.
 */
import { writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { EventQuery, TimeRange } from "../src/core/event-query.js";
import { traceRoleChain } from "../src/core/trace/trace-role-chain.js";
import type { TraceOptions } from "../src/core/trace/trace-options.js";
import type { TraceReport } from "../src/schema/trace-report.js";
import type { EventSource } from "../src/sources/event-source.js";
import { discoverLogFiles } from "../src/sources/local/discover-log-files.js";
import { DEFAULT_DELIVERY_TOLERANCE, queriesForFile } from "../src/sources/local/file-pruning.js";
import { createLocalSource } from "../src/sources/local/local-source.js";
import type { LogFile } from "../src/sources/local/scan-log-file.js";

export interface FileSet {
  /** What the set is for, e.g. "trace-role without --at". */
  name: string;
  /** In discovery order. */
  paths: string[];
  bytes: number[];
  compressedBytes: number;
}

/** Runs the trace in-process over a source that records every query, then collects the files those queries allow. */
export async function filesTheTraceReads(logsDir: string, name: string, options: TraceOptions): Promise<{ set: FileSet; report: TraceReport }> {
  const asked: EventQuery[] = [];
  const source = recordingQueries(await createLocalSource([logsDir]), asked);
  const report = await traceRoleChain(source, options);
  return { set: await filesAllowedFor(logsDir, name, asked), report };
}

/** Every log file a sweep over `window` opens (its name's delivery time within the window plus the delivery slack). */
export function filesTheSweepReads(logsDir: string, name: string, window: TimeRange): Promise<FileSet> {
  return filesAllowedFor(logsDir, name, [{ timeRange: window }]);
}

async function filesAllowedFor(logsDir: string, name: string, queries: readonly EventQuery[]): Promise<FileSet> {
  const { files } = await discoverLogFiles([logsDir]);
  const allowed = files.filter((file: LogFile) => queriesForFile(file.facts, queries, DEFAULT_DELIVERY_TOLERANCE).length > 0);
  const paths = allowed.map((file) => file.path);
  const bytes = await Promise.all(paths.map(async (path) => (await stat(path)).size));
  return { name, paths, bytes, compressedBytes: sum(bytes) };
}

function recordingQueries(source: EventSource, asked: EventQuery[]): EventSource {
  return {
    label: source.label,
    query(queries) {
      asked.push(...queries);
      return source.query(queries);
    },
    problems: () => source.problems(),
    stats: () => source.stats(),
  };
}

/**
 * Splits a set into `parts` lists of about equal compressed bytes (largest file first onto the
 * lightest list), each kept in the set's order.
 */
export function splitByBytes(set: FileSet, parts: number): string[][] {
  const loads = Array.from({ length: parts }, () => 0);
  const owner = new Array<number>(set.paths.length);
  const bySizeDescending = set.paths.map((_, i) => i).sort((a, b) => set.bytes[b]! - set.bytes[a]!);
  for (const i of bySizeDescending) {
    const lightest = loads.indexOf(Math.min(...loads));
    owner[i] = lightest;
    loads[lightest]! += set.bytes[i]!;
  }
  return loads.map((_, part) => set.paths.filter((_, i) => owner[i] === part));
}

/** Writes the paths NUL-separated, for `xargs -0` (no ARG_MAX limit, any file name). */
export function writeFileList(paths: readonly string[], listFile: string): string {
  writeFileSync(listFile, paths.map((p) => `${p}\0`).join(""));
  return listFile;
}

/** Two sets with the same files (the measurements over them are shared). */
export function sameFiles(a: FileSet, b: FileSet): boolean {
  return a.paths.length === b.paths.length && a.paths.every((p, i) => p === b.paths[i]);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
