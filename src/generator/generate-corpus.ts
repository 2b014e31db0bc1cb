import { mkdirSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BackgroundNoise, humanActivity } from "./background-noise.js";
import type { SweepConfig } from "../schema/sweep-config.js";
import type { ExpectedFinding } from "./expected-finding.js";
import type { ExpectedTrace, ScenariosFile } from "./expected-trace.js";
import { IdFactory, createBlobPool } from "./ids.js";
import { SECURITY, US_EAST_1, buildOrgModel } from "./org-model.js";
import { streamFor } from "./prng.js";
import { Reservations } from "./reservations.js";
import { MIN_DAYS, buildScenarios } from "./scenarios/index.js";
import { sweepConfigFor } from "./sweep-config.js";
import { DAY_MS } from "./time-format.js";
import { DELIVERY_SLOT_MS, TrailWriter } from "./trail-writer.js";

export const DEFAULT_START_TIME = "2026-11-16T00:00:00Z";
export const DEFAULT_TARGET_BYTES = 5 * 1024 * 1024;
export const DEFAULT_DAYS = 2;
const GZIP_LEVEL = 6;
const MAX_FILES_IN_FLIGHT = 16;
/**
 * A quiet org does not fill every five-minute slot: below this much noise per slot, activity is
 * batched into fewer, busier slots (fewer tiny files; the byte total is unchanged).
 */
const MIN_BURST_BYTES = 48 * 1024;
/** Noise-made exact duplicates per corpus (the scenarios add one more). */
const DUPLICATES = 6;

export interface GenerateCorpusOptions {
  outDir: string;
  seed?: number;
  /** Approximate uncompressed bytes of all log files (background noise + scenarios). */
  targetBytes?: number;
  days?: number;
  startTime?: string;
}

export interface GeneratedCorpus {
  logsDir: string;
  scenariosFile: string;
  scenarios: ExpectedTrace[];
  /** What a sweep with sweepConfigFile must report over the whole corpus (also in scenarios.json), sorted by eventTime then eventID. */
  findings: ExpectedFinding[];
  /** OUT/sweep-config.json, the config `findings` assume. */
  sweepConfigFile: string;
  sweepConfig: SweepConfig;
  /** CloudTrail log files written (digest files not included). */
  files: number;
  /** Records in those files, exact duplicates included. */
  records: number;
  uncompressedBytes: number;
  digestFiles: number;
  compressedBytes: number;
}

/**
 * Writes a deterministic organization trail (OUT/logs/AWSLogs/o-…/…) with embedded incident
 * scenarios, OUT/scenarios.json with the chain each trace scenario must trace to and the findings a
 * sweep must report, and OUT/sweep-config.json, the sweep config those findings assume. Same options give
 * byte-identical output. Memory stays flat in targetBytes: noise is generated slot by slot and each
 * file is written as soon as no later record can be delivered into it.
 */
export async function generateCorpus(options: GenerateCorpusOptions): Promise<GeneratedCorpus> {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0…4294967295, got ${seed}`);
  const days = options.days ?? DEFAULT_DAYS;
  const targetBytes = options.targetBytes ?? DEFAULT_TARGET_BYTES;
  const startMs = Date.parse(options.startTime ?? DEFAULT_START_TIME);
  if (!Number.isInteger(days) || days < MIN_DAYS) throw new RangeError(`days must be a whole number ≥ ${MIN_DAYS} (the scenarios need the room), got ${days}`);
  if (!Number.isFinite(targetBytes) || targetBytes <= 0) throw new RangeError(`targetBytes must be positive, got ${targetBytes}`);
  if (Number.isNaN(startMs)) throw new RangeError(`startTime is not an ISO date: ${options.startTime}`);
  const endMs = startMs + days * DAY_MS;

  const outDir = resolve(options.outDir);
  const logsDir = join(outDir, "logs");
  // A leftover corpus would mix with this one; logs/ belongs to the generator.
  rmSync(logsDir, { recursive: true, force: true });
  mkdirSync(logsDir, { recursive: true });

  const org = buildOrgModel();
  const reservations = new Reservations();
  const blobPool = createBlobPool(streamFor(seed, "blob-pool"));
  const scenarios = buildScenarios({ org, reservations, startMs, endMs, blobPool }, seed);

  const deliveryRng = streamFor(seed, "delivery");
  const writer = new TrailWriter({
    logsDir, org, startMs, seed, rng: deliveryRng, ids: new IdFactory(deliveryRng, blobPool), gzipLevel: GZIP_LEVEL,
    maxInFlight: MAX_FILES_IN_FLIGHT, duplicateEverySlots: Math.max(1, Math.floor((days * DAY_MS) / DELIVERY_SLOT_MS / (DUPLICATES + 1))), digestAccountId: SECURITY, digestRegion: US_EAST_1,
  });
  for (const record of scenarios.records) writer.add(record);

  const noiseRng = streamFor(seed, "noise");
  const noise = new BackgroundNoise({ rng: noiseRng, ids: new IdFactory(noiseRng, blobPool), org }, reservations, { startMs, endMs }, (r) => writer.add({ ...r, count: 1 }));
  const slots = Math.round((endMs - startMs) / DELIVERY_SLOT_MS);
  // More noise in working hours; weights normalised so the whole corpus lands near targetBytes.
  const weights = Array.from({ length: slots }, (_, s) => 0.45 + 0.55 * humanActivity(startMs + s * DELIVERY_SLOT_MS));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const noiseBytes = Math.max(0, targetBytes - scenarios.bytes);
  const quietRng = streamFor(seed, "quiet-slots");
  let carry = 0;
  for (let slot = 0; slot < slots; slot++) {
    const from = startMs + slot * DELIVERY_SLOT_MS;
    const budget = (noiseBytes * weights[slot]!) / totalWeight + carry;
    const quiet = budget < MIN_BURST_BYTES && slot < slots - 1 && !quietRng.chance(budget / MIN_BURST_BYTES);
    carry = quiet ? budget : budget - noise.fillSlot(from, from + DELIVERY_SLOT_MS, budget);
    // Every record generated from now on happens at or after the next slot, so earlier slots are final.
    await writer.flushBefore(slot + 1);
  }
  const stats = await writer.finish();

  const scenariosFile = join(outDir, "scenarios.json");
  const file: ScenariosFile = {
    schema: "rolechain.generator-scenarios/v1",
    seed,
    accounts: [
      ...org.accounts.map((a) => ({ id: a.id, name: a.name, inLogs: true })),
      { id: org.outside.vendor.id, name: org.outside.vendor.name, inLogs: false },
      { id: org.outside.unknown.id, name: org.outside.unknown.name, inLogs: false },
      { id: org.outside.external.id, name: org.outside.external.name, inLogs: false },
    ],
    regions: org.regions,
    scenarios: scenarios.traces,
    findings: scenarios.findings,
  };
  await writeFile(scenariosFile, `${JSON.stringify(file, null, 2)}\n`);
  const sweepConfigFile = join(outDir, "sweep-config.json");
  const sweepConfig = sweepConfigFor(org);
  await writeFile(sweepConfigFile, `${JSON.stringify(sweepConfig, null, 2)}\n`);
  return {
    logsDir, scenariosFile, scenarios: scenarios.traces, findings: scenarios.findings, sweepConfigFile, sweepConfig,
    files: stats.files, records: stats.records,
    uncompressedBytes: stats.uncompressedBytes, digestFiles: stats.digestFiles, compressedBytes: stats.compressedBytes,
  };
}
