#!/usr/bin/env node
/**
 * Peak memory of trace-role over a large generated corpus (issue: a 2 GB-uncompressed corpus must
 * trace in a few hundred MB). Generates the corpus once into bench/.cache (deterministic, reused),
 * then traces several scenarios cold with the BUILT CLI and reports wall time and peak RSS.
 *
 *   npm run build && npx tsx bench/trace-memory.ts [--size 2GB] [--limit-mb 300]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateCorpus } from "../src/generator/generate-corpus.js";
import type { ExpectedTrace } from "../src/generator/expected-trace.js";

const { values } = parseArgs({ options: { size: { type: "string", default: "2GB" }, "limit-mb": { type: "string", default: "300" }, seed: { type: "string", default: "7" } } });
const root = resolve(import.meta.dirname, "..");
const sizeBytes = parseSize(values.size);
const cacheDir = resolve(root, "bench/.cache", `corpus-${values.size}-seed${values.seed}`);
const scenariosFile = resolve(cacheDir, "scenarios.json");

if (!existsSync(scenariosFile)) {
  const started = Date.now();
  process.stderr.write(`generating ${values.size} corpus into ${cacheDir} …\n`);
  const corpus = await generateCorpus({ outDir: cacheDir, seed: Number(values.seed), targetBytes: sizeBytes });
  process.stderr.write(`generated ${corpus.files} files, ${corpus.records} records, ${(corpus.uncompressedBytes / 1e6).toFixed(0)} MB uncompressed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
const scenarios = (JSON.parse(readFileSync(scenariosFile, "utf8")) as { scenarios: ExpectedTrace[] }).scenarios;
const picked = ["saml-multi-account", "cross-account-shared-event-id", "late-delivery"]
  .map((name) => scenarios.find((s) => s.name === name)).filter((s): s is ExpectedTrace => s !== undefined);

const rows: { scenario: string; mode: string; seconds: number; maxRssMb: number; hops: number; complete: boolean }[] = [];
for (const scenario of picked) {
  for (const mode of ["no --at (subject searched everywhere)", "with --at"]) {
    const args = ["--require", resolve(root, "bench/report-max-rss.cjs"), resolve(root, "dist/cli.js"), "trace-role",
      "--source", resolve(cacheDir, "logs"), "--event-id", scenario.subjectEventId, "--format", "json",
      ...(mode === "with --at" ? ["--at", scenario.subjectEventTime] : [])];
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rssKb = Number(/rolechain-bench maxRSS=(\d+)/.exec(run.stderr)?.[1] ?? Number.NaN);
    const report = JSON.parse(run.stdout) as { hops: unknown[]; complete: boolean };
    rows.push({ scenario: scenario.name, mode, seconds, maxRssMb: rssKb / 1024, hops: report.hops.length, complete: report.complete });
  }
}

const limitMb = Number(values["limit-mb"]);
console.log(`corpus: ${values.size} uncompressed (seed ${values.seed}), ${cacheDir}`);
console.log("| scenario | mode | wall s | peak RSS MB | hops | complete |\n| --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.scenario} | ${r.mode} | ${r.seconds.toFixed(2)} | ${r.maxRssMb.toFixed(0)} | ${r.hops} | ${r.complete} |`);
const worst = Math.max(...rows.map((r) => r.maxRssMb));
console.log(`peak RSS (worst run): ${worst.toFixed(0)} MB; limit ${limitMb} MB → ${worst <= limitMb ? "OK" : "OVER"}`);
process.exitCode = worst <= limitMb && rows.every((r) => r.complete) ? 0 : 1;

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(text);
  if (!match) throw new Error(`--size: "${text}" is not a size such as 200MB or 2GB`);
  const unit = (match[2] ?? "").toUpperCase();
  return Math.round(Number(match[1]) * (unit === "GB" ? 1024 ** 3 : unit === "MB" ? 1024 ** 2 : unit === "KB" ? 1024 : 1));
}
