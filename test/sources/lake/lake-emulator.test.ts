import { DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translateLakeSql } from "../../helpers/lake-emulator/lake-sql-shim.js";
import { startLakeEmulator, type LakeEmulator } from "../../helpers/lake-emulator/lake-emulator.js";
import { lakeTestClient } from "../../helpers/lake-emulator/lake-test-client.js";
import { assumeRoleEvent, iamUserIdentity, longTermKey, tempKey, uuid } from "../../helpers/cloudtrail-records.js";

const EDS = "eds-emulator-test";
const session = { roleArn: "arn:aws:iam::111111111111:role/admin", sessionName: "alice", accessKeyId: tempKey("alice"), issuedAt: "2026-11-16T10:00:00Z" };
const record = assumeRoleEvent({
  caller: iamUserIdentity({ accountId: "111111111111", userName: "alice", accessKeyId: longTermKey("alice") }),
  session, eventID: uuid("assume"), durationSeconds: 3600,
});

let emulator: LakeEmulator;
let client: CloudTrailClient;
beforeAll(async () => {
  emulator = await startLakeEmulator({ eventDataStoreId: EDS, records: [record] });
  client = lakeTestClient(emulator.url);
});
afterAll(async () => {
  client?.destroy();
  await emulator?.close();
});

async function statusesUntilDone(queryId: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const { QueryStatus } = await client.send(new DescribeQueryCommand({ QueryId: queryId }));
    seen.push(String(QueryStatus));
    if (QueryStatus !== "QUEUED" && QueryStatus !== "RUNNING") break;
  }
  return seen;
}

describe("Lake emulator", () => {
  it("runs a query QUEUED → RUNNING → FINISHED and answers in Lake's row shape, maps holding JSON text", async () => {
    const { QueryId } = await client.send(new StartQueryCommand({
      QueryStatement: `SELECT eventID, eventTime, element_at(responseElements, 'assumedRoleUser') AS aru, `
        + `json_extract_scalar(element_at(responseElements, 'credentials'), '$.accessKeyId') AS key, `
        + `element_at(requestParameters, 'durationSeconds') AS duration, readOnly, userIdentity.sessionContext.attributes.creationDate `
        + `FROM ${EDS} WHERE eventTime >= timestamp '2026-11-16 10:00:00.000' AND eventName = 'AssumeRole'`,
    }));
    expect(await statusesUntilDone(QueryId!)).toEqual(["QUEUED", "RUNNING", "FINISHED"]);
    const results = await client.send(new GetQueryResultsCommand({ QueryId: QueryId! }));
    expect(results.QueryResultRows).toEqual([[
      { eventid: record.eventID }, { eventtime: "2026-11-16 10:00:00" },
      { aru: JSON.stringify((record.responseElements as { assumedRoleUser: unknown }).assumedRoleUser) },
      { key: session.accessKeyId }, { duration: "3600" }, { readonly: "true" }, { creationdate: "" },
    ]]);
    expect(results.QueryStatistics?.BytesScanned).toBe(Buffer.byteLength(JSON.stringify(record)));
  });

  it("fails a query DuckDB cannot run, with DuckDB's message", async () => {
    const { QueryId } = await client.send(new StartQueryCommand({ QueryStatement: `SELECT json_extract_scalar(eventName, '$.x') FROM ${EDS}` }));
    const statuses = await statusesUntilDone(QueryId!);
    expect(statuses.at(-1)).toBe("FAILED");
    const described = await client.send(new DescribeQueryCommand({ QueryId: QueryId! }));
    expect(described.ErrorMessage).toMatch(/JSON/);
  });

  it.each([
    [`SELECT * FROM ${EDS}; DROP TABLE x`, /unsupported character ";"/],
    [`SELECT * FROM ${EDS} -- comment`, /unsupported character "-"/],
    [`SELECT read_text('/etc/passwd') FROM ${EDS}`, /function read_text is not supported/],
    [`SELECT * FROM ${EDS} WHERE eventID IN (SELECT eventID FROM ${EDS})`, /subqueries/],
    [`SELECT * FROM other-store`, /no event data store other-store/],
    [`SELECT * FROM ${EDS} UNION SELECT 1`, /subqueries|UNION/],
    ["DELETE FROM x", /only SELECT/],
    [`SELECT "eventID" FROM ${EDS}`, /unsupported character/],
    [`SELECT * FROM ${EDS} WHERE eventName = 5`, /numeric literal 5 is not supported/],
    [`SELECT * FROM ${EDS} WHERE lower(eventName) = split_part(eventName, ':', 12)`, /numeric literal 12/],
    [`SELECT * FROM ${EDS} WHERE coalesce(eventName, 1) = 'x'`, /numeric literal 1/],
    [`SELECT * FROM ${EDS} WHERE regexp_replace(eventName, 'a', 'b') = 'x'`, /function regexp_replace is not supported/],
  ])("refuses %j", async (sql, message) => {
    await expect(client.send(new StartQueryCommand({ QueryStatement: sql }))).rejects.toMatchObject({ name: "InvalidQueryStatementException", message: expect.stringMatching(message) });
  });

  it("translates the Trino functions the source uses and finds the eventTime window", () => {
    const shim = translateLakeSql(
      `SELECT json_format(CAST(requestParameters AS JSON)) AS rp FROM ${EDS} WHERE (eventTime >= timestamp '2026-11-16 10:00:00.000' AND eventTime <= timestamp '2026-11-16 10:00:00.999' `
        + `AND json_extract_scalar(element_at(responseElements, 'x'), '$.a') = 'it''s') OR (eventTime >= timestamp '2026-11-16 09:00:00.000' AND eventTime <= timestamp '2026-11-16 09:30:00.000')`,
      new Set([EDS]),
    );
    expect(shim).toEqual({
      ok: true,
      table: EDS,
      duckdbSql: `SELECT CAST(CAST(requestParameters AS JSON) AS VARCHAR) AS rp FROM "${EDS}" WHERE (eventTime >= timestamp '2026-11-16 10:00:00.000' AND eventTime <= timestamp '2026-11-16 10:00:00.999' `
        + `AND json_extract_string(map_extract_value(responseElements, 'x'), '$.a') = 'it''s') OR (eventTime >= timestamp '2026-11-16 09:00:00.000' AND eventTime <= timestamp '2026-11-16 09:30:00.000')`,
      window: { fromMs: Date.parse("2026-11-16T09:00:00Z"), toMs: Date.parse("2026-11-16T10:00:00.999Z") },
    });
  });
});
