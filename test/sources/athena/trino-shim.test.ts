import { describe, expect, it } from "vitest";
import { buildAthenaStatements } from "../../../src/sources/athena/build-athena-sql.js";
import { knownIdentifiers, partitionColumns } from "../../helpers/athena-emulator/cloudtrail-table.js";
import { shimStatement } from "../../helpers/athena-emulator/trino-shim.js";

// The emulator accepts only the SQL subset the source emits, so a change in the source's SQL that
// the shim does not understand fails loudly instead of being silently "emulated".
const shape = { partitioning: "projection" as const, optionalColumns: true };
const context = { database: "cloudtrail", table: "trail", duckTable: "t", identifiers: knownIdentifiers(shape), partitionColumns: partitionColumns(shape) };
const sql = buildAthenaStatements(
  [{ eventIds: ["e"], issuedSessionArns: ["arn:aws:sts::1:assumed-role/r/s"], timeRange: { startMs: 0, endMs: 1 } }],
  { database: "cloudtrail", table: "trail", partitioning: { kind: "projection", dateColumn: "timestamp", accountColumn: "account" } },
  { deliverySlackMs: 0, clockSkewMs: 0 },
).statements[0]!.sql;

describe("Trino shim", () => {
  it("accepts the source's SQL and finds its partition predicate", () => {
    const shimmed = shimStatement(sql, context);
    expect(shimmed.partitionSql).toBe(`"timestamp" IN ( ? )`);
    expect(shimmed.partitionParameterCount).toBe(1);
    expect(shimmed.duckSql).toContain("FROM t WHERE");
    expect(shimmed.duckSql).toContain("json_extract_scalar");
  });

  it("accepts the crossAccountOnly and roleNames predicates, every value a parameter", () => {
    const statement = buildAthenaStatements(
      [{ eventNames: ["AssumeRole"], crossAccountOnly: true, roleNames: ["Admin"], timeRange: { startMs: 0, endMs: 1 } }],
      { database: "cloudtrail", table: "trail", partitioning: { kind: "projection", dateColumn: "timestamp" } },
      { deliverySlackMs: 0, clockSkewMs: 0 },
    ).statements[0]!;
    const shimmed = shimStatement(statement.sql, context);
    expect(shimmed.parameterCount).toBe(statement.parameters.length);
    expect(shimmed.duckSql).toContain("NOT COALESCE ( regexp_like ( split_part");
  });

  it.each([
    [sql.replace("eventid IN (?)", "eventid IN ('e')"), /string literal/],
    [sql.replace("eventid IN (?)", "eventid IN (1)"), /numeric literal/],
    [sql.replace("eventid IN (?)", "upper(eventid) IN (?)"), /unsupported SQL word "upper"/],
    [sql.replace("eventid IN (?)", "regexp_replace(eventid, ?, ?) IN (?)"), /unsupported SQL word "regexp_replace"/],
    [sql.replace("eventid IN (?)", "split_part(eventid, ':', ?) IN (?)"), /string literal ':'/],
    [sql.replace("eventid IN (?)", "split_part(eventid, ?, 5) IN (?)"), /numeric literal 5/],
    [sql.replace("eventid IN (?)", "eventid IN (?) OR true"), /unsupported SQL word "true"/],
    [sql.replace(`("timestamp" IN (?)) AND `, ""), /partition predicate/],
    [sql.replace(`"cloudtrail"."trail"`, `"other"."trail"`), /FROM must name/],
    [sql.replace("ORDER BY", "; DROP TABLE t; --"), /unsupported SQL/],
    [sql.replace("SELECT eventid", "SELECT ? AS x, eventid"), /\? outside WHERE/],
  ])("refuses drift %#", (text, message) => {
    expect(() => shimStatement(text, context)).toThrow(message);
  });
});
