import { parseArgs } from "node:util";
import { DEFAULT_DAYS, generateCorpus } from "./generate-corpus.js";

const USAGE = "usage: npx tsx src/generator/cli.ts --out DIR [--seed N] [--size 5MB|200MB|2GB] [--days N] [--start 2026-11-16T00:00:00Z]";

/** "200MB" → bytes (binary units, as bench/trace-memory.ts reads them). */
function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(text.trim());
  if (!match) throw new Error(`--size: "${text}" is not a size such as 5MB, 200MB or 2GB`);
  const unit = (match[2] ?? "").toUpperCase();
  return Math.round(Number(match[1]) * (unit === "GB" ? 1024 ** 3 : unit === "MB" ? 1024 ** 2 : unit === "KB" ? 1024 : 1));
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" }, seed: { type: "string", default: "1" }, size: { type: "string", default: "5MB" },
      days: { type: "string", default: String(DEFAULT_DAYS) }, start: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.out) {
    console.error(USAGE);
    return 2;
  }
  const started = process.hrtime.bigint();
  const corpus = await generateCorpus({
    outDir: values.out, seed: Number(values.seed), targetBytes: parseSize(values.size), days: Number(values.days),
    ...(values.start ? { startTime: values.start } : {}),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = corpus.uncompressedBytes / 1024 ** 2;
  console.log(`${corpus.files} files (+${corpus.digestFiles} digests), ${corpus.records} records, ${mb.toFixed(1)} MB uncompressed (${(corpus.compressedBytes / 1024 ** 2).toFixed(1)} MB gzip), ${corpus.scenarios.length} trace scenarios, ${corpus.findings.length} sweep findings, ${seconds.toFixed(1)} s (${(mb / seconds).toFixed(1)} MB/s) → ${corpus.logsDir}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
