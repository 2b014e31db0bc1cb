import { afterEach, describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { createLakeSource, type LakeSourceOptions } from "../../../src/sources/lake/lake-source.js";
import {
  apiCallBySession, assumeRoleEvent, iamUserIdentity, longTermKey, tempKey, uuid, type RawRecord, type RoleSession,
} from "../../helpers/cloudtrail-records.js";
import { startLakeEmulator, type LakeEmulator, type LakeEmulatorOptions } from "../../helpers/lake-emulator/lake-emulator.js";
import { lakeTestClient } from "../../helpers/lake-emulator/lake-test-client.js";
import { memorySource } from "../../helpers/memory-source.js";

const EDS = "eds-0123456789abcdef";
const ACCOUNT = "111111111111";
const ISSUED_AT = "2026-11-16T10:00:00Z";
const USED_AT = "2026-11-16T10:05:00Z";

const running: Array<{ emulator: LakeEmulator; destroy: () => void }> = [];
afterEach(async () => {
  for (const { emulator, destroy } of running.splice(0)) {
    destroy();
    await emulator.close();
  }
});

async function lake(records: readonly unknown[], options: Partial<LakeSourceOptions> = {}, emulatorOptions: Partial<LakeEmulatorOptions> = {}) {
  const emulator = await startLakeEmulator({ eventDataStoreId: EDS, records, ...emulatorOptions });
  const client = lakeTestClient(emulator.url);
  running.push({ emulator, destroy: () => client.destroy() });
  const source = createLakeSource(EDS, { client, pollIntervalMs: 1, sleep: async () => undefined, ...options });
  return { emulator, source };
}

/** A user assumes a role with the given session name and uses it five minutes later. */
function chain(sessionName: string): { records: RawRecord[]; subjectId: string } {
  const session: RoleSession = { roleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, sessionName, accessKeyId: tempKey(sessionName), issuedAt: ISSUED_AT };
  const caller = iamUserIdentity({ accountId: ACCOUNT, userName: "alice", accessKeyId: longTermKey("alice") });
  const subjectId = uuid(`subject:${sessionName}`);
  return {
    subjectId,
    records: [
      assumeRoleEvent({ caller, session, eventID: uuid(`assume:${sessionName}`) }),
      apiCallBySession({ session, eventID: subjectId, eventTime: USED_AT }),
    ],
  };
}

describe("Lake source: values that are not what they claim to be never reach SQL", () => {
  it("refuses a session name with a quote: the issuer query is not sent, the gap and the problem say why", async () => {
    const hostile = "x' OR '1'='1";
    const { records, subjectId } = chain(hostile);
    const { emulator, source } = await lake(records);
    const report = await traceRoleChain(source, { eventId: subjectId, atMs: Date.parse(USED_AT), lookbackMs: 3_600_000, maxHops: 10 });

    expect(report.subject?.eventID).toBe(subjectId);
    expect(report.gaps.map((g) => g.reason)).toEqual(["issuer-not-found"]);
    expect(report.gaps[0]?.searched?.coverage).toEqual({ accounts: [], regions: [], earliestEventTime: null, latestEventTime: null });
    const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/admin/${hostile}`;
    expect(report.skipped).toEqual([{ location: `lake://${EDS}`, reason: `refused to put ${JSON.stringify(arn)} into Lake SQL: not a valid ARN`, effect: "skipped" }]);
    // Only the subject lookup was sent; nothing of the session name reached any statement.
    expect(emulator.statements).toHaveLength(1);
    for (const sql of emulator.statements) {
      expect(sql).not.toContain("'1'='1");
      expect(sql).not.toContain("x'");
    }
    expect(source.stats()).toMatchObject({ queriesRun: 1, queriesRefused: 3 });
    // The same records traced from memory find the issuer: the refusal is the only difference.
    const reference = await traceRoleChain(memorySource(records), { eventId: subjectId, atMs: Date.parse(USED_AT), lookbackMs: 3_600_000, maxHops: 10 });
    expect(reference.complete).toBe(true);
  });

  it("traces the same chain with an ordinary session name", async () => {
    const { records, subjectId } = chain("alice@example.com");
    const { emulator, source } = await lake(records);
    const report = await traceRoleChain(source, { eventId: subjectId, atMs: Date.parse(USED_AT), lookbackMs: 3_600_000, maxHops: 10 });
    expect(report.complete).toBe(true);
    expect(report.origin?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(emulator.statements).toHaveLength(2);
    expect(source.stats().bytesScanned).toBeGreaterThan(0);
  });

  it("refuses a query without a time range before calling Lake", async () => {
    const { records, subjectId } = chain("alice");
    const { emulator, source } = await lake(records);
    const [answer] = await source.query([{ eventIds: [subjectId] }]);
    expect(answer?.events).toEqual([]);
    expect(source.problems().map((p) => p.reason)).toEqual(["refused to run a Lake query without a time range: it would scan (and bill) the whole event data store"]);
    expect(emulator.requests).toEqual([]);
  });
});

describe("Lake source: the query lifecycle", () => {
  it("reports a FAILED query as one problem line with Lake's error message", async () => {
    const { records, subjectId } = chain("alice");
    const { emulator, source } = await lake(records, {}, { omitColumns: ["sessionCredentialFromConsole"] });
    const [answer] = await source.query([{ eventIds: [subjectId], timeRange: { startMs: Date.parse(USED_AT), endMs: Date.parse(USED_AT) + 999 } }]);
    expect(answer?.events).toEqual([]);
    const [problem] = source.problems();
    expect(problem?.reason).toMatch(/^Lake query failed: LakeQueryFailedError: query [0-9a-f-]{36} FAILED: Binder Error: .*sessionCredentialFromConsole/);
    expect(problem?.reason).not.toContain("\n");
    expect(emulator.requests).toEqual(["StartQuery", "DescribeQuery", "DescribeQuery", "DescribeQuery"]);
  });

  it("pages through GetQueryResults and returns the same events as one page", async () => {
    const records = Array.from({ length: 7 }, (_, i) => chain(`session-${i}`).records).flat();
    const query = { eventNames: ["AssumeRole", "GetBucketPolicy"], timeRange: { startMs: Date.parse(ISSUED_AT), endMs: Date.parse(USED_AT) } };
    const small = await lake(records, { pageSize: 3 });
    const [paged] = await small.source.query([query]);
    const whole = await lake(records);
    const [onePage] = await whole.source.query([query]);
    expect(paged?.events).toHaveLength(14);
    expect(paged?.events.map((e) => e.eventID)).toEqual(onePage?.events.map((e) => e.eventID));
    expect(small.emulator.requests.filter((r) => r === "GetQueryResults")).toHaveLength(5);
    expect(whole.emulator.requests.filter((r) => r === "GetQueryResults")).toHaveLength(1);
    expect(paged?.coverage).toEqual({ accounts: [ACCOUNT], regions: ["us-east-1"], earliestEventTime: ISSUED_AT, latestEventTime: USED_AT });
  });

  it("cancels a query that does not finish in time", async () => {
    const { records, subjectId } = chain("alice");
    const { emulator, source } = await lake(records, { maxWaitMs: 3, pollIntervalMs: 1 }, { queuedPolls: 100 });
    await source.query([{ eventIds: [subjectId], timeRange: { startMs: Date.parse(USED_AT), endMs: Date.parse(USED_AT) + 999 } }]);
    expect(source.problems()[0]?.reason).toMatch(/query [0-9a-f-]{36} still QUEUED after 0 s; cancelled$/);
    expect(emulator.requests.at(-1)).toBe("CancelQuery");
  });
});
