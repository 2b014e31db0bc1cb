import { describe, expect, it } from "vitest";
import type { AthenaTableSpec } from "../../../src/sources/athena/athena-table-spec.js";
import { buildAthenaStatements } from "../../../src/sources/athena/build-athena-sql.js";
import { parseAthenaUri } from "../../../src/sources/athena/athena-source.js";
import { stringParameter } from "../../../src/sources/athena/sql-literal.js";
import { parseParameterLiteral } from "../../helpers/athena-emulator/parameter-literal.js";

const H = 3_600_000;
const window = { deliverySlackMs: 12 * H, clockSkewMs: 15 * 60_000 };
const at = Date.parse("2026-11-16T10:22:05Z");
const projection: AthenaTableSpec = { database: "ct", table: "logs", partitioning: { kind: "projection", dateColumn: "timestamp", regionColumn: "region", accountColumn: "account" } };
const classic: AthenaTableSpec = { database: "ct", table: "logs", partitioning: { kind: "classic", regionColumn: "region", yearColumn: "year", monthColumn: "month", dayColumn: "day", accountColumn: "account" } };

describe("buildAthenaStatements", () => {
  it("puts every value in a parameter and the window's delivery days in the partition predicate (projection)", () => {
    const plan = buildAthenaStatements([{ eventIds: ["e-1"], accountIds: ["111111111111"], timeRange: { startMs: at - H, endMs: at + H } }], projection, window);
    expect(plan.statements).toHaveLength(1);
    const [statement] = plan.statements;
    expect(statement!.sql).toMatch(/^SELECT eventid AS eventid, .* FROM "ct"\."logs" WHERE \("timestamp" IN \(\?\) AND "account" IN \(\?\)\) AND \(\(eventid IN \(\?\) AND recipientaccountid IN \(\?\) AND eventtime >= \? AND eventtime < \?\)\) ORDER BY eventtime, eventid$/);
    expect(statement!.parameters).toEqual(["'2026/11/16'", "'111111111111'", "'e-1'", "'111111111111'", "'2026-11-16T09:22:05'", "'2026-11-16T11:22:06'"]);
    expect(statement!.sql).toContain(`"account" AS partition_account`);
  });

  it("widens the window by the delivery slack into the next day", () => {
    const late = Date.parse("2026-11-16T20:00:00Z");
    const plan = buildAthenaStatements([{ eventIds: ["e"], timeRange: { startMs: late, endMs: late } }], projection, window);
    expect(plan.statements[0]!.parameters.slice(0, 2)).toEqual(["'2026/11/16'", "'2026/11/17'"]);
    expect(plan.statements[0]!.partitionDays).toEqual([Date.parse("2026-11-16T00:00:00Z"), Date.parse("2026-11-17T00:00:00Z")]);
  });

  it("groups classic partitions by month and crosses a month boundary", () => {
    const plan = buildAthenaStatements([{ eventNames: ["AssumeRole"], timeRange: { startMs: Date.parse("2026-10-31T20:00:00Z"), endMs: Date.parse("2026-11-01T02:00:00Z") } }], classic, window);
    const [statement] = plan.statements;
    expect(statement!.sql).toContain(`WHERE ((("year" = ? AND "month" = ? AND "day" IN (?)) OR ("year" = ? AND "month" = ? AND "day" IN (?)))) AND`);
    expect(statement!.parameters.slice(0, 6)).toEqual(["'2026'", "'10'", "'31'", "'2026'", "'11'", "'01'"]);
    // No account named: no account partition predicate.
    expect(statement!.sql).not.toMatch(/"account" IN/);
  });

  it("ORs a batch into one statement over the union of days, accounts only when every query names them", () => {
    const plan = buildAthenaStatements([
      { issuedSessionArns: ["arn:aws:sts::1:assumed-role/r/s"], eventNames: ["AssumeRole"], accountIds: ["111111111111"], timeRange: { startMs: at, endMs: at + 999 } },
      { eventNames: ["SwitchRole"], callerArns: ["arn:aws:sts::1:assumed-role/r/s"], timeRange: { startMs: at - 2000, endMs: at + 2999 } },
    ], projection, window);
    expect(plan.statements).toHaveLength(1);
    const sql = plan.statements[0]!.sql;
    expect(plan.statements[0]!.queryIndexes).toEqual([0, 1]);
    expect(sql).toContain("json_extract_scalar(responseelements, '$.assumedRoleUser.arn') IN (?)");
    expect(sql).toContain("json_extract_scalar(responseelements, '$.federatedUser.arn') IN (?)");
    expect(sql).toContain("json_extract_scalar(requestparameters, '$.roleSessionName') IN (?)");
    expect(sql).toContain("useridentity.arn IN (?)");
    expect(sql).toMatch(/\) OR \(/);
    expect(sql).not.toMatch(/"account" IN/);
  });

  it("splits a batch past the parameter budget", () => {
    const queries = Array.from({ length: 30 }, (_, i) => ({ eventIds: [`e-${i}`], timeRange: { startMs: at, endMs: at + 1000 } }));
    const plan = buildAthenaStatements(queries, projection, window, 50);
    expect(plan.statements.length).toBeGreaterThan(1);
    expect(plan.statements.flatMap((s) => s.queryIndexes)).toEqual(queries.map((_, i) => i));
    for (const s of plan.statements) expect(s.parameters.length).toBeLessThanOrEqual(50);
  });

  it("refuses a query without a time range and skips one with an empty list", () => {
    const plan = buildAthenaStatements([{ eventIds: ["e"] }, { eventIds: [], timeRange: { startMs: 0, endMs: 1 } }], projection, window);
    expect(plan.statements).toEqual([]);
    expect(plan.refused).toEqual([{ index: 0, reason: expect.stringMatching(/without a time range/) }]);
    expect(plan.empty).toEqual([1]);
  });

  it("emits the same SQL whatever the values, and values that cannot escape their literal", () => {
    const evil = "x' OR '1'='1";
    const build = (name: string) => buildAthenaStatements([{ callerArns: [`arn:aws:sts::1:assumed-role/r/${name}`], timeRange: { startMs: at, endMs: at } }], projection, window).statements[0]!;
    expect(build(evil).sql).toBe(build("benign").sql);
    expect(build(evil).parameters).toContain("'arn:aws:sts::1:assumed-role/r/x'' OR ''1''=''1'");
    expect(parseParameterLiteral(stringParameter(evil))).toBe(evil);
    expect(() => parseParameterLiteral(`'${evil}'`)).toThrow(/single SQL literal/);
    expect(() => parseParameterLiteral("1; DROP TABLE t")).toThrow(/single SQL literal/);
  });

  it("pushes crossAccountOnly down as a NULL-safe comparison of the role's and the caller's account, values as parameters", () => {
    const plan = buildAthenaStatements([{ eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange: { startMs: at, endMs: at } }], projection, window);
    const statement = plan.statements[0]!;
    const roleAccount = "split_part(json_extract_scalar(requestparameters, '$.roleArn'), ?, ?)";
    expect(statement.sql).toContain(
      `(eventname IN (?) AND NOT COALESCE(regexp_like(${roleAccount}, ?) AND ${roleAccount} = COALESCE(useridentity.accountid, split_part(useridentity.arn, ?, ?)), false) AND eventtime >= ?`,
    );
    // partition day, event name, then the crossAccountOnly parameters in order, then the time bounds.
    expect(statement.parameters.slice(1, -2)).toEqual(["'AssumeRole'", "':'", "5", "'^[0-9]+$'", "':'", "5", "':'", "5"]);
    expect(statement.parameters.slice(1, -2).map(parseParameterLiteral)).toEqual(["AssumeRole", ":", 5n, "^[0-9]+$", ":", 5n, ":", 5n]);
    expect(buildAthenaStatements([{ crossAccountOnly: false, timeRange: { startMs: at, endMs: at } }], projection, window).statements[0]!.sql).not.toContain("COALESCE");
  });

  it("pushes roleNames down as the lower-cased last path segment of roleArn, names lower-cased and deduped as parameters", () => {
    const plan = buildAthenaStatements([{ eventNames: ["AssumeRole"], roleNames: ["VendorAudit", "vendoraudit", "x' OR '1'='1"], timeRange: { startMs: at, endMs: at } }], projection, window);
    const statement = plan.statements[0]!;
    expect(statement.sql).toContain("AND lower(reverse(split_part(reverse(json_extract_scalar(requestparameters, '$.roleArn')), ?, ?))) IN (?, ?) AND eventtime >= ?");
    expect(statement.parameters.slice(2, -2)).toEqual(["'/'", "1", "'vendoraudit'", "'x'' or ''1''=''1'"]);
    const empty = buildAthenaStatements([{ roleNames: [], timeRange: { startMs: at, endMs: at } }], projection, window);
    expect(empty).toMatchObject({ statements: [], empty: [0] });
    // A name the engine might lower-case differently from JavaScript is left to the source's re-match.
    const unicode = buildAthenaStatements([{ roleNames: ["Admin", "\u0130nfra"], timeRange: { startMs: at, endMs: at } }], projection, window);
    expect(unicode.statements[0]!.sql).not.toContain("reverse");
  });

  it("has no partition predicate for an unpartitioned table", () => {
    const plan = buildAthenaStatements([{ eventIds: ["e"], timeRange: { startMs: at, endMs: at } }], { database: "ct", table: "logs", partitioning: { kind: "none" } }, window);
    expect(plan.statements[0]!.sql).toContain(`WHERE ((eventid IN (?)`);
    expect(plan.statements[0]!.partitionDays).toEqual([]);
  });
});

describe("parseAthenaUri", () => {
  it("reads every key", () => {
    expect(parseAthenaUri("athena://security.cloudtrail_logs?partitioning=projection:timestamp,region:region,account:account&workgroup=ir&output=s3://athena-results/q/&catalog=AwsDataCatalog&columns=sourceidentity,identityprovider")).toEqual({
      database: "security", table: "cloudtrail_logs", workgroup: "ir", outputLocation: "s3://athena-results/q/", catalog: "AwsDataCatalog",
      partitioning: { kind: "projection", dateColumn: "timestamp", regionColumn: "region", accountColumn: "account" },
      optionalColumns: ["sourceidentity", "identityprovider"],
    });
    expect(parseAthenaUri("athena://db.t?partitioning=classic,account:account").partitioning).toEqual({
      kind: "classic", regionColumn: "region", yearColumn: "year", monthColumn: "month", dayColumn: "day", accountColumn: "account",
    });
    expect(parseAthenaUri("athena://db.t?partitioning=classic:r/y/m/d").partitioning).toEqual({ kind: "classic", regionColumn: "r", yearColumn: "y", monthColumn: "m", dayColumn: "d" });
    expect(parseAthenaUri("athena://db.t?partitioning=none").partitioning).toEqual({ kind: "none" });
  });

  it.each([
    ["athena://db?partitioning=none", /is not DATABASE.TABLE/],
    ["athena://db.t", /partitioning=… is required/],
    ["athena://db.t?partitioning=none&bogus=1", /unknown key "bogus"/],
    ["athena://db.t?partitioning=none&partitioning=none", /given twice/],
    ["athena://db.t?partitioning=projection", /needs the date column/],
    ["athena://db.t?partitioning=projection:time-stamp", /not a plain identifier/],
    ["athena://db.t?partitioning=classic:a/b/c", /not REGION\/YEAR\/MONTH\/DAY/],
    ["athena://db.t?partitioning=hive", /is not projection, classic or none/],
    ["athena://db.t?partitioning=projection:timestamp,zone:z", /not region:COLUMN or account:COLUMN/],
    ["athena://db.t?partitioning=none&output=http://x", /not an s3:\/\/bucket\/prefix/],
    ["athena://db.t?partitioning=none&columns=eventid", /not one of/],
    ["athena://db.t;drop?partitioning=none", /not a plain identifier/],
  ])("rejects %s in one line", (uri, message) => {
    expect(() => parseAthenaUri(uri)).toThrow(message);
    try { parseAthenaUri(uri); } catch (error) { expect(String(error)).not.toContain("\n"); }
  });
});
