import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import type { SourceProblem } from "../../../src/sources/event-source.js";
import { SourceUnavailableError } from "../../../src/sources/source-errors.js";
import { createS3Source, type S3SourceOptions } from "../../../src/sources/s3/s3-source.js";
import { assumeRoleRecord, eventUuid, sessionApiCallRecord, trailDocument, trailKey } from "../../helpers/local-log-files.js";
import { startLocalS3Server, type LocalS3Server } from "../../helpers/local-s3-server.js";

// A one-hop chain in an account trail (no organization folder), one corrupt object beside it, and
// S3 errors s3rver cannot produce by itself injected at the front of the server.
const ACCOUNT = "111111111111";
const assumeRole = assumeRoleRecord({ eventID: eventUuid(1), eventTime: "2026-11-17T10:20:05Z" });
const USED_ID = eventUuid(2);
const used = { ...sessionApiCallRecord({ eventID: USED_ID }), eventTime: "2026-11-17T10:24:10Z" };
const ASSUME_ROLE_KEY = trailKey(ACCOUNT, "us-east-1", "2026-11-17T10:25:00Z");
const CORRUPT_KEY = trailKey(ACCOUNT, "us-east-1", "2026-11-17T10:27:00Z").replace("Ab12", "Zz99");
const USED_KEY = trailKey(ACCOUNT, "eu-west-1", "2026-11-17T10:30:00Z");
const AT_MS = Date.parse("2026-11-17T10:24:10Z");

let server: LocalS3Server;
let workDir: string;
let problems: SourceProblem[];

beforeAll(async () => {
  server = await startLocalS3Server();
  workDir = await mkdtemp(path.join(tmpdir(), "rolechain-s3-errors-"));
  await server.putObject(ASSUME_ROLE_KEY, gzipSync(trailDocument([assumeRole])));
  await server.putObject(USED_KEY, gzipSync(trailDocument([used])));
  await server.putObject(CORRUPT_KEY, gzipSync(trailDocument([used])).subarray(0, 40));
});

afterAll(async () => {
  await server?.close();
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  problems = [];
  server.injectErrors(null);
});

let cacheCount = 0;
function open(uri = server.bucketUri, extra: Partial<S3SourceOptions> = {}) {
  return createS3Source(uri, {
    client: server.client(), cacheDir: path.join(workDir, `cache-${++cacheCount}`), onProblem: (p) => problems.push(p), ...extra,
  });
}

describe("S3 source: unusable buckets", () => {
  it("a missing bucket is a SourceUnavailableError saying so", async () => {
    const attempt = open("s3://no-such-bucket/");
    await expect(attempt).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(attempt).rejects.toThrow("cannot read source s3://no-such-bucket/: no such bucket: no-such-bucket");
  });

  it("a prefix with no AWSLogs/ under it says what was expected, and where the prefix went wrong", async () => {
    await expect(open(`${server.bucketUri}empty/`)).rejects.toThrow(
      "no CloudTrail logs: nothing at s3://trail-bucket/empty/AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/");
    await expect(open(`${server.bucketUri}AWSLogs/${ACCOUNT}/`)).rejects.toThrow(/give the part before AWSLogs\/: s3:\/\/trail-bucket\/$/);
  });

  it("a denied listing names s3:ListBucket", async () => {
    server.injectErrors((r) => (r.key === null ? { status: 403, code: "AccessDenied", message: "Access Denied" } : null));
    await expect(open()).rejects.toThrow("access denied listing s3://trail-bucket/AWSLogs/: needs s3:ListBucket on arn:aws:s3:::trail-bucket");
  });

  it("a bucket in another region names the region to pass", async () => {
    server.injectErrors(() => ({
      status: 301, code: "PermanentRedirect", message: "The bucket you are attempting to access must be addressed using the specified endpoint.",
      headers: { "x-amz-bucket-region": "eu-west-1" },
    }));
    await expect(open()).rejects.toThrow("bucket trail-bucket is in region eu-west-1; pass --region eu-west-1");
  });

  it("no credentials at all says so", async () => {
    const noCredentials = server.client({
      credentials: () => Promise.reject(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" })),
    });
    await expect(open(server.bucketUri, { client: noCredentials })).rejects.toThrow(/no AWS credentials: Could not load credentials/);
  });
});

describe("S3 source: problems inside a usable bucket", () => {
  const trace = (source: Awaited<ReturnType<typeof open>>) =>
    traceRoleChain(source, { eventId: USED_ID, atMs: AT_MS, lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });

  it("a corrupt object is one problem and the trace goes on", async () => {
    const source = await open();
    const report = await trace(source);
    expect(report.complete).toBe(true);
    expect(report.hops.map((h) => h.assumeRole.eventID)).toEqual([assumeRole.eventID]);
    expect(problems).toEqual([{ location: `s3://trail-bucket/${CORRUPT_KEY}`, reason: expect.stringMatching(/gzip/), effect: "skipped" }]);
    expect(report.skipped).toEqual(problems);
    // A retired object is not downloaded or read again.
    expect(source.stats().objectsFetched).toBe(3);
  });

  it("a denied download is a problem naming s3:GetObject, and the gap it leaves is reported", async () => {
    server.injectErrors((r) => (r.method === "GET" && r.key === ASSUME_ROLE_KEY ? { status: 403, code: "AccessDenied", message: "Access Denied" } : null));
    const report = await trace(await open());
    expect(report.complete).toBe(false);
    expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
    expect(problems).toContainEqual({
      location: `s3://trail-bucket/${ASSUME_ROLE_KEY}`,
      reason: `access denied: needs s3:GetObject on arn:aws:s3:::trail-bucket/${ASSUME_ROLE_KEY}`,
      effect: "skipped",
    });
  });

  it("a query without a time range is not run: no request, an empty answer, one problem per source", async () => {
    const source = await open();
    const before = server.requestLog.length;
    const [unbounded] = await source.query([{ eventIds: [USED_ID] }]);
    expect(server.requestLog.length).toBe(before);
    expect(unbounded).toEqual({ events: [], coverage: { accounts: [], regions: [], earliestEventTime: null, latestEventTime: null } });

    const range = { startMs: AT_MS - 60_000, endMs: AT_MS + 60_000 };
    const [again, bounded] = await source.query([{ eventIds: [USED_ID] }, { eventIds: [USED_ID], timeRange: range }]);
    expect(again!.events).toEqual([]);
    expect(bounded!.events.map((e) => e.eventID)).toEqual([USED_ID]);
    expect(problems.filter((p) => p.location === "s3://trail-bucket/")).toEqual([{
      location: "s3://trail-bucket/",
      reason: "a search without a time range was not run: it would list and download the whole bucket; give --at within an hour of the event's time",
      effect: "skipped",
    }]);
  });
});
