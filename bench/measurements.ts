/**
 * What `npm run bench` measures on one corpus, in one run, on the same files. Each measurement is
 * a row id; a figure is the median of its runs. Correctness checks that fail are collected, not
 * thrown, so the other measurements still run; the bench then exits non-zero.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../src/core/trace/trace-options.js";
import type { ExpectedTrace } from "../src/generator/expected-trace.js";
import type { BenchCorpus } from "./bench-corpus.js";
import { DuckDbQueryError, duckDbLookup } from "./duckdb-lookup.js";
import { filesTheSweepReads, filesTheTraceReads, sameFiles, type FileSet } from "./file-sets.js";
import { jqLookup } from "./jq-lookup.js";
import { CheckFailed, Rolechain, type RolechainRun } from "./rolechain-runs.js";
import { median, runTimed } from "./timed-process.js";
import { warmPageCache, zcatFloor } from "./zcat-floor.js";

export const SUBJECT_SCENARIO = "saml-multi-account";
/** The next traces of the same incident (warm). */
export const OTHER_SCENARIOS = ["cross-account-shared-event-id", "role-chaining"];
/** A tool run longer than this is measured once (jq, DuckDB). */
const SLOW_RUN_SECONDS = 30;
const STARTUP_RUNS = 20;

/** Trace modes: the subject searched everywhere, or near its time. */
export type Mode = "no-at" | "at";
export const MODES: readonly Mode[] = ["no-at", "at"];
/** The file sets the floors are measured over. */
export type SetId = `trace-${Mode}` | "sweep";

export interface Figure {
  seconds: number;
  runs: number;
  peakRssMb: number | null;
  /** The file set this figure is compared with (its 2-process zcat floor). */
  set: SetId | null;
  /** The measurement could not be made (e.g. DuckDB failed): the message, shown instead of a time. */
  error?: string;
  /** Why the figure is not the median of the usual runs, or where it comes from. */
  note?: string;
}

export interface CorpusMeasurements {
  corpus: BenchCorpus;
  sets: Record<SetId, FileSet>;
  figures: Map<string, Figure>;
  failures: string[];
  pageCacheWarmSeconds: number;
}

interface Sample { seconds: number; peakRssMb?: number | null }

export async function measureCorpus(
  corpus: BenchCorpus, runs: number, benchDir: string, cliPath: string, say: (line: string) => void,
): Promise<CorpusMeasurements> {
  const scratchDir = mkdtempSync(join(tmpdir(), "rolechain-bench-"));
  const failures: string[] = [];
  const figures = new Map<string, Figure>();
  const rolechain = new Rolechain(benchDir, cliPath);
  const subject = scenarioNamed(corpus, SUBJECT_SCENARIO);
  const others = OTHER_SCENARIOS.map((name) => scenarioNamed(corpus, name));
  try {
    say(`${corpus.size}: deciding the files each trace and the sweep must read …`);
    const sets = await decideFileSets(corpus, subject, failures);
    say(`${corpus.size}: reading every log file once (page cache) …`);
    const pageCacheWarmSeconds = await warmPageCache(sets.sweep, scratchDir);

    const measure: Measure = async (id, set, times, sample, slowOnce = false) => {
      say(`${corpus.size}: ${id} …`);
      figures.set(id, await repeat(times, set, sample, slowOnce, failures, id));
    };

    await measureStartup(rolechain, figures, failures, say);
    await measureFloors(sets, runs, scratchDir, figures, failures, say, corpus.size);
    for (const mode of MODES) await measureLookups(sets[`trace-${mode}`], mode, subject, runs, measure, benchDir, scratchDir);
    for (const mode of MODES) await measureTraces(corpus, rolechain, subject, others, mode, runs, figures, failures, say);
    await measure("sweep", "sweep", runs, () => withFreshCache(rolechain, (cache) => rolechain.sweep(corpus, true, cache)));
    await measure("sweep-no-trace", "sweep", 1, () => withFreshCache(rolechain, (cache) => rolechain.sweep(corpus, false, cache)));
    return { corpus, sets, figures, failures, pageCacheWarmSeconds };
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

type Measure = (id: string, set: SetId | null, times: number, sample: () => Promise<Sample>, slowOnce?: boolean) => Promise<void>;

/**
 * zcat | jq and DuckDB finding the AssumeRole* that issued the subject's session, over the files the
 * trace reads: jq must find the hop's issuing event, DuckDB the same records as jq.
 */
async function measureLookups(
  set: FileSet, mode: Mode, subject: ExpectedTrace, runs: number, measure: Measure, benchDir: string, scratchDir: string,
): Promise<void> {
  const { sessionArn, issuingEventId } = subject.hops[0]!;
  const jqFound: { eventIds: string[] | null } = { eventIds: null };
  await measure(`jq:${mode}`, `trace-${mode}`, runs, async () => {
    const found = await jqLookup(set, sessionArn, scratchDir);
    if (!found.eventIds.includes(issuingEventId)) {
      throw new CheckFailed(`zcat | jq over ${set.name}: found ${found.eventIds.length} records (${found.eventIds.join(", ")}), not the issuing AssumeRole ${issuingEventId}`);
    }
    jqFound.eventIds = found.eventIds;
    return found;
  }, true);
  await measure(`duckdb:${mode}`, `trace-${mode}`, runs, async () => {
    const found = await duckDbLookup(set, sessionArn, benchDir, scratchDir);
    if (!found.eventIds.includes(issuingEventId) || (jqFound.eventIds && found.eventIds.join() !== jqFound.eventIds.join())) {
      throw new CheckFailed(`DuckDB over ${set.name}: found ${found.eventIds.join(", ") || "nothing"}; jq found ${jqFound.eventIds?.join(", ") ?? "(no jq result)"}`);
    }
    return found;
  }, true);
}

/** The trace sets come from in-process traces, which must rebuild the embedded chain. */
async function decideFileSets(corpus: BenchCorpus, subject: ExpectedTrace, failures: string[]): Promise<Record<SetId, FileSet>> {
  const traceSet = async (mode: Mode): Promise<FileSet> => {
    const name = `trace-role ${mode === "at" ? "with" : "without"} --at`;
    const { set, report } = await filesTheTraceReads(corpus.logsDir, name, {
      eventId: subject.subjectEventId, atMs: mode === "at" ? Date.parse(subject.subjectEventTime) : null,
      lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS,
    });
    if (!report.complete || report.hops.length !== subject.hops.length) {
      failures.push(`in-process ${name} (to decide its files): complete=${report.complete}, ${report.hops.length} hops; expected ${subject.hops.length} hops, complete`);
    }
    return set;
  };
  const window = { startMs: Date.parse(corpus.facts.startTime), endMs: Date.parse(corpus.facts.endTime) };
  return {
    "trace-no-at": await traceSet("no-at"),
    "trace-at": await traceSet("at"),
    sweep: await filesTheSweepReads(corpus.logsDir, "sweep over the whole corpus", window),
  };
}

async function measureStartup(rolechain: Rolechain, figures: Map<string, Figure>, failures: string[], say: (line: string) => void): Promise<void> {
  say("start-up …");
  const help: number[] = [];
  const bareNode: number[] = [];
  try {
    for (let i = 0; i < STARTUP_RUNS; i++) {
      help.push(await rolechain.help());
      bareNode.push((await runTimed(process.execPath, ["-e", "0"])).seconds);
    }
    figures.set("startup-help", { seconds: median(help), runs: STARTUP_RUNS, peakRssMb: null, set: null });
    figures.set("startup-node", { seconds: median(bareNode), runs: STARTUP_RUNS, peakRssMb: null, set: null });
  } catch (error) {
    failures.push((error as Error).message);
  }
}

/** 1 and 2 zcat processes over each distinct set, alternating; a set equal to an earlier one shares its figures. */
async function measureFloors(
  sets: Record<SetId, FileSet>, runs: number, scratchDir: string, figures: Map<string, Figure>, failures: string[],
  say: (line: string) => void, size: string,
): Promise<void> {
  const measured: SetId[] = [];
  for (const id of Object.keys(sets) as SetId[]) {
    const twin = measured.find((m) => sameFiles(sets[m], sets[id]));
    if (twin) {
      for (const p of [1, 2]) figures.set(`floor-${p}:${id}`, { ...figures.get(`floor-${p}:${twin}`)!, set: id, note: `the same files as ${sets[twin].name}: measured once` });
      continue;
    }
    say(`${size}: zcat floor over ${sets[id].name} (${sets[id].paths.length} files) …`);
    const seconds: Record<1 | 2, number[]> = { 1: [], 2: [] };
    try {
      for (let r = 0; r < runs; r++) {
        seconds[1].push(await zcatFloor(sets[id], 1, scratchDir));
        seconds[2].push(await zcatFloor(sets[id], 2, scratchDir));
      }
    } catch (error) {
      failures.push((error as Error).message);
    }
    for (const p of [1, 2] as const) figures.set(`floor-${p}:${id}`, { seconds: median(seconds[p]), runs: seconds[p].length, peakRssMb: null, set: id });
    measured.push(id);
  }
}

/**
 * Per run, a fresh cache folder: the subject traced cold, then in the same folder the same trace
 * again and the other scenarios' traces (warm: the next traces of the same incident).
 */
async function measureTraces(
  corpus: BenchCorpus, rolechain: Rolechain, subject: ExpectedTrace, others: readonly ExpectedTrace[], mode: Mode, runs: number,
  figures: Map<string, Figure>, failures: string[], say: (line: string) => void,
): Promise<void> {
  const withAt = mode === "at";
  const samples = { cold: [] as RolechainRun[], same: [] as RolechainRun[], others: [] as RolechainRun[] };
  say(`${corpus.size}: trace-role ${subject.name} ${withAt ? "with" : "without"} --at, cold then warm …`);
  try {
    for (let r = 0; r < runs; r++) {
      await withFreshCache(rolechain, async (cache) => {
        samples.cold.push(await rolechain.traceRole(corpus, subject, withAt, cache));
        samples.same.push(await rolechain.traceRole(corpus, subject, withAt, cache));
        for (const other of others) samples.others.push(await rolechain.traceRole(corpus, other, withAt, cache));
      });
    }
  } catch (error) {
    failures.push((error as Error).message);
  }
  const figure = (list: RolechainRun[], set: SetId | null): Figure => ({
    seconds: median(list.map((s) => s.seconds)), runs: list.length, peakRssMb: maxRss(list), set,
  });
  figures.set(`trace-cold:${mode}`, figure(samples.cold, `trace-${mode}`));
  figures.set(`trace-warm-same:${mode}`, figure(samples.same, null));
  figures.set(`trace-warm-others:${mode}`, figure(samples.others, null));
}

/** Median of up to `times` runs; a slow tool (first run over SLOW_RUN_SECONDS) is run once. */
async function repeat(
  times: number, set: SetId | null, sample: () => Promise<Sample>, slowOnce: boolean, failures: string[], id: string,
): Promise<Figure> {
  const samples: Sample[] = [];
  let note: string | undefined;
  try {
    for (let r = 0; r < times; r++) {
      samples.push(await sample());
      if (slowOnce && r === 0 && times > 1 && samples[0]!.seconds > SLOW_RUN_SECONDS) {
        note = `1 run: it took over ${SLOW_RUN_SECONDS} s`;
        break;
      }
    }
  } catch (error) {
    if (error instanceof DuckDbQueryError) return { seconds: Number.NaN, runs: 0, peakRssMb: null, set, error: `DuckDB failed ${error.message}` };
    failures.push(`${id}: ${(error as Error).message}`);
  }
  return { seconds: median(samples.map((s) => s.seconds)), runs: samples.length, peakRssMb: maxRss(samples), set, ...(note ? { note } : {}) };
}

async function withFreshCache<T>(rolechain: Rolechain, work: (cacheDir: string) => Promise<T>): Promise<T> {
  const cacheDir = rolechain.freshCacheDir();
  try {
    return await work(cacheDir);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function maxRss(samples: readonly Sample[]): number | null {
  const values = samples.map((s) => s.peakRssMb).filter((v): v is number => typeof v === "number");
  return values.length > 0 ? Math.max(...values) : null;
}

function scenarioNamed(corpus: BenchCorpus, name: string): ExpectedTrace {
  const scenario = corpus.scenarios.scenarios.find((s) => s.name === name);
  if (!scenario) throw new CheckFailed(`scenario ${name} is not in ${corpus.dir}/scenarios.json`);
  return scenario;
}
