import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GunzipPool } from "../../../src/sources/local/gunzip-pool.js";
import { scanKeyBytes } from "../../../src/sources/local/text-keys.js";
import { layoutTrailRecords } from "../../../src/sources/local/trail-record-layout.js";
import { createLocalSource } from "../../../src/sources/local/local-source.js";
import { makeTempDir, removeTempDir } from "../../helpers/local-log-files.js";

let dir: string;
const pool = new GunzipPool(2);
beforeAll(async () => { dir = await makeTempDir("rolechain-pool-"); });
afterAll(async () => {
  await pool.close();
  await removeTempDir(dir);
});

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe("GunzipPool", () => {
  it("gives back the content of gzip and plain files, with the size on disk and a fingerprint", async () => {
    const text = JSON.stringify({ Records: [{ eventID: "a" }] });
    const gz = write("a.json.gz", gzipSync(text));
    const plain = write("b.json", text);
    const [fromGz, fromPlain] = await Promise.all([pool.read(gz, 1 << 20), pool.read(plain, 1 << 20)]);
    expect(fromGz!.content.toString("utf8")).toBe(text);
    expect(fromGz!.diskBytes).toBe(gzipSync(text).length);
    expect(fromPlain!.content.toString("utf8")).toBe(text);
    expect(fromPlain!.fingerprint.size).toBe(text.length);
  });

  it("gives back the whole content whatever the gzip trailer's size says: several members, a lying trailer, a big file", async () => {
    const records = (from: number, count: number) => Array.from({ length: count }, (_, i) => `{"eventID":"id-${from + i}","pad":"${"x".repeat(i % 97)}"}`);
    const first = records(0, 500).join(",");
    const second = records(500, 20_000).join(",");
    const cases: Record<string, { bytes: Buffer; text: string }> = {
      // Two members: the trailer gives only the second's size.
      "two members": { bytes: Buffer.concat([gzipSync(`{"Records":[${first},`), gzipSync(`${second}]}`)]), text: `{"Records":[${first},${second}]}` },
      // Over the 8 MiB chunk cap: several chunks, joined.
      "big": { bytes: gzipSync(`{"Records":[${second},${second},${second},${second},${second}]}`), text: `{"Records":[${second},${second},${second},${second},${second}]}` },
      "tiny": { bytes: gzipSync("[]"), text: "[]" },
    };
    const lying = gzipSync(`{"Records":[${first}]}`);
    lying.writeUInt32LE(7, lying.length - 4); // a trailer that says 7 bytes (gunzip checks it: damaged)
    for (const [name, { bytes, text }] of Object.entries(cases)) {
      const read = await pool.read(write(`${name}.json.gz`, bytes), 1 << 30);
      expect(read!.content.toString("utf8") === text, name).toBe(true);
      expect(read!.content.length, name).toBe(Buffer.byteLength(text));
    }
    expect(await pool.read(write("lying.json.gz", lying), 1 << 30)).toBeNull();
  });

  it("finds the same keys on the worker as scanKeyBytes here (its source runs there)", async () => {
    const text = JSON.stringify({ Records: [
      { eventID: "11111111-2222-4333-8444-555555555555", eventTime: "2026-11-17T10:00:00Z" },
      { eventID: "a\\/b", eventTime: "2026-11-17T09:00:00+01:00", nested: { eventTime: "2026-11-17T11:00:00Z" } },
    ] });
    const file = write("keys.json.gz", gzipSync(text));
    const read = await pool.read(file, 1 << 20);
    expect({ ...read!.keys, eventIdHashes: Array.from(read!.keys.eventIdHashes) }).toEqual(scanKeyBytes(Buffer.from(text)));
    expect(read!.keys).toMatchObject({ complete: false, earliestStamp: "2026-11-17T10:00:00Z", latestStamp: "2026-11-17T11:00:00Z", otherStamps: ["2026-11-17T09:00:00+01:00"] });
  });

  it("walks the records on the worker, when asked, as layoutTrailRecords does here", async () => {
    const text = JSON.stringify({ Records: [
      { eventID: "a", eventName: "AssumeRole", requestParameters: { tags: { eventName: "x" }, s: "\"}]" } },
      { eventID: "b", eventName: "Get\u004fbject" },
    ] });
    const file = write("layout.json.gz", gzipSync(text));
    const asked = await pool.read(file, 1 << 20, { layout: true });
    const layout = asked!.layout!;
    expect({ ...layout, spans: Array.from(layout.spans), keys: { ...layout.keys, eventIdHashes: Array.from(layout.keys.eventIdHashes) } })
      .toEqual(layoutTrailRecords(Buffer.from(text)));
    expect(asked!.keys).toEqual(layout.keys); // found by the walk, not searched for again
    expect(asked!.layout!.records).toBe(2);
    expect((await pool.read(file, 1 << 20))!.layout).toBeUndefined();
    expect((await pool.read(write("array.json", "[]"), 1 << 20, { layout: true }))!.layout).toBeNull();
  });

  it("keeps many concurrent reads apart", async () => {
    const files = Array.from({ length: 40 }, (_, i) => write(`many-${i}.json.gz`, gzipSync(`{"n":${i},"pad":"${"x".repeat(i * 1000)}"}`)));
    const contents = await Promise.all(files.map((f) => pool.read(f, 1 << 20)));
    contents.forEach((c, i) => expect(JSON.parse(c!.content.toString("utf8")).n).toBe(i));
  });

  it("says null for a file over the limit or with damaged gzip, so the caller streams it and reports why", async () => {
    const big = write("big.json", "x".repeat(5000));
    const damaged = write("damaged.json.gz", gzipSync("{\"Records\":[]}").subarray(0, 12));
    expect(await pool.read(big, 1000)).toBeNull();
    expect(await pool.read(damaged, 1 << 20)).toBeNull();
  });

  it("rejects with the fs error code when the file cannot be read", async () => {
    await expect(pool.read(path.join(dir, "missing.json"), 1 << 20)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a local source gives the same answers and problems on workers as on the main thread", async () => {
    const logs = path.join(dir, "logs");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(logs);
    for (let i = 0; i < 20; i++) {
      writeFileSync(path.join(logs, `f${i}.json.gz`), gzipSync(JSON.stringify({ Records: [
        { eventVersion: "1.08", eventID: `id-${i}`, eventName: "GetCallerIdentity", eventSource: "sts.amazonaws.com",
          eventTime: `2026-11-17T10:00:${String(i).padStart(2, "0")}Z`, recipientAccountId: "111111111111", awsRegion: "us-east-1" },
      ] })));
    }
    writeFileSync(path.join(logs, "truncated.json.gz"), gzipSync(JSON.stringify({ Records: [] })).subarray(0, 15));
    writeFileSync(path.join(logs, "locked.json"), "{}");
    chmodSync(path.join(logs, "locked.json"), 0o000);
    const query = [{ eventNames: ["GetCallerIdentity"] }, { eventIds: ["id-7"] }];
    const onWorkers = await createLocalSource([logs], { workerThreshold: 0, workerMinFileBytes: 0, useIndex: false });
    const onMain = await createLocalSource([logs], { workerThreshold: Number.POSITIVE_INFINITY, useIndex: false });
    expect(await onWorkers.query(query)).toEqual(await onMain.query(query));
    expect(onWorkers.problems()).toEqual(onMain.problems());
    expect(onWorkers.stats().filesReadOnWorkers).toBe(22);
    expect(onMain.stats().filesReadOnWorkers).toBe(0);
    expect(onWorkers.problems().map((p) => path.basename(p.location))).toContain("truncated.json.gz");
  });
});

describe("GunzipPool under tsx (whose transform rewrites the function the workers run)", () => {
  it("reads through workers and answers the same as the main thread", async () => {
    const { spawnSync } = await import("node:child_process");
    const logs = path.join(dir, "tsx-logs");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(logs);
    for (let i = 0; i < 3; i++) {
      writeFileSync(path.join(logs, `f${i}.json.gz`), gzipSync(JSON.stringify({ Records: [
        { eventVersion: "1.08", eventID: `id-${i}`, eventName: "GetCallerIdentity", eventTime: `2026-11-17T10:00:0${i}Z`, recipientAccountId: "111111111111" },
      ] })));
    }
    const script = path.join(dir, "via-tsx.mts");
    const source = path.resolve(import.meta.dirname, "../../../src/sources/local/local-source.ts");
    writeFileSync(script, `import { createLocalSource } from ${JSON.stringify(source)};
const s = await createLocalSource([${JSON.stringify(logs)}], { workerThreshold: 0, workerMinFileBytes: 0, useIndex: false });
const [a] = await s.query([{ eventIds: ["id-1"] }]);
const [b] = await s.query([{ eventNames: ["GetCallerIdentity"] }]); // records walked on the workers
console.log(JSON.stringify({ found: a.events.map((e) => e.eventID), byName: b.events.map((e) => e.eventID).sort(), problems: s.problems(), onWorkers: s.stats().filesReadOnWorkers }));`);
    const tsx = path.resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");
    const run = spawnSync(tsx, [script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ found: ["id-1"], byName: ["id-0", "id-1", "id-2"], problems: [], onWorkers: 6 });
  });
});
