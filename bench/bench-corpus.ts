/**
 * The corpora `npm run bench` measures: organisation trails written once by the project's generator
 * into bench/.cache (git-ignored) and reused while their scenarios.json exists.
 */
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createGunzip } from "node:zlib";
import { DEFAULT_START_TIME, generateCorpus } from "../src/generator/generate-corpus.js";
import type { ScenariosFile } from "../src/generator/expected-trace.js";
import { discoverLogFiles } from "../src/sources/local/discover-log-files.js";

export type CorpusSize = "medium" | "large";
export const CORPUS_SIZES: readonly CorpusSize[] = ["medium", "large"];

const TARGET_BYTES: Record<CorpusSize, number> = { medium: 200 * 1024 ** 2, large: 2 * 1024 ** 3 };
const DAYS = 3;
const SEED = 7;
const DAY_MS = 86_400_000;

/** What the report says about a corpus. Written next to scenarios.json as bench-facts.json. */
export interface CorpusFacts {
  logFiles: number;
  digestFiles: number;
  compressedBytes: number;
  uncompressedBytes: number;
  records: number;
  days: number;
  seed: number;
  startTime: string;
  endTime: string;
}

export interface BenchCorpus {
  size: CorpusSize;
  dir: string;
  logsDir: string;
  sweepConfigFile: string;
  scenarios: ScenariosFile;
  facts: CorpusFacts;
}

export async function ensureCorpus(benchDir: string, size: CorpusSize, say: (line: string) => void): Promise<BenchCorpus> {
  const dir = resolve(benchDir, ".cache", `corpus-${size}-days${DAYS}-seed${SEED}`);
  const scenariosFile = join(dir, "scenarios.json");
  const factsFile = join(dir, "bench-facts.json");
  if (!existsSync(scenariosFile)) await generate(dir, size, factsFile, say);
  if (!existsSync(factsFile)) {
    say(`measuring ${dir} (no bench-facts.json) …`);
    writeFileSync(factsFile, `${JSON.stringify(await measureCorpus(join(dir, "logs")), null, 2)}\n`);
  }
  return {
    size,
    dir,
    logsDir: join(dir, "logs"),
    sweepConfigFile: join(dir, "sweep-config.json"),
    scenarios: JSON.parse(readFileSync(scenariosFile, "utf8")) as ScenariosFile,
    facts: JSON.parse(readFileSync(factsFile, "utf8")) as CorpusFacts,
  };
}

/** Accounts whose logs are in the corpus (the org's), and the regions they log in. */
export function accountsAndRegions(corpus: BenchCorpus): { accounts: number; regions: number } {
  return { accounts: corpus.scenarios.accounts.filter((a) => a.inLogs).length, regions: corpus.scenarios.regions.length };
}

async function generate(dir: string, size: CorpusSize, factsFile: string, say: (line: string) => void): Promise<void> {
  const started = Date.now();
  say(`generating the ${size} corpus (${DAYS} days, seed ${SEED}) into ${dir} …`);
  const corpus = await generateCorpus({ outDir: dir, seed: SEED, targetBytes: TARGET_BYTES[size], days: DAYS });
  const facts: CorpusFacts = {
    logFiles: corpus.files,
    digestFiles: corpus.digestFiles,
    compressedBytes: corpus.compressedBytes,
    uncompressedBytes: corpus.uncompressedBytes,
    records: corpus.records,
    ...window(),
  };
  writeFileSync(factsFile, `${JSON.stringify(facts, null, 2)}\n`);
  say(`generated ${facts.logFiles} files, ${facts.records} records, ${mb(facts.uncompressedBytes)} MB uncompressed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The facts of a corpus generated without them being recorded: every log file is read once. */
async function measureCorpus(logsDir: string): Promise<CorpusFacts> {
  const discovery = await discoverLogFiles([logsDir]);
  let compressedBytes = 0;
  let uncompressedBytes = 0;
  let records = 0;
  for (const file of discovery.files) {
    compressedBytes += (await stat(file.path)).size;
    const text = await gunzipToString(file.path);
    uncompressedBytes += Buffer.byteLength(text);
    records += (JSON.parse(text) as { Records: unknown[] }).Records.length;
  }
  return { logFiles: discovery.files.length, digestFiles: discovery.ignored.digests, compressedBytes, uncompressedBytes, records, ...window() };
}

function window(): Pick<CorpusFacts, "days" | "seed" | "startTime" | "endTime"> {
  const endTime = new Date(Date.parse(DEFAULT_START_TIME) + DAYS * DAY_MS).toISOString().replace(".000Z", "Z");
  return { days: DAYS, seed: SEED, startTime: DEFAULT_START_TIME, endTime };
}

async function gunzipToString(path: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path).pipe(createGunzip())) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}
