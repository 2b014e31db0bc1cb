import { describe, expect, it } from "vitest";
import type { EventQuery } from "../../../src/core/event-query.js";
import { isValidLakeValue, lakeStringLiteral, lakeTimestampLiteral, type LakeValueKind } from "../../../src/sources/lake/lake-literals.js";
import { lakePredicate, planLakeStatements } from "../../../src/sources/lake/lake-statement.js";
import { parseLakeUri } from "../../../src/sources/lake/lake-uri.js";

const EDS = "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
const EVENT_ID = "3f1c9a2e-7b4d-4c1e-9a8f-0d2b6e5c4a31";
const SESSION_ARN = "arn:aws:sts::111111111111:assumed-role/admin/alice@example.com";
const WINDOW = { startMs: Date.parse("2026-11-16T10:00:00Z"), endMs: Date.parse("2026-11-16T10:00:00.999Z") };

const GOOD: Record<LakeValueKind, string[]> = {
  "event ID": [EVENT_ID, EVENT_ID.toUpperCase()],
  ARN: [
    SESSION_ARN, "arn:aws:iam::111111111111:role/service-role/path/Deploy+Role=,.@_-", "arn:aws:iam::111111111111:root",
    "arn:aws-us-gov:sts::111111111111:federated-user/bob", "arn:aws-cn:iam::111111111111:user/ops/carol",
  ],
  "account ID": ["111111111111", "000000000000"],
  "access key ID": ["ASIAY34FZKBOKMUTVV7A", "AKIAIOSFODNN7EXAMPLE"],
  "event name": ["AssumeRole", "AssumeRoleWithSAML", "GetObject"],
  "session name": ["alice@example.com", "botocore-session-1700000000", "a=b,c.d"],
  "role name": ["VendorAudit", "a", "Deploy+Role=,.@_-", "x".repeat(64)],
};
const BAD: Record<LakeValueKind, string[]> = {
  "event ID": ["", "not-a-uuid", `${EVENT_ID}'`, `${EVENT_ID} `, "3f1c9a2e7b4d4c1e9a8f0d2b6e5c4a31", "' OR '1'='1"],
  ARN: [
    "arn:aws:sts::111111111111:assumed-role/admin/x' OR '1'='1", "arn:aws:s3:::bucket", "arn:aws:sts::1111:assumed-role/a/b",
    "arn:aws:iam::111111111111:user/a b", "arn:aws:iam::111111111111:user/a\\b", "arn:aws:iam::111111111111:user/a\nb",
    "arn:aws:iam::111111111111:", "xarn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:user/a;--",
  ],
  "account ID": ["11111111111", "1111111111111", "11111111111a", "111111111111 ", "' OR 1=1"],
  "access key ID": ["ASIA", "asiay34fzkbokmutvv7a", "ABIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A'"],
  "event name": ["", "Assume Role", "AssumeRole'", "1AssumeRole", "Assume-Role"],
  "session name": ["a", "x' OR '1'='1", "a/b", "a b", "x".repeat(65)],
  "role name": ["", "x' OR '1'='1", "path/Name", "a b", "x".repeat(65), "\u212Aey", "Admin\n"],
};

describe("Lake literals", () => {
  for (const kind of Object.keys(GOOD) as LakeValueKind[]) {
    it.each(GOOD[kind])(`accepts the ${kind} %j`, (value) => {
      expect(isValidLakeValue(kind, value)).toBe(true);
      expect(lakeStringLiteral(kind, value)).toBe(`'${value}'`);
    });
    it.each(BAD[kind])(`refuses the ${kind} %j`, (value) => {
      expect(isValidLakeValue(kind, value)).toBe(false);
      expect(() => lakeStringLiteral(kind, value)).toThrow(`into Lake SQL: not a valid ${kind}`);
    });
  }

  it("formats timestamps as UTC literals with milliseconds, and refuses nonsense times", () => {
    expect(lakeTimestampLiteral(WINDOW.endMs)).toBe("timestamp '2026-11-16 10:00:00.999'");
    expect(() => lakeTimestampLiteral(Number.NaN)).toThrow(RangeError);
    expect(() => lakeTimestampLiteral(Date.parse("+010000-01-01T00:00:00Z"))).toThrow(RangeError);
  });
});

describe("lakePredicate", () => {
  it("puts every field of the query into the predicate", () => {
    const query: EventQuery = {
      eventIds: [EVENT_ID], eventNames: ["AssumeRole", "AssumeRoleWithSAML"], accountIds: ["111111111111"], timeRange: WINDOW,
      sharedEventIds: [EVENT_ID], issuedAccessKeyIds: ["ASIAY34FZKBOKMUTVV7A"], issuedSessionArns: [SESSION_ARN], callerArns: [SESSION_ARN],
    };
    expect(lakePredicate(query)).toBe([
      "eventTime >= timestamp '2026-11-16 10:00:00.000'",
      "eventTime <= timestamp '2026-11-16 10:00:00.999'",
      `eventID = '${EVENT_ID}'`,
      "eventName IN ('AssumeRole', 'AssumeRoleWithSAML')",
      "recipientAccountId = '111111111111'",
      `sharedEventID = '${EVENT_ID}'`,
      "json_extract_scalar(element_at(responseElements, 'credentials'), '$.accessKeyId') = 'ASIAY34FZKBOKMUTVV7A'",
      `(json_extract_scalar(element_at(responseElements, 'assumedRoleUser'), '$.arn') = '${SESSION_ARN}'`
        + ` OR json_extract_scalar(element_at(responseElements, 'federatedUser'), '$.arn') = '${SESSION_ARN}'`
        + " OR element_at(requestParameters, 'roleSessionName') = 'alice@example.com')",
      `userIdentity.arn = '${SESSION_ARN}'`,
    ].join(" AND "));
  });

  it("drops same-account role assumptions in the engine, keeping rows where either account is unknown (crossAccountOnly)", () => {
    const roleAccount = "split_part(element_at(requestParameters, 'roleArn'), ':', 5)";
    expect(lakePredicate({ eventNames: ["AssumeRole"], crossAccountOnly: true, timeRange: WINDOW })).toBe([
      "eventTime >= timestamp '2026-11-16 10:00:00.000'",
      "eventTime <= timestamp '2026-11-16 10:00:00.999'",
      "eventName = 'AssumeRole'",
      `NOT COALESCE(regexp_like(${roleAccount}, '^[0-9]+$') AND ${roleAccount} = COALESCE(userIdentity.accountId, split_part(userIdentity.arn, ':', 5)), false)`,
    ].join(" AND "));
    expect(lakePredicate({ crossAccountOnly: false, timeRange: WINDOW })).not.toContain("COALESCE");
  });

  it("matches roleArn's last path segment against lower-cased role names (roleNames)", () => {
    const name = "lower(reverse(split_part(reverse(element_at(requestParameters, 'roleArn')), '/', 1)))";
    expect(lakePredicate({ roleNames: ["VendorAudit", "vendoraudit", "Deploy"], timeRange: WINDOW })).toContain(` AND ${name} IN ('vendoraudit', 'deploy')`);
    expect(lakePredicate({ roleNames: ["VendorAudit"], timeRange: WINDOW })).toContain(` AND ${name} = 'vendoraudit'`);
    expect(lakePredicate({ roleNames: [], timeRange: WINDOW })).toContain(" AND FALSE");
  });

  it("refuses a role name IAM would not accept, naming it, and leaves the query out of the plan", () => {
    const evil = "x') OR ('1'='1";
    expect(() => lakePredicate({ roleNames: ["VendorAudit", evil], timeRange: WINDOW }))
      .toThrow(`refused to put ${JSON.stringify(evil)} into Lake SQL: not a valid role name`);
    // Checked as given: a Kelvin sign lower-cases to "k" but is not a role name character.
    expect(() => lakePredicate({ roleNames: ["\u212Aey"], timeRange: WINDOW })).toThrow(/not a valid role name/);
    const plan = planLakeStatements(EDS, [{ roleNames: [evil], timeRange: WINDOW }, { roleNames: ["Admin"], timeRange: WINDOW }]);
    expect(plan.refused).toEqual([{ queryIndex: 0, reason: `refused to put ${JSON.stringify(evil)} into Lake SQL: not a valid role name` }]);
    expect(plan.statements.map((st) => st.queryIndexes)).toEqual([[1]]);
    expect(plan.statements[0]?.sql).not.toContain("OR ('1'");
  });

  it("turns an empty list into FALSE (it matches nothing) and dedupes values", () => {
    expect(lakePredicate({ eventIds: [], timeRange: WINDOW })).toContain(" AND FALSE");
    expect(lakePredicate({ eventNames: ["AssumeRole", "AssumeRole"], timeRange: WINDOW })).toContain("eventName = 'AssumeRole'");
  });

  it("refuses a query without a time range", () => {
    expect(() => lakePredicate({ eventIds: [EVENT_ID] })).toThrow(/without a time range/);
  });

  it("refuses an attacker-chosen session name inside an ARN, naming the value", () => {
    const arn = "arn:aws:sts::111111111111:assumed-role/admin/x' OR '1'='1";
    expect(() => lakePredicate({ issuedSessionArns: [arn], timeRange: WINDOW }))
      .toThrow(`refused to put ${JSON.stringify(arn)} into Lake SQL: not a valid ARN`);
  });
});

describe("planLakeStatements", () => {
  const byId: EventQuery = { eventIds: [EVENT_ID], timeRange: WINDOW };
  const issuer: EventQuery = { eventNames: ["AssumeRole"], issuedSessionArns: [SESSION_ARN], timeRange: WINDOW };

  it("ORs a batch into one SELECT over the store, leaving refused queries out", () => {
    const plan = planLakeStatements(EDS, [byId, { eventIds: [EVENT_ID] }, issuer, { callerArns: ["arn:aws:iam::1:root"], timeRange: WINDOW }]);
    expect(plan.refused.map((r) => r.queryIndex)).toEqual([1, 3]);
    expect(plan.refused[1]?.reason).toBe('refused to put "arn:aws:iam::1:root" into Lake SQL: not a valid ARN');
    expect(plan.statements).toHaveLength(1);
    const [statement] = plan.statements;
    expect(statement?.queryIndexes).toEqual([0, 2]);
    expect(statement?.sql).toMatch(new RegExp(`^SELECT eventID, eventName, .* FROM ${EDS} WHERE \\(eventTime >= .*\\) OR \\(eventTime >= .*\\)$`));
    expect(statement?.sql).toContain("json_format(CAST(responseElements AS JSON)) AS responseelements");
    expect(statement?.sql).toContain("userIdentity.sessionContext.attributes.creationDate AS useridentity_sessioncontext_attributes_creationdate");
  });

  it("splits a batch that would pass StartQuery's statement limit, and refuses a query too long on its own", () => {
    const manyNames = Array.from({ length: 40 }, (_, i) => `Event${i}`);
    const queries = Array.from({ length: 6 }, () => ({ eventNames: manyNames, timeRange: WINDOW }));
    const plan = planLakeStatements(EDS, queries, 3000);
    expect(plan.statements.length).toBeGreaterThan(1);
    expect(plan.statements.flatMap((s) => s.queryIndexes)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const s of plan.statements) expect(s.sql.length).toBeLessThanOrEqual(3000);
    const huge = planLakeStatements(EDS, [{ eventNames: Array.from({ length: 900 }, (_, i) => `Event${i}`), timeRange: WINDOW }]);
    expect(huge.statements).toEqual([]);
    expect(huge.refused[0]?.reason).toMatch(/more than 10000 characters/);
  });

  it("refuses to use a table name that is not an event data store id", () => {
    expect(() => planLakeStatements("eds; DROP", [byId])).toThrow(RangeError);
  });
});

describe("parseLakeUri", () => {
  it("takes an id or the id portion of an ARN", () => {
    expect(parseLakeUri(`lake://${EDS}`)).toEqual({ eventDataStore: EDS });
    expect(parseLakeUri(`lake://arn:aws:cloudtrail:us-east-2:123456789012:eventdatastore/${EDS}`))
      .toEqual({ eventDataStore: EDS, region: "us-east-2", accountId: "123456789012" });
  });
  it.each(["lake://", "lake://x", "s3://bucket", `lake://${EDS}'--`, "lake://a b c", "lake://arn:aws:cloudtrail:us-east-2:123:eventdatastore/x"])(
    "refuses %j in one line", (uri) => {
      expect(() => parseLakeUri(uri)).toThrow(/^(not a Lake source|.* does not name an event data store)[^\n]*$/);
    },
  );
});
