import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { childPath, discoverLogFiles } from "../../../src/sources/local/discover-log-files.js";
import { describeLogFilePath } from "../../../src/sources/local/log-file-facts.js";
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

  it("childPath is path.join for a folder and a name without separators", () => {
    for (const folder of [".", "..", "/", "logs", "logs/", "./logs", "a//b/", "/abs/olute", "../up/x"].map((f) => path.normalize(f))) {
      for (const name of ["x.json", "..x", "a b"]) expect(childPath(folder, name), `${folder} + ${name}`).toBe(path.join(folder, name));
    }
  });

  it("gives each file the facts and path its whole path gives, however the root was written and whatever link led there", async () => {
    const root = path.join(dir, "facts");
    const layout = trailKey("222222222222", "eu-west-1", "2026-11-17T10:05:00Z", "o-abcdefghij");
    await writeLogFile(root, layout, trailDocument([assumeRoleRecord()]), { gzip: true });
    await writeLogFile(root, "flat/111111111111_CloudTrail_us-east-1_20261117T1005Z_Ab12Cd34Ef56Gh78.json.gz", "{}");
    await writeLogFile(root, "flat/README.md", "docs");
    // A link whose own path says nothing, to a folder outside whose real path has the layout.
    const outside = path.join(dir, "facts-outside");
    await writeLogFile(outside, `${path.dirname(layout)}/export.json`, "{}");
    await symlink(path.join(outside, path.dirname(layout)), path.join(root, "day-link"));
    // A link to a file whose own name says nothing, to a file whose real name is CloudTrail's.
    const namedTarget = "flat/333333333333_CloudTrail_us-west-2_20261117T1010Z_Ab12Cd34Ef56Gh78.json.gz";
    await writeLogFile(outside, namedTarget, "{}");
    await symlink(path.join(outside, namedTarget), path.join(root, "evidence.json"));
    const relative = path.relative(process.cwd(), root);
    for (const written of [root, `${root}/`, relative, `./${relative}/`]) {
      const discovery = await discoverLogFiles([written]);
      expect(discovery.files.map((f) => path.relative(root, path.resolve(f.path))), written).toEqual([
        layout, "day-link/export.json", "evidence.json", "flat/111111111111_CloudTrail_us-east-1_20261117T1005Z_Ab12Cd34Ef56Gh78.json.gz",
      ]);
      for (const file of discovery.files) {
        expect(file.path, written).toBe(path.join(written, path.relative(root, path.resolve(file.path))));
        const byPath = describeLogFilePath(path.resolve(file.path));
        const expected = byPath.kind === "unknown" && file.realPath !== path.resolve(file.path) ? describeLogFilePath(file.realPath!) : byPath;
        expect(file.facts, file.path).toEqual(expected);
      }
      // export.json's account comes from its real folder, evidence.json's from its real name, through the links.
      expect(discovery.files.map((f) => f.facts.accountId)).toEqual(["222222222222", "222222222222", "333333333333", "111111111111"]);
      expect(discovery.problems.map((p) => path.basename(p.location))).toEqual(["README.md"]);
    }
  });
});
