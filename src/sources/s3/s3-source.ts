import type { S3Client } from "@aws-sdk/client-s3";
import type { EventQuery, TimeRange } from "../../core/event-query.js";
import {
  emptyStats, type Coverage, type EventSource, type MatchVisitor, type QueryAnswer, type SourceProblem, type SourceStats,
} from "../event-source.js";
import { SourceUnavailableError } from "../source-errors.js";
import { compileQuery, type CompiledQuery } from "../local/compiled-query.js";
import { DEFAULT_DELIVERY_TOLERANCE, queriesForFile, type DeliveryTolerance } from "../local/file-pruning.js";
import { DEFAULT_MAX_DOCUMENT_BYTES } from "../local/local-source.js";
import { describeLogFilePath } from "../local/log-file-facts.js";
import { runInOrder } from "../local/ordered-pool.js";
import { answerQueryBatch, visitQueryBatch, type FileRead } from "../local/query-batch.js";
import { ScanLedger, type ScanCounters } from "../local/scan-ledger.js";
import { failedScan, scanLogFile, type FileScan, type ScanSettings } from "../local/scan-log-file.js";
import { BucketLister, type ListedObject, type ListingCounters } from "./bucket-lister.js";
import { discoverAccountFolders } from "./discover-account-folders.js";
import { ObjectCache } from "./object-cache.js";
import { describeS3Failure } from "./s3-errors.js";
import {
  dayPrefix, deliveryWindow, parseRegionFolders, parseS3Uri, s3Uri, utcDaysOverlapping,
  type AccountLogFolder, type S3Location,
} from "./trail-key-layout.js";

export interface S3SourceOptions {
  /** Built by the caller: credentials, region, endpoint, path style, retries. */
  client: S3Client;
  /** Downloaded objects, kept across runs (keyed by bucket, key and ETag). */
  cacheDir: string;
  /** How long after an event CloudTrail may deliver it (key time is DELIVERY time). Default 12 h. */
  deliverySlackMs?: number;
  /** Tolerance for a file holding records stamped slightly after its key time. Default 15 min. */
  clockSkewMs?: number;
  /** Called once per problem as it is found. */
  onProblem?: (problem: SourceProblem) => void;
  /** Objects downloaded and scanned at once. Default 8: downloads wait on the network, not the CPU. */
  concurrency?: number;
  /** MaxKeys of each listing page; S3's default (1000) unless set (tests use small pages). */
  listPageSize?: number;
}

export interface S3SourceStats extends SourceStats, ScanCounters, ListingCounters {
  /** Objects downloaded (not found in the cache). */
  objectsFetched: number;
  /** Objects read from the on-disk cache without a request. */
  objectsFromCache: number;
  /** Listed objects no query of their batch needed (their key time or account ruled them out). */
  objectsPruned: number;
}

export interface S3EventSource extends EventSource {
  stats(): S3SourceStats;
}

const DEFAULT_CONCURRENCY = 8;

interface ObjectRead extends FileRead {
  object: ListedObject;
}

/**
 * An EventSource over the bucket a trail or organization trail writes to, s3://BUCKET[/PREFIX] where
 * PREFIX is the trail's key prefix (what comes before AWSLogs/). Accounts are found by listing
 * folders when the source is created; an account's regions on the first query that needs it. A query
 * lists only the day folders its time window can have been delivered in (for its accounts, in every
 * region), reads only the objects whose key time fits, and a query without a time range is not run
 * at all: it would read the whole bucket.
 * Throws SourceUnavailableError when the bucket cannot be used (credentials, permission, region,
 * no such bucket, no AWSLogs/ under the prefix).
 */
export async function createS3Source(uri: string, options: S3SourceOptions): Promise<S3EventSource> {
  const location = parseS3Uri(uri);
  if (!location) throw new SourceUnavailableError(uri, "not an S3 URI (s3://BUCKET[/PREFIX])");
  const label = s3Uri(location.bucket, location.prefix);
  const tolerance: DeliveryTolerance = {
    deliverySlackMs: options.deliverySlackMs ?? DEFAULT_DELIVERY_TOLERANCE.deliverySlackMs,
    clockSkewMs: options.clockSkewMs ?? DEFAULT_DELIVERY_TOLERANCE.clockSkewMs,
  };
  const settings: ScanSettings = { useNeedleFilter: true, maxDocumentBytes: DEFAULT_MAX_DOCUMENT_BYTES };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);

  const problems: SourceProblem[] = [];
  const report = (problem: SourceProblem): void => {
    problems.push(problem);
    options.onProblem?.(problem);
  };
  const stats: S3SourceStats = {
    ...emptyStats(), textsSkippedByNeedles: 0, recordsSkippedByName: 0, digestFilesIgnored: 0,
    listRequests: 0, objectsListed: 0, objectsFetched: 0, objectsFromCache: 0, objectsPruned: 0,
  };

  const cache = new ObjectCache(options.cacheDir);
  try {
    await cache.ensureDir();
  } catch (error) {
    throw new SourceUnavailableError(label, `cannot create the cache folder ${options.cacheDir}: ${(error as Error).message}`, { cause: error });
  }
  const lister = new BucketLister(options.client, location.bucket, stats, options.listPageSize);
  const accounts = await discoverAccountFolders(lister, location, label);
  const folders = new FolderListings(lister, location, report, concurrency);
  const ledger = new ScanLedger(stats, report);
  let unboundedReported = false;

  const fetchAndScan = async (read: ObjectRead, compiled: CompiledQuery[]): Promise<FileScan> => {
    let localPath: string;
    try {
      const cached = await cache.fetch(options.client, location.bucket, read.object);
      if (cached.downloaded) stats.objectsFetched++;
      else stats.objectsFromCache++;
      localPath = cached.localPath;
    } catch (error) {
      const reason = describeS3Failure(error, { operation: "GetObject", bucket: location.bucket, key: read.object.key });
      return failedScan(read.file, compiled.length, reason);
    }
    return scanLogFile({ ...read.file, localPath }, compiled, settings);
  };

  /** The objects a batch must fetch and scan (listing the folders its windows reach). */
  const planBatch = async (queries: readonly EventQuery[]): Promise<ObjectRead[]> => {
    stats.queries += queries.length;
    const bounded = queries.flatMap((query, index) => (query.timeRange ? [index] : []));
    if (bounded.length < queries.length && !unboundedReported) {
      unboundedReported = true;
      report({
        location: label,
        reason: "a search without a time range was not run: it would list and download the whole bucket; give --at within an hour of the event's time",
        effect: "skipped",
      });
    }
    const boundedQueries = bounded.map((i) => queries[i]!);
    const searches = boundedQueries.map((q) => ({ window: deliveryWindow(q.timeRange!, tolerance), accountIds: q.accountIds ?? null }));
    const listed = await folders.objectsFor(searches, accounts);
    const reads: ObjectRead[] = [];
    for (const object of listed) {
      const path = s3Uri(location.bucket, object.key);
      if (ledger.isRetired(path)) continue;
      const facts = describeLogFilePath(object.key);
      if (facts.kind !== "trail-log" && facts.kind !== "unknown") continue;
      // Indices into the bounded queries, mapped back to the batch.
      const queryIndices = queriesForFile(facts, boundedQueries, tolerance).map((j) => bounded[j]!);
      if (queryIndices.length === 0) {
        stats.unitsPruned++;
        stats.objectsPruned++;
      } else {
        reads.push({ file: { path, facts }, object, queryIndices });
      }
    }
    return reads;
  };

  return {
    label,
    eachBatchRereads: true, // objects of the window are scanned again (from the cache) by every batch
    async query(queries: readonly EventQuery[]): Promise<QueryAnswer[]> {
      if (queries.length === 0) return [];
      return answerQueryBatch(queries.map(compileQuery), await planBatch(queries), concurrency, fetchAndScan, ledger);
    },
    async visit(queries: readonly EventQuery[], onMatch: MatchVisitor): Promise<Coverage[]> {
      if (queries.length === 0) return [];
      return visitQueryBatch(queries.map(compileQuery), await planBatch(queries), concurrency, fetchAndScan, ledger, onMatch);
    },
    problems: () => [...problems],
    stats: () => ({ ...stats }),
  };
}

/** Where to look for one query: when its records can have been delivered, and to which accounts (null: all). */
interface DeliverySearch {
  window: TimeRange;
  accountIds: readonly string[] | null;
}

/**
 * The listing side of the source: each account's regions (listed once, on first need) and each day
 * folder's objects (listed once). A listing that fails is a problem for that folder, not the source.
 */
class FolderListings {
  private readonly regions = new Map<string, Promise<string[]>>();
  private readonly failedPrefixes = new Set<string>();

  constructor(
    private readonly lister: BucketLister,
    private readonly location: S3Location,
    private readonly report: (problem: SourceProblem) => void,
    /** Listing requests in flight at once. */
    private readonly concurrency: number,
  ) {}

  /** Every object in the day folders the searches' delivery windows touch, for their accounts, in key order, once each. */
  async objectsFor(searches: readonly DeliverySearch[], accounts: readonly AccountLogFolder[]): Promise<ListedObject[]> {
    const prefixes = new Set<string>();
    for (const { window, accountIds } of searches) {
      const days = utcDaysOverlapping(window);
      const wanted = accountIds ? accounts.filter((a) => accountIds.includes(a.accountId)) : accounts;
      // Every region: STS calls are logged in the region of the endpoint that served them.
      await runInOrder(wanted, this.concurrency, (folder) => this.regionsOf(folder), (regions, folder) => {
        for (const region of regions) for (const day of days) prefixes.add(dayPrefix(folder, region, day));
      });
    }
    const byKey = new Map<string, ListedObject>();
    await runInOrder([...prefixes], this.concurrency, (prefix) => this.objectsIn(prefix), (listing) => {
      for (const object of listing) byKey.set(object.key, object);
    });
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private regionsOf(folder: AccountLogFolder): Promise<string[]> {
    let regions = this.regions.get(folder.prefix);
    if (!regions) {
      regions = this.lister.folders(folder.prefix)
        .then((prefixes) => parseRegionFolders(folder.prefix, prefixes))
        .catch((error: unknown) => {
          this.listingFailed(folder.prefix, error);
          return [];
        });
      this.regions.set(folder.prefix, regions);
    }
    return regions;
  }

  private async objectsIn(prefix: string): Promise<ListedObject[]> {
    try {
      return await this.lister.objects(prefix);
    } catch (error) {
      this.listingFailed(prefix, error);
      return [];
    }
  }

  private listingFailed(prefix: string, error: unknown): void {
    if (this.failedPrefixes.has(prefix)) return;
    this.failedPrefixes.add(prefix);
    this.report({
      location: s3Uri(this.location.bucket, prefix),
      reason: describeS3Failure(error, { operation: "ListObjectsV2", bucket: this.location.bucket, prefix }),
      effect: "skipped",
    });
  }
}
