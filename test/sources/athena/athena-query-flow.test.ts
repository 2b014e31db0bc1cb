import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAthenaSource } from "../../../src/sources/athena/athena-source.js";
import type { AthenaTableSpec } from "../../../src/sources/athena/athena-table-spec.js";
import { startAthenaEmulator, type AthenaEmulator } from "../../helpers/athena-emulator/athena-emulator.js";
import type { StoredRecord } from "../../helpers/athena-emulator/cloudtrail-table.js";
import { apiCallBySession, tempKey, uuid } from "../../helpers/cloudtrail-records.js";

// The API flow: polling with backoff through QUEUED/RUNNING, paging, refusals and API errors.
const ACCOUNT = "222222222222";
const spec: AthenaTableSpec = { database: "cloudtrail", table: "trail", partitioning: { kind: "projection", dateColumn: "timestamp" } };
const session = { roleArn: `arn:aws:iam::${ACCOUNT}:role/app`, sessionName: "app", accessKeyId: tempKey("app"), issuedAt: "2026-11-16T08:00:00Z" };
const ROWS = 2_345;
const startMs = Date.parse("2026-11-16T09:00:00Z");
const records: StoredRecord[] = Array.from({ length: ROWS }, (_, i) => ({
  record: apiCallBySession({ session, eventID: uuid(`call:${i}`), eventTime: new Date(startMs + i * 1000).toISOString().replace(".000Z", "Z"), eventName: "ListBuckets" }),
  accountId: ACCOUNT, region: "us-east-1", deliveryDate: "2026/11/16",
}));
const query = { eventNames: ["ListBuckets"], timeRange: { startMs, endMs: startMs + ROWS * 1000 } };

let emulator: AthenaEmulator;
beforeAll(async () => { emulator = await startAthenaEmulator({ records, partitioning: "projection", optionalColumns: false, queuedPolls: 3, runningPolls: 3 }); });
afterAll(async () => { await emulator?.close(); });

describe("Athena query flow", () => {
  it("polls with doubling waits up to the cap, then pages through more than 1000 rows", async () => {
    const waits: number[] = [];
    const source = createAthenaSource(spec, { client: emulator.client(), sleep: async (ms) => { waits.push(ms); }, poll: { initialIntervalMs: 100, maxIntervalMs: 500 } });
    const before = emulator.requests.length;
    const [answer] = await source.query([query]);
    expect(answer?.events).toHaveLength(ROWS);
    expect(new Set(answer?.events.map((e) => e.eventID)).size).toBe(ROWS);
    expect(waits).toEqual([100, 200, 400, 500, 500, 500]);
    const pages = emulator.requests.slice(before).filter((r) => r.target === "AmazonAthena.GetQueryResults");
    expect(pages.map((p) => p.body["MaxResults"])).toEqual([1000, 1000, 1000]);
    const stats = source.stats();
    expect(stats).toMatchObject({ queriesRun: 1, unitsRead: 1, recordsScanned: ROWS });
    expect(stats.dataScannedBytes).toBeGreaterThan(ROWS * 500);
    expect(answer?.coverage).toMatchObject({ accounts: [ACCOUNT], regions: ["us-east-1"], earliestEventTime: "2026-11-16T09:00:00Z" });
  });

  it("reads small pages completely (header row skipped on the first page only)", async () => {
    const source = createAthenaSource(spec, { client: emulator.client(), sleep: async () => undefined, pageSize: 7 });
    const [answer] = await source.query([{ ...query, timeRange: { startMs, endMs: startMs + 19_000 } }]);
    expect(answer?.events.map((e) => e.eventTime)).toEqual(records.slice(0, 20).map((r) => r.record["eventTime"]));
  });

  it("refuses a query without a time range: one problem, no statement", async () => {
    const source = createAthenaSource(spec, { client: emulator.client(), sleep: async () => undefined });
    const before = emulator.queries.length;
    const [answer] = await source.query([{ eventIds: [uuid("call:1")] }]);
    expect(answer?.events).toEqual([]);
    expect(emulator.queries.length).toBe(before);
    expect(source.problems()).toEqual([expect.objectContaining({ location: "athena://cloudtrail.trail", reason: expect.stringMatching(/without a time range/), effect: "skipped" })]);
  });

  it("batches several queries into one statement and answers each exactly", async () => {
    const source = createAthenaSource(spec, { client: emulator.client(), sleep: async () => undefined });
    const before = emulator.queries.length;
    const answers = await source.query([
      { eventIds: [uuid("call:3")], timeRange: query.timeRange },
      { eventIds: [uuid("call:5"), uuid("call:6")], timeRange: query.timeRange },
      { eventIds: [] , timeRange: query.timeRange },
    ]);
    expect(answers.map((a) => a.events.map((e) => e.eventID))).toEqual([[uuid("call:3")], [uuid("call:5"), uuid("call:6")], []]);
    expect(emulator.queries.length - before).toBe(1);
  });

  it("turns an API error into one problem line", async () => {
    const source = createAthenaSource({ ...spec, table: "missing" }, { client: emulator.client(), sleep: async () => undefined });
    const [answer] = await source.query([query]);
    expect(answer?.events).toEqual([]);
    expect(source.problems()).toHaveLength(1);
    expect(source.problems()[0]?.reason).toMatch(/^query FAILED: emulator: FROM must name/);
  });

  it("reports an unreachable endpoint as a problem, not a crash", async () => {
    const { AthenaClient } = await import("@aws-sdk/client-athena");
    const client = new AthenaClient({ endpoint: "http://127.0.0.1:1", region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 });
    const source = createAthenaSource(spec, { client, sleep: async () => undefined });
    const [answer] = await source.query([query]);
    expect(answer?.events).toEqual([]);
    expect(source.problems()).toHaveLength(1);
    expect(source.problems()[0]?.reason).toMatch(/ECONNREFUSED/);
  });
});
