/**
 * A real S3 endpoint for tests: s3rver (in-process, files in a temp folder) on 127.0.0.1 and a
 * random port, behind a thin HTTP front that records every request and can answer chosen ones with
 * an S3 error (AccessDenied, a region redirect) that s3rver itself never sends.
 * Paged listings need NODE_OPTIONS=--openssl-legacy-provider (toolchain.md §7).
 *
 * s3rver 3.7.1 gets Delimiter listings wrong below one level: its folder walk skips every folder
 * under a common prefix before it sees a key there, so "AWSLogs/" with Delimiter "/" lists nothing
 * when the objects sit deeper. The front answers delimited listings of its bucket itself, from an
 * index of the objects put through it, with S3's semantics (CommonPrefixes, MaxKeys, tokens).
 * Everything else (PUT, GET, plain listings, errors) is s3rver's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export interface RecordedRequest {
  method: string;
  bucket: string | null;
  /** Object key, decoded; null for bucket-level requests (listings). */
  key: string | null;
  /** ListObjectsV2 parameters, null when absent. */
  prefix: string | null;
  delimiter: string | null;
  continuationToken: string | null;
  maxKeys: string | null;
}

/** An S3 error to send instead of s3rver's answer. */
export interface InjectedError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export interface LocalS3Server {
  endpoint: string;
  bucket: string;
  /** s3://BUCKET/ */
  bucketUri: string;
  /** A client configured as toolchain.md §7 says; `overrides` for region-redirect tests. */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  requestLog: RecordedRequest[];
  /** Every request for which `rule` returns an error gets that error instead. */
  injectErrors(rule: ((request: RecordedRequest) => InjectedError | null) | null): void;
  putObject(key: string, body: Buffer | string): Promise<void>;
  /**
   * Stores every file under `dir` as PREFIX + its relative path and returns the keys. Written with
   * s3rver's own store, in-process: a PUT over HTTP costs ~8 ms here, too much for a whole corpus.
   */
  uploadDirectory(dir: string, prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startLocalS3Server(options: { bucket?: string } = {}): Promise<LocalS3Server> {
  const bucket = options.bucket ?? "trail-bucket";
  const directory = await mkdtemp(path.join(tmpdir(), "rolechain-s3rver-"));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const index = new Map<string, IndexedObject>();
  const store = (s3rver as unknown as { store: S3rverStore }).store;
  const requestLog: RecordedRequest[] = [];
  let rule: ((request: RecordedRequest) => InjectedError | null) | null = null;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const request = describeRequest(req);
    requestLog.push(request);
    const injected = rule?.(request) ?? null;
    if (injected) {
      res.writeHead(injected.status, { "content-type": "application/xml", ...injected.headers });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${injected.code}</Code><Message>${injected.message}</Message></Error>`);
      return;
    }
    if (request.method === "GET" && request.bucket === bucket && request.key === null && request.delimiter !== null) {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(answerDelimitedListing(index, bucket, request));
      return;
    }
    if (request.bucket === bucket && request.key !== null && (request.method === "PUT" || request.method === "DELETE")) {
      const key = request.key;
      const size = Number(req.headers["content-length"] ?? 0);
      res.on("finish", () => {
        if (res.statusCode >= 300) return;
        if (request.method === "DELETE") index.delete(key);
        else index.set(key, { size, etag: String(res.getHeader("etag") ?? ""), lastModified: new Date().toISOString() });
      });
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];

  const client = (overrides: Partial<S3ClientConfig> = {}): S3Client => {
    const made = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      ...overrides,
    });
    clients.push(made);
    return made;
  };
  const uploader = client();

  const putObject = async (key: string, body: Buffer | string): Promise<void> => {
    await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  };

  return {
    endpoint,
    bucket,
    bucketUri: `s3://${bucket}/`,
    client,
    requestLog,
    injectErrors: (next) => { rule = next; },
    putObject,
    async uploadDirectory(dir, prefix) {
      const files = await listFiles(dir);
      const keys = files.map((file) => `${prefix}${path.relative(dir, file).split(path.sep).join("/")}`);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < files.length) {
          const i = next++;
          const key = keys[i]!;
          const content = await readFile(files[i]!);
          const { size, md5 } = await store.putObject({ bucket, key, content, metadata: { "content-type": "binary/octet-stream" } });
          index.set(key, { size, etag: `"${md5}"`, lastModified: new Date().toISOString() });
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      return keys;
    },
    async close() {
      for (const made of clients) made.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function describeRequest(req: IncomingMessage): RecordedRequest {
  const url = new URL(req.url ?? "/", "http://localhost");
  const [, bucket = "", ...keyParts] = url.pathname.split("/");
  const key = keyParts.join("/");
  const param = (name: string): string | null => url.searchParams.get(name);
  return {
    method: req.method ?? "",
    bucket: bucket === "" ? null : decodeURIComponent(bucket),
    key: key === "" ? null : decodeURIComponent(key),
    prefix: param("prefix"),
    delimiter: param("delimiter"),
    continuationToken: param("continuation-token"),
    maxKeys: param("max-keys"),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** The part of s3rver's FilesystemStore used to seed a bucket (untyped in @types/s3rver). */
interface S3rverStore {
  putObject(object: { bucket: string; key: string; content: Buffer; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
}

/** What a listing shows of an object, kept by the front as objects are put through it. */
interface IndexedObject { size: number; etag: string; lastModified: string }

/** ListObjectsV2 with a delimiter, as S3 answers it. Continuation tokens are the last entry, base64. */
function answerDelimitedListing(index: ReadonlyMap<string, IndexedObject>, bucket: string, request: RecordedRequest): string {
  const prefix = request.prefix ?? "";
  const delimiter = request.delimiter ?? "";
  const entries = new Map<string, IndexedObject | null>();
  for (const [key, object] of index) {
    if (!key.startsWith(prefix)) continue;
    const cut = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut !== -1) entries.set(key.slice(0, cut + delimiter.length), null);
    else entries.set(key, object);
  }
  const after = request.continuationToken ? Buffer.from(request.continuationToken, "base64").toString("utf8") : "";
  const names = [...entries.keys()].sort().filter((name) => name > after);
  const maxKeys = request.maxKeys ? Number(request.maxKeys) : 1000;
  const page = names.slice(0, maxKeys);
  const truncated = names.length > page.length;
  const parts = [
    `<Name>${escapeXml(bucket)}</Name><Prefix>${escapeXml(prefix)}</Prefix>`,
    delimiter === "" ? "" : `<Delimiter>${escapeXml(delimiter)}</Delimiter>`,
    `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>`,
    truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!, "utf8").toString("base64")}</NextContinuationToken>` : "",
  ];
  for (const name of page) {
    const object = entries.get(name);
    parts.push(!object
      ? `<CommonPrefixes><Prefix>${escapeXml(name)}</Prefix></CommonPrefixes>`
      : `<Contents><Key>${escapeXml(name)}</Key><LastModified>${object.lastModified}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.join("")}</ListBucketResult>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
