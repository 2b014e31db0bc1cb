#!/usr/bin/env node
/**
 * `npm run bench`: rolechain against the floor (zcat), a hand-written zcat | jq pipeline and DuckDB,
 * on a medium (~200 MB) and a large (~2 GB uncompressed) generated organisation trail; prints the
 * table and writes docs/performance.md. See bench/README.md.
 *
 *   npm run --silent build && npx tsx bench/run-bench.ts [--size medium|large|both] [--runs N]
 *
 * Exits 1 when a correctness check fails (a wrong chain, findings, lookup), not when a target is missed.
 */
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CORPUS_SIZES, ensureCorpus, type CorpusSize } from "./bench-corpus.js";
import { figureNotes, performanceDoc, resultsTable, targetLines, type Machine } from "./bench-report.js";
import { snapshotBuiltCli } from "./cli-snapshot.js";
import { measureCorpus, type CorpusMeasurements } from "./measurements.js";
import { runTimed } from "./timed-process.js";

const DEFAULT_RUNS: Record<CorpusSize, number> = { medium: 5, large: 3 };

const benchDir = import.meta.dirname;
const root = resolve(benchDir, "..");
const { sizes, runs } = parseCommandLine();
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
const loadAtStart = loadavg()[0]!;
if (loadAtStart > cpus().length / 2) say(`the machine is busy (load average ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs): every figure will be slower`);
const loadSamples: number[] = [];
const loadSampler = setInterval(() => loadSamples.push(loadavg()[0]!), 5000);

if (!existsSync(resolve(root, "dist/cli.js"))) {
  say("dist/cli.js is missing: run `npm run build` first");
  process.exit(2);
}
const cli = await snapshotBuiltCli(root, benchDir);
say(`measuring the build of ${cli.build}, copied to ${cli.cliPath}`);

const results: CorpusMeasurements[] = [];
for (const size of sizes) {
  const corpus = await ensureCorpus(benchDir, size, say);
  results.push(await measureCorpus(corpus, runs[size], benchDir, cli.cliPath, say));
}
clearInterval(loadSampler);

const failures = results.flatMap((r) => r.failures.map((f) => `${r.corpus.size}: ${f}`));
console.log(resultsTable(results));
const notes = figureNotes(results, runs);
if (notes.length > 0) console.log(`\n${notes.map((n) => `- ${n}`).join("\n")}`);
console.log(`\n${targetLines(results).map((l) => `- ${l}`).join("\n")}`);
const machine = await describeMachine();
console.log(`\n${machine.cpu} × ${machine.cpus}, ${machine.totalMemoryGb.toFixed(1)} GB, Node ${machine.node}; load average ${machine.load}; rolechain ${machine.build}`);

if (failures.length > 0) {
  console.error(`\nCORRECTNESS CHECKS FAILED (docs/performance.md not written):\n${failures.map((f) => `- ${f}`).join("\n")}`);
  process.exitCode = 1;
} else {
  const docFile = resolve(root, "docs/performance.md");
  writeFileSync(docFile, performanceDoc(results, machine, runs));
  say(`wrote ${docFile}`);
}

function parseCommandLine(): { sizes: CorpusSize[]; runs: Record<CorpusSize, number> } {
  const { values } = parseArgs({ options: { size: { type: "string", default: "both" }, runs: { type: "string" } } });
  const sizes = values.size === "both" ? [...CORPUS_SIZES] : CORPUS_SIZES.filter((s) => s === values.size);
  if (sizes.length === 0) throw new Error(`--size: "${values.size}" is not medium, large or both`);
  if (values.runs === undefined) return { sizes, runs: DEFAULT_RUNS };
  const n = Number(values.runs);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--runs: "${values.runs}" is not a positive whole number`);
  return { sizes, runs: { medium: n, large: n } };
}

/** The 1-minute load average at the start, and its mean and maximum sampled every 5 s during the run. */
function describeLoad(): string {
  const samples = loadSamples.length > 0 ? loadSamples : [loadavg()[0]!];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `${loadAtStart.toFixed(2)} at the start; during the run mean ${mean.toFixed(2)}, max ${Math.max(...samples).toFixed(2)} (${cpus().length} CPUs)`;
}

async function describeMachine(): Promise<Machine> {
  const firstLine = async (command: string, args: string[]) => (await runTimed(command, args)).stdout.split("\n")[0]?.trim() ?? "?";
  const duckdbVersion = (JSON.parse(readFileSync(resolve(root, "node_modules/@duckdb/node-api/package.json"), "utf8")) as { version: string }).version;
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    totalMemoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString().slice(0, 10),
    load: describeLoad(),
    build: cli.build,
    tools: `${await firstLine("/usr/bin/zcat", ["--version"])}; ${await firstLine("/usr/bin/jq", ["--version"])}; @duckdb/node-api ${duckdbVersion}`,
  };
}
