import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from "@aws-sdk/client-s3";

/** An object as a listing shows it: enough to decide whether to read it and to key the cache. */
export interface ListedObject {
  key: string;
  /** As S3 lists it (quoted); null when an S3-compatible store sends none. */
  etag: string | null;
  size: number;
  lastModified: string | null;
}

export interface ListingCounters {
  listRequests: number;
  objectsListed: number;
}

/**
 * ListObjectsV2 over one bucket, page by page. Object listings are kept per prefix for the
 * lister's life: a trace asks about the same days over and over, and a listing is a request.
 * Errors are the SDK's, after its retries.
 */
export class BucketLister {
  private readonly objectListings = new Map<string, Promise<ListedObject[]>>();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly counters: ListingCounters,
    /** MaxKeys per page; undefined lets S3 choose (1000). */
    private readonly pageSize?: number,
  ) {}

  /** The "sub-folders" of `prefix` (CommonPrefixes with Delimiter "/"), each ending in "/". */
  async folders(prefix: string): Promise<string[]> {
    const folders: string[] = [];
    await this.eachPage(prefix, "/", (page) => {
      for (const entry of page.CommonPrefixes ?? []) if (entry.Prefix) folders.push(entry.Prefix);
    });
    return folders;
  }

  /** Every object under `prefix` (a leaf folder such as a day), in key order. A failed listing is not kept. */
  objects(prefix: string): Promise<ListedObject[]> {
    let listing = this.objectListings.get(prefix);
    if (!listing) {
      listing = this.listObjects(prefix);
      listing.catch(() => this.objectListings.delete(prefix));
      this.objectListings.set(prefix, listing);
    }
    return listing;
  }

  private async listObjects(prefix: string): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    await this.eachPage(prefix, undefined, (page) => {
      for (const entry of page.Contents ?? []) {
        if (!entry.Key) continue;
        this.counters.objectsListed++;
        objects.push({
          key: entry.Key,
          etag: entry.ETag ?? null,
          size: entry.Size ?? 0,
          lastModified: entry.LastModified?.toISOString() ?? null,
        });
      }
    });
    return objects;
  }

  private async eachPage(
    prefix: string, delimiter: string | undefined,
    onPage: (page: ListObjectsV2CommandOutput) => void,
  ): Promise<void> {
    let continuationToken: string | undefined;
    do {
      this.counters.listRequests++;
      const page = await this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        ...(delimiter !== undefined ? { Delimiter: delimiter } : {}),
        ...(continuationToken !== undefined ? { ContinuationToken: continuationToken } : {}),
        ...(this.pageSize !== undefined ? { MaxKeys: this.pageSize } : {}),
      }));
      onPage(page);
      // A store that says "truncated" without a token would loop forever.
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }
}
