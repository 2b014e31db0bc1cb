/**
 * Measures the local source on a generated trail corpus: an eventID lookup with and without the
 * needle pre-filter, and a full scan. Not a test (vitest ignores it); run by hand:
 *   npx tsx test/sources/local/measure-needle-filter.ts [files] [recordsPerFile]
 * (pipe its output to a file, not to `head`: SIGPIPE would skip removing the temp corpus)
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import type { EventQuery } from "../../../src/core/event-query.js";
import { assumeRoleRecord, eventUuid, sessionApiCallRecord, trailKey } from "../../helpers/local-log-files.js";

const fileCount = Number(process.argv[2] ?? 300);
const recordsPerFile = Number(process.argv[3] ?? 500);
const accounts = ["111111111111", "222222222222", "333333333333"];
const regions = ["us-east-1", "eu-west-1", "ap-south-1"];

async function generateCorpus(root: string): Promise<{ bytes: number; uncompressed: number; sampleId: string }> {
  let bytes = 0;
  let uncompressed = 0;
  let sampleId = "";
  const start = Date.parse("2026-11-17T00:00:00Z");
  for (let file = 0; file < fileCount; file++) {
    const accountId = accounts[file % accounts.length]!;
    const region = regions[Math.floor(file / accounts.length) % regions.length]!;
    const delivered = start + file * 5 * 60_000;
    const records = Array.from({ length: recordsPerFile }, (_, i) => {
      const n = file * recordsPerFile + i;
      const spec = {
        eventID: eventUuid(n + 1), accountId, region,
        eventTime: new Date(delivered - 60_000 - (i % 240) * 1000).toISOString().replace(".000Z", "Z"),
        sessionName: `session-${n % 977}`, accessKeyId: `ASIAGEN${String(n).padStart(13, "0")}`,
      };
      return i % 10 === 0 ? assumeRoleRecord(spec) : sessionApiCallRecord({ ...spec, eventName: i % 3 ? "GetObject" : "ListBuckets" });
    });
    if (file === Math.floor(fileCount * 0.7)) sampleId = records[recordsPerFile - 1]!["eventID"] as string;
    const text = Buffer.from(JSON.stringify({ Records: records }));
    const body = gzipSync(text, { level: 1 });
    const filePath = path.join(root, trailKey(accountId, region, new Date(delivered).toISOString()));
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(filePath, body);
    bytes += body.length;
    uncompressed += text.length;
  }
  return { bytes, uncompressed, sampleId };
}

async function timeQuery(root: string, queries: EventQuery[], useNeedleFilter: boolean, runs = 3) {
  let best = Number.POSITIVE_INFINITY;
  let found = 0;
  let stats = null as unknown;
  for (let run = 0; run < runs; run++) {
    const source = await createLocalSource([root], { useNeedleFilter });
    const started = performance.now();
    const answers = await source.query(queries);
    best = Math.min(best, performance.now() - started);
    found = answers.reduce((sum, a) => sum + a.events.length, 0);
    stats = source.stats();
  }
  return { ms: Math.round(best), found, stats };
}

const root = path.join(tmpdir(), `rolechain-measure-${process.pid}`);
try {
  const corpus = await generateCorpus(root);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`corpus: ${fileCount} files x ${recordsPerFile} records, ${mb(corpus.bytes)} MB gzip, ${mb(corpus.uncompressed)} MB JSON`);
  const lookup: EventQuery[] = [{ eventIds: [corpus.sampleId] }];
  const withFilter = await timeQuery(root, lookup, true);
  const withoutFilter = await timeQuery(root, lookup, false);
  const fullScan = await timeQuery(root, [{ eventNames: ["AssumeRole"] }], true);
  console.log(`eventID lookup, needle filter on : ${withFilter.ms} ms (found ${withFilter.found})`);
  console.log(`eventID lookup, needle filter off: ${withoutFilter.ms} ms (found ${withoutFilter.found})`);
  console.log(`speedup: ${(withoutFilter.ms / withFilter.ms).toFixed(1)}x`);
  console.log(`full scan (eventNames=AssumeRole): ${fullScan.ms} ms (found ${fullScan.found}), `
    + `${mb(corpus.uncompressed / (fullScan.ms / 1000))} MB/s of JSON`);
  console.log("stats with filter:", withFilter.stats);
} finally {
  // KEEP_CORPUS=1 leaves the corpus in place for profiling.
  if (process.env["KEEP_CORPUS"]) console.log(`corpus kept in ${root}`);
  else await rm(root, { recursive: true, force: true });
}
