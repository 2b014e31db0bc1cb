import { afterAll, describe, expect, it } from "vitest";
import { traceRoleChain } from "../../../src/core/trace/trace-role-chain.js";
import { DEFAULT_LOOKBACK_MS, DEFAULT_MAX_HOPS } from "../../../src/core/trace/trace-options.js";
import type { TraceReport } from "../../../src/schema/trace-report.js";
import { createAthenaSource } from "../../../src/sources/athena/athena-source.js";
import type { AthenaTableSpec, OptionalColumn } from "../../../src/sources/athena/athena-table-spec.js";
import { startAthenaEmulator, type AthenaEmulator } from "../../helpers/athena-emulator/athena-emulator.js";
import type { StoredRecord } from "../../helpers/athena-emulator/cloudtrail-table.js";
import {
  addSeconds, apiCallBySession, assumeRoleEvent, iamUserIdentity, longTermKey, roleSessionIdentity, tempKey, uuid, type RawRecord, type RoleSession,
} from "../../helpers/cloudtrail-records.js";

// A two-hop chain whose first session name is attacker-chosen SQL. Values reach Athena only as
// execution parameters, which the emulator binds to real prepared-statement parameters.
const ACCOUNT = "111111111111";
const INJECTION = "x' OR '1'='1";
const T0 = "2026-11-16T09:00:00Z";

function chain(sessionName: string): { records: StoredRecord[]; subjectId: string; subjectTime: string } {
  const first: RoleSession = { roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy`, sessionName, accessKeyId: tempKey(`first:${sessionName}`), issuedAt: T0 };
  const second: RoleSession = {
    roleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, sessionName: "ops", accessKeyId: tempKey(`second:${sessionName}`),
    issuedAt: addSeconds(T0, 60), sourceIdentity: "alice-src",
  };
  const alice = iamUserIdentity({ accountId: ACCOUNT, userName: "alice", accessKeyId: longTermKey("alice") });
  const subjectTime = addSeconds(T0, 120);
  const subjectId = uuid(`subject:${sessionName}`);
  const raw: RawRecord[] = [
    assumeRoleEvent({ caller: alice, session: first, eventID: uuid(`first:${sessionName}`) }),
    assumeRoleEvent({ caller: roleSessionIdentity(first), session: second, eventID: uuid(`second:${sessionName}`) }),
    apiCallBySession({ session: second, eventID: subjectId, eventTime: subjectTime, eventName: "GetBucketPolicy" }),
  ];
  const records = raw.map((record) => ({ record, accountId: ACCOUNT, region: "us-east-1", deliveryDate: "2026/11/16" }));
  return { records, subjectId, subjectTime };
}

const emulators: AthenaEmulator[] = [];
afterAll(async () => { await Promise.all(emulators.map((e) => e.close())); });

async function emulatorWith(records: StoredRecord[], optionalColumns: boolean): Promise<AthenaEmulator> {
  const emulator = await startAthenaEmulator({ records, partitioning: "projection", optionalColumns });
  emulators.push(emulator);
  return emulator;
}

function spec(optionalColumns: OptionalColumn[]): AthenaTableSpec {
  return { database: "cloudtrail", table: "trail", partitioning: { kind: "projection", dateColumn: "timestamp", accountColumn: "account" }, optionalColumns };
}

async function trace(emulator: AthenaEmulator, columns: OptionalColumn[], eventId: string, atIso: string) {
  const source = createAthenaSource(spec(columns), { client: emulator.client(), poll: { initialIntervalMs: 1, maxIntervalMs: 2 } });
  const report: TraceReport = await traceRoleChain(source, { eventId, atMs: Date.parse(atIso), lookbackMs: DEFAULT_LOOKBACK_MS, maxHops: DEFAULT_MAX_HOPS });
  return { report, source };
}

describe("Athena source: values from logs never become SQL", () => {
  it(`traces a chain through the session name ${INJECTION} and sends the same SQL as for a benign name`, async () => {
    const evil = chain(INJECTION);
    const evilEmulator = await emulatorWith([...evil.records, ...chain("decoy").records], true);
    const { report } = await trace(evilEmulator, ["sourceidentity"], evil.subjectId, evil.subjectTime);
    expect(report.complete).toBe(true);
    expect(report.hops.map((h) => h.session.arn)).toEqual([
      `arn:aws:sts::${ACCOUNT}:assumed-role/admin/ops`,
      `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/${INJECTION}`,
    ]);
    expect(report.origin?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    const evilSql = evilEmulator.queries.map((q) => q.sql);
    for (const q of evilEmulator.queries) {
      expect(q.state).toBe("SUCCEEDED");
      expect(q.sql).not.toContain("'1'='1");
      expect(q.sql).not.toContain("x'");
      expect(q.sql).not.toContain("deploy");
      // One hop asked for the injected session by ARN: its value travelled as one doubled-quote literal.
    }
    expect(evilEmulator.queries.flatMap((q) => q.parameters)).toContain(`'arn:aws:sts::${ACCOUNT}:assumed-role/deploy/x'' OR ''1''=''1'`);
    // Rows came back for the evil chain only (the decoy chain's session never matches).
    expect(evilEmulator.queries.every((q) => q.rowCount <= 3)).toBe(true);

    const benign = chain("benign");
    const benignEmulator = await emulatorWith(benign.records, true);
    const { report: benignReport } = await trace(benignEmulator, ["sourceidentity"], benign.subjectId, benign.subjectTime);
    expect(benignReport.complete).toBe(true);
    expect(benignEmulator.queries.map((q) => q.sql)).toEqual(evilSql);
  });
});

describe("Athena source: columns beyond AWS's DDL", () => {
  it("reads sourceIdentity when the table has the column", async () => {
    const { records, subjectId, subjectTime } = chain("with-column");
    const { report } = await trace(await emulatorWith(records, true), ["sourceidentity"], subjectId, subjectTime);
    expect(report.complete).toBe(true);
    expect(report.hops[0]?.session.sourceIdentity).toBe("alice-src");
  });

  it("still traces a table without it (AWS's DDL): sourceIdentity then comes from the issuing AssumeRole alone", async () => {
    const { records, subjectId, subjectTime } = chain("without-column");
    const emulator = await emulatorWith(records, false);
    const { report, source } = await trace(emulator, [], subjectId, subjectTime);
    expect(report.complete).toBe(true);
    expect(report.hops).toHaveLength(2);
    expect(emulator.queries.every((q) => !q.sql.includes("sourceidentity"))).toBe(true);
    // The session's own sessionContext.sourceIdentity is not in the table; the AssumeRole that
    // issued it carries the value in requestParameters/responseElements, which the tracer falls back to.
    expect(report.hops[0]?.session.sourceIdentity).toBe("alice-src");
    expect(source.problems()).toEqual([]);
  });

  it("declaring a column the table lacks fails the statement with Athena's message, as one problem line", async () => {
    const { records, subjectId, subjectTime } = chain("declared-missing");
    const emulator = await emulatorWith(records, false);
    const { report, source } = await trace(emulator, ["sourceidentity"], subjectId, subjectTime);
    expect(report.subject).toBeNull();
    expect(emulator.queries[0]?.state).toBe("FAILED");
    // The hinted lookup fails; the tracer's fallback without a time range is refused, not run.
    const [problem, refusal, ...others] = source.problems();
    expect(others).toEqual([]);
    expect(refusal?.reason).toMatch(/without a time range/);
    expect(emulator.queries).toHaveLength(1);
    expect(problem?.location).toMatch(/^athena:\/\/cloudtrail\.trail \(.+\)$/);
    expect(problem?.reason).toMatch(/^query FAILED: .*sourceidentity/i);
    expect(problem?.reason).not.toContain("\n");
  });
});
