import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ListedObject } from "./bucket-lister.js";

export interface CachedObject {
  /** Where the object's bytes (as stored: gzip for trail logs) are on disk. */
  localPath: string;
  /** False when an earlier run (or an earlier query) had already downloaded this version. */
  downloaded: boolean;
}

/**
 * Downloaded objects on disk, keyed by bucket, key and ETag (from the listing): a version already
 * here costs no request at all, and a rewritten object (new ETag) is a new entry. Files are written
 * under a temporary name and renamed, so a crash or a concurrent run never leaves a partial entry.
 */
export class ObjectCache {
  constructor(private readonly dir: string) {}

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  pathFor(bucket: string, object: ListedObject): string {
    // Stores that send no ETag: size and time stand in for the version.
    const version = object.etag ?? `size=${object.size};modified=${object.lastModified ?? ""}`;
    const digest = createHash("sha256").update(`${bucket}\n${object.key}\n${version}`).digest("hex");
    return path.join(this.dir, digest.slice(0, 2), `${digest}.object`);
  }

  /** The object's local copy, downloading it when this version is not cached. Throws the SDK's error. */
  async fetch(client: S3Client, bucket: string, object: ListedObject): Promise<CachedObject> {
    const localPath = this.pathFor(bucket, object);
    if (await isFile(localPath)) return { localPath, downloaded: false };
    await mkdir(path.dirname(localPath), { recursive: true });
    const response = await client.send(new GetObjectCommand({
      Bucket: bucket,
      Key: object.key,
      // The bytes must be the version the cache key names: S3 answers 412 if the object was rewritten since.
      ...(object.etag !== null ? { IfMatch: object.etag } : {}),
    }));
    const body = response.Body;
    if (!(body instanceof Readable)) throw new Error(`GetObject returned no readable body for ${object.key}`);
    const temporary = `${localPath}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await pipeline(body, createWriteStream(temporary));
      await rename(temporary, localPath);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
    return { localPath, downloaded: true };
  }
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}
