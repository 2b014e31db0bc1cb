import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { buildDigest, digestKey, type DigestedLogFile } from "./digest-file.js";
import type { IdFactory } from "./ids.js";
import type { OrgModel } from "./org-model.js";
import { seedFrom, type Prng } from "./prng.js";
import { HOUR_MS, MINUTE_MS, datePath, isoSeconds, logFileStamp } from "./time-format.js";

const gzipAsync = promisify(gzip);

/** CloudTrail publishes a file per account and region about every five minutes. */
export const DELIVERY_SLOT_MS = 5 * MINUTE_MS;
const STRAGGLER_RATE = 0.06;

/** Records to deliver together; `json` may hold several comma-joined records that must stay adjacent and in order. */
export interface PendingRecord {
  json: string;
  count: number;
  accountId: string;
  region: string;
  timeMs: number;
  /** Deliver at this time instead of a few minutes after timeMs (late delivery). */
  deliverAtMs?: number;
  /** Also deliver an exact copy in a later file of the same account and region. */
  duplicateLater?: boolean;
  /** Newest event time inside `json` when it holds several records. */
  newestTimeMs?: number;
}

export interface TrailWriterOptions {
  logsDir: string;
  org: OrgModel;
  startMs: number;
  seed: number;
  rng: Prng;
  ids: IdFactory;
  gzipLevel: number;
  maxInFlight: number;
  /** A handful of exact duplicates (same eventID) across files, as CloudTrail sometimes delivers: one after every this many slots. */
  duplicateEverySlots: number;
  /** The account and region whose hourly digest files are written. */
  digestAccountId: string;
  digestRegion: string;
}

export interface TrailWriterStats {
  files: number;
  digestFiles: number;
  records: number;
  uncompressedBytes: number;
  compressedBytes: number;
}

interface Item {
  json: string;
  count: number;
  oldestMs: number;
  newestMs: number;
}

/**
 * Buffers records by delivery slot and writes each slot's files as soon as no later record can land
 * in it. Memory holds only the few slots still open (plus pre-placed scenario records).
 */
export class TrailWriter {
  private readonly slots = new Map<number, Map<string, Item[]>>();
  private flushedBefore = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;
  private readonly createdDirs = new Set<string>();
  private readonly digestBuckets = new Map<number, DigestedLogFile[]>();
  private digestsWrittenBefore = 0;
  private lastFileHour = -1;
  private previousDigest: { key: string; hash: string; signature: string } | null = null;
  private duplicateDue = false;
  readonly stats: TrailWriterStats = { files: 0, digestFiles: 0, records: 0, uncompressedBytes: 0, compressedBytes: 0 };

  constructor(private readonly o: TrailWriterOptions) {}

  add(record: PendingRecord): void {
    const slot = record.deliverAtMs !== undefined ? this.slotOf(record.deliverAtMs) : this.deliverySlot(record);
    const item: Item = { json: record.json, count: record.count, oldestMs: record.timeMs, newestMs: record.newestTimeMs ?? record.timeMs };
    this.place(slot, record.accountId, record.region, item);
    if (record.duplicateLater) this.place(slot + this.o.rng.between(1, 3), record.accountId, record.region, item);
  }

  /** Writes every slot before `slot`: the caller promises no later record will be delivered there. */
  async flushBefore(slot: number): Promise<void> {
    while (this.flushedBefore < slot) {
      await this.flushSlot(this.flushedBefore);
      this.flushedBefore++;
      await this.writeCompleteDigests(this.o.startMs + (this.flushedBefore + 1) * DELIVERY_SLOT_MS);
    }
  }

  async finish(): Promise<TrailWriterStats> {
    const last = Math.max(this.flushedBefore, ...this.slots.keys()) + 1;
    await this.flushBefore(last);
    await this.writeCompleteDigests(this.o.startMs + (this.lastFileHour + 1) * HOUR_MS);
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    return this.stats;
  }

  /**
   * CloudTrail batches an account-region's events and publishes them every ~5 minutes: records of one
   * five-minute window share a file, which sometimes goes out one slot later; a few stragglers miss
   * their batch and ride in the next file (so files overlap in time and are not in order).
   */
  private deliverySlot(record: PendingRecord): number {
    const eventSlot = this.slotOf(record.newestTimeMs ?? record.timeMs);
    const batchLag = seedFrom(this.o.seed, `${record.accountId}|${record.region}|${eventSlot}`) % 4 === 0 ? 1 : 0;
    const straggler = this.o.rng.chance(STRAGGLER_RATE) ? this.o.rng.between(1, 2) : 0;
    return eventSlot + batchLag + straggler;
  }

  private slotOf(ms: number): number {
    return Math.max(0, Math.floor((ms - this.o.startMs) / DELIVERY_SLOT_MS));
  }

  private place(slot: number, accountId: string, region: string, item: Item): void {
    if (slot < this.flushedBefore) throw new Error(`record for ${accountId}/${region} arrived after its delivery slot was written`);
    let files = this.slots.get(slot);
    if (!files) this.slots.set(slot, (files = new Map()));
    const key = `${accountId}|${region}`;
    const items = files.get(key);
    if (items) items.push(item);
    else files.set(key, [item]);
  }

  private async flushSlot(slot: number): Promise<void> {
    if (slot > 0 && slot % this.o.duplicateEverySlots === 0) this.duplicateDue = true;
    const files = this.slots.get(slot);
    if (!files) return;
    this.slots.delete(slot);
    const keys = [...files.keys()].sort();
    if (this.duplicateDue) this.duplicateDue = !this.duplicateOne(slot, files, this.o.rng.pick(keys));
    for (const key of keys) {
      const [accountId, region] = key.split("|") as [string, string];
      await this.writeLogFile(slot, accountId, region, files.get(key)!);
    }
  }

  /** Copies one record into a later file of the same account and region: a record never changes recipient. */
  private duplicateOne(slot: number, files: Map<string, Item[]>, key: string): boolean {
    const single = (files.get(key) ?? []).filter((i) => i.count === 1);
    if (single.length === 0) return false;
    const [accountId, region] = key.split("|") as [string, string];
    this.place(slot + this.o.rng.between(1, 3), accountId, region, { ...this.o.rng.pick(single) });
    return true;
  }

  private async writeLogFile(slot: number, accountId: string, region: string, items: Item[]): Promise<void> {
    const { org, rng } = this.o;
    rng.shuffle(items);
    const slotEnd = this.o.startMs + (slot + 1) * DELIVERY_SLOT_MS;
    const fileMs = Math.ceil(slotEnd / MINUTE_MS) * MINUTE_MS + rng.int(3) * MINUTE_MS;
    const name = `${accountId}_CloudTrail_${region}_${logFileStamp(fileMs)}_${this.o.ids.logFileUniqueString()}.json.gz`;
    const dir = `AWSLogs/${org.orgId}/${accountId}/CloudTrail/${region}/${datePath(fileMs)}`;
    const body = Buffer.from(`{"Records":[${items.map((i) => i.json).join(",")}]}`, "utf8");
    let count = 0;
    let oldest = Infinity;
    let newest = -Infinity;
    for (const item of items) {
      count += item.count;
      oldest = Math.min(oldest, item.oldestMs);
      newest = Math.max(newest, item.newestMs);
    }
    this.stats.files++;
    this.stats.records += count;
    this.stats.uncompressedBytes += body.length;
    this.lastFileHour = Math.max(this.lastFileHour, Math.floor((fileMs - this.o.startMs) / HOUR_MS));
    if (accountId === this.o.digestAccountId && region === this.o.digestRegion) {
      const hour = Math.floor((fileMs - this.o.startMs) / HOUR_MS);
      const entry: DigestedLogFile = {
        s3Bucket: org.trailBucket, s3Object: `${dir}/${name}`, hashValue: createHash("sha256").update(body).digest("hex"),
        hashAlgorithm: "SHA-256", newestEventTime: isoSeconds(newest), oldestEventTime: isoSeconds(oldest),
      };
      const bucket = this.digestBuckets.get(hour);
      if (bucket) bucket.push(entry);
      else this.digestBuckets.set(hour, [entry]);
    }
    await this.writeGzip(dir, name, body);
  }

  /** Hourly digests for hours whose files can no longer change (every later file is stamped after the hour). */
  private async writeCompleteDigests(earliestFutureFileMs: number): Promise<void> {
    while (this.o.startMs + (this.digestsWrittenBefore + 1) * HOUR_MS <= earliestFutureFileMs) {
      const hour = this.digestsWrittenBefore;
      const files = this.digestBuckets.get(hour) ?? [];
      this.digestBuckets.delete(hour);
      const endMs = this.o.startMs + (hour + 1) * HOUR_MS;
      const deliveredMs = endMs + this.o.rng.between(3 * 60, 12 * 60) * 1000;
      const key = digestKey(this.o.org, this.o.digestAccountId, this.o.digestRegion, deliveredMs);
      const signature = this.o.ids.hex(512);
      const digest = buildDigest({
        org: this.o.org, accountId: this.o.digestAccountId, startMs: endMs - HOUR_MS, endMs, key, logFiles: files, previous: this.previousDigest,
      });
      const body = Buffer.from(JSON.stringify(digest), "utf8");
      this.previousDigest = { key, hash: createHash("sha256").update(body).digest("hex"), signature };
      const slash = key.lastIndexOf("/");
      await this.writeGzip(key.slice(0, slash), key.slice(slash + 1), body);
      this.stats.digestFiles++;
      this.digestsWrittenBefore++;
    }
  }

  private async writeGzip(relativeDir: string, name: string, body: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    const dir = join(this.o.logsDir, relativeDir);
    if (!this.createdDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.createdDirs.add(dir);
    }
    // Compression runs on libuv's thread pool while the main thread keeps generating.
    const task = gzipAsync(body, { level: this.o.gzipLevel })
      .then((compressed) => {
        this.stats.compressedBytes += compressed.length;
        return writeFile(join(dir, name), compressed);
      })
      .catch((error: unknown) => { this.failure ??= error; })
      .finally(() => { this.inFlight.delete(task); });
    this.inFlight.add(task);
    if (this.inFlight.size >= this.o.maxInFlight) await Promise.race(this.inFlight);
  }
}
