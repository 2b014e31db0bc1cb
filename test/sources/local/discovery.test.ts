import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { discoverLogFiles } from "../../../src/sources/local/discover-log-files.js";
import { SourceUnavailableError } from "../../../src/sources/source-errors.js";
import {
  assumeRoleRecord, eventUuid, makeTempDir, removeTempDir, trailDocument, trailKey, writeLogFile,
} from "../../helpers/local-log-files.js";

let dir: string;
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => { await removeTempDir(dir); });

const digestBody = JSON.stringify({
  awsAccountId: "111111111111", digestStartTime: "2026-11-17T09:35:12Z", digestEndTime: "2026-11-17T10:35:12Z",
  digestS3Bucket: "org-trail-bucket", digestS3Object: "AWSLogs/111111111111/CloudTrail-Digest/…",
  digestPublicKeyFingerprint: "7d5a4e5f0f2e6d1c", digestSignatureAlgorithm: "SHA256withRSA",
  newestEventTime: "2026-11-17T10:30:01Z", oldestEventTime: "2026-11-17T09:31:40Z",
  previousDigestS3Bucket: null, previousDigestS3Object: null, previousDigestHashValue: null,
  previousDigestHashAlgorithm: null, previousDigestSignature: null,
  logFiles: [{ s3Bucket: "org-trail-bucket", s3Object: "AWSLogs/…json.gz", hashValue: "9f86d0", hashAlgorithm: "SHA-256",
    newestEventTime: "2026-11-17T10:30:01Z", oldestEventTime: "2026-11-17T09:31:40Z" }],
});

describe("discovery", () => {
  it("ignores digest, Insights and hidden files without calling them problems", async () => {
    const root = path.join(dir, "ignored");
    const id = eventUuid();
    await writeLogFile(root, trailKey("111111111111", "us-east-1", "2026-11-17T10:25:00Z"),
      trailDocument([assumeRoleRecord({ eventID: id })]), { gzip: true });
    await writeLogFile(root, "AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/11/17/"
      + "111111111111_CloudTrail-Digest_us-east-1_main_us-east-1_20261117T103512Z.json.gz", digestBody, { gzip: true });
    await writeLogFile(root, "flat/111111111111_CloudTrail-Digest_us-east-1_main_us-east-1_20261117T113512Z.json.gz",
      digestBody, { gzip: true });
    // A digest under a name that says nothing: recognised by content.
    await writeLogFile(root, "flat/renamed-digest.json", gzipSync(digestBody));
    await writeLogFile(root, "AWSLogs/111111111111/CloudTrail-Insight/us-east-1/2026/11/17/insight.json.gz",
      trailDocument([{ eventVersion: "1.07", eventType: "AwsCloudTrailInsight", eventID: eventUuid(), eventName: "PutObject" }]), { gzip: true });
    await writeLogFile(root, ".DS_Store", Buffer.from([0, 0, 0, 1, 66, 117, 100, 49]));
    await writeLogFile(root, "flat/.hidden-notes.json", "not json at all");

    const source = await createLocalSource([root]);
    const [answer] = await source.query([{}]);
    expect(answer!.events.map((e) => e.eventID)).toEqual([id]);
    expect(source.problems()).toEqual([]);
    expect(source.stats()).toMatchObject({
      filesIndexed: 2, unitsRead: 2, digestFilesIgnored: 3, insightOrNetworkActivityFilesIgnored: 1, hiddenEntriesIgnored: 2,
    });
    // A digest found by content is not opened again.
    await source.query([{}]);
    expect(source.stats().unitsRead).toBe(3);
  });

  it("reports a non-log file once, at discovery, without reading it", async () => {
    const root = path.join(dir, "readme");
    const readme = await writeLogFile(root, "README.md", "# Evidence collected 2026-11-17\n");
    await writeLogFile(root, "logs.json", trailDocument([assumeRoleRecord()]));
    const reported: string[] = [];
    const source = await createLocalSource([root], { onProblem: (p) => reported.push(`${p.location}: ${p.reason}`) });
    expect(reported).toEqual([`${readme}: not a log file (documentation)`]);
    await source.query([{}]);
    await source.query([{}]);
    expect(source.problems()).toEqual([{ location: readme, reason: "not a log file (documentation)", effect: "skipped" }]);
  });

  it("walks folders in sorted order, follows links once and survives link loops", async () => {
    const root = path.join(dir, "walk");
    for (const name of ["b.json", "a.json", "c/z.json", "c/d/y.json"]) await writeLogFile(root, name, "{}");
    const outside = path.join(dir, "walk-outside");
    await writeLogFile(outside, "x.json", "{}");
    await symlink(root, path.join(root, "c", "d", "loop-to-root"));
    await symlink(outside, path.join(root, "e-link-to-outside"));
    await symlink(path.join(root, "a.json"), path.join(root, "f-link-to-a.json"));
    await symlink(path.join(dir, "does-not-exist"), path.join(root, "g-broken-link"));

    const discovery = await discoverLogFiles([root, path.join(root, "c")]);
    expect(discovery.files.map((f) => path.relative(root, f.path))).toEqual([
      "a.json", "b.json", "c/d/y.json", "c/z.json", "e-link-to-outside/x.json",
    ]);
    expect(discovery.problems).toEqual([{
      location: path.join(root, "g-broken-link"), reason: "broken symbolic link: no such file or directory", effect: "skipped",
    }]);
  });

  it("throws SourceUnavailableError naming a --source path that does not exist", async () => {
    const missing = path.join(dir, "no-such-folder");
    const attempt = createLocalSource([path.join(dir, "walk"), missing]);
    await expect(attempt).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(attempt).rejects.toThrow(`cannot read source ${missing}: no such file or directory`);
  });

  it("accepts files and folders as --source, and a relative path", async () => {
    const root = path.join(dir, "mixed");
    const file = await writeLogFile(root, "one.json", trailDocument([assumeRoleRecord()]));
    await mkdir(path.join(root, "empty-folder"));
    const source = await createLocalSource([path.relative(process.cwd(), file), path.join(root, "empty-folder")]);
    const [answer] = await source.query([{}]);
    expect(answer!.events).toHaveLength(1);
    expect(answer!.events[0]!.location!.origin).toBe(path.relative(process.cwd(), file));
    expect(source.label).toBe(`local: ${path.relative(process.cwd(), file)}, ${path.join(root, "empty-folder")}`);
  });
});
