import type { EventQuery, TimeRange } from "../../core/event-query.js";
import { parseAssumedRoleArn } from "../../core/issuing-events.js";
import { SQL_IDENTIFIER, type AthenaTableSpec } from "./athena-table-spec.js";
import { selectedColumns } from "./selected-columns.js";
import { integerParameter, stringParameter } from "./sql-literal.js";

/**
 * Pure translation of EventQuery batches into Athena SQL. Every value from a query (event ids,
 * ARNs, session names: attacker-controlled text from logs) becomes a positional `?` and an
 * execution parameter; the SQL text holds only the table's identifiers, fixed JSON paths and `?`.
 *
 * Shape (the emulator in test/ relies on it and checks it):
 *   SELECT <columns> FROM "db"."table"
 *   WHERE (<partition predicate: the delivery days of every query's window>) AND ((<query 1>) OR (<query 2>) …)
 *   ORDER BY eventtime, eventid
 * The rows are a superset of each query's matches; the source re-matches them with matchesEventQuery.
 */
export interface AthenaStatement {
  sql: string;
  parameters: string[];
  /** Indexes (into the batch) of the queries this statement answers. */
  queryIndexes: number[];
  /** The UTC days (ms at 00:00) whose partitions the statement reads; [] when the table has none. */
  partitionDays: number[];
}

export interface AthenaPlan {
  statements: AthenaStatement[];
  /** Queries that need no SQL: an empty list in them matches nothing. */
  empty: number[];
  /** Queries that cannot be sent, and why (one line each). */
  refused: { index: number; reason: string }[];
}

export interface DeliveryWindowOptions {
  /** How long after an event its log file may be delivered (partition dates are delivery dates). */
  deliverySlackMs: number;
  /** How far before an event's time its file may be dated. */
  clockSkewMs: number;
}

/** Keep statements readable and well under any service limit; one query over this stands alone. */
export const DEFAULT_MAX_PARAMETERS = 100;
/** Athena's limit on one execution parameter's length. */
const MAX_PARAMETER_LENGTH = 1024;
const DAY_MS = 86_400_000;

interface Fragment { index: number; predicate: string; parameters: string[]; days: number[]; accounts: readonly string[] | null }

export function buildAthenaStatements(
  queries: readonly EventQuery[], spec: AthenaTableSpec, window: DeliveryWindowOptions, maxParameters = DEFAULT_MAX_PARAMETERS,
): AthenaPlan {
  checkIdentifiers(spec);
  const plan: AthenaPlan = { statements: [], empty: [], refused: [] };
  const fragments: Fragment[] = [];
  queries.forEach((query, index) => {
    const built = queryFragment(query, index, window);
    if (built.kind === "fragment") fragments.push(built.fragment);
    else if (built.kind === "empty") plan.empty.push(index);
    else plan.refused.push({ index, reason: built.reason });
  });

  let group: Fragment[] = [];
  for (const fragment of fragments) {
    const grown = [...group, fragment];
    if (group.length > 0 && statementFor(grown, spec).parameters.length > maxParameters) {
      plan.statements.push(statementFor(group, spec));
      group = [fragment];
    } else {
      group = grown;
    }
  }
  if (group.length > 0) plan.statements.push(statementFor(group, spec));
  return plan;
}

type FragmentResult = { kind: "fragment"; fragment: Fragment } | { kind: "empty" } | { kind: "refused"; reason: string };

function queryFragment(query: EventQuery, index: number, window: DeliveryWindowOptions): FragmentResult {
  const lists = [query.eventIds, query.eventNames, query.accountIds, query.sharedEventIds, query.issuedAccessKeyIds, query.issuedSessionArns, query.callerArns, query.roleNames];
  if (lists.some((list) => list !== undefined && list.length === 0)) return { kind: "empty" };
  if (!query.timeRange) {
    return { kind: "refused", reason: "a query without a time range would scan the whole table; refused (give the event time, e.g. --at)" };
  }

  const conditions: string[] = [];
  const parameters: string[] = [];
  const inList = (expression: string, values: readonly string[]): void => {
    conditions.push(`${expression} IN (${values.map(() => "?").join(", ")})`);
    parameters.push(...values.map(stringParameter));
  };
  if (query.eventIds) inList("eventid", query.eventIds);
  if (query.eventNames) inList("eventname", query.eventNames);
  if (query.accountIds) inList("recipientaccountid", query.accountIds);
  if (query.sharedEventIds) inList("sharedeventid", query.sharedEventIds);
  if (query.issuedAccessKeyIds) inList("json_extract_scalar(responseelements, '$.credentials.accessKeyId')", query.issuedAccessKeyIds);
  if (query.issuedSessionArns) {
    // issuedSessionArn: the logged assumedRoleUser/federatedUser ARN, or (when none is logged) one
    // derived from roleArn + roleSessionName; the last case is narrowed by session name here and
    // decided exactly by matchesEventQuery.
    const arns = query.issuedSessionArns;
    const sessionNames = [...new Set(arns.map((arn) => parseAssumedRoleArn(arn)?.sessionName).filter((n): n is string => n !== undefined))];
    const parts = [
      `json_extract_scalar(responseelements, '$.assumedRoleUser.arn') IN (${arns.map(() => "?").join(", ")})`,
      `json_extract_scalar(responseelements, '$.federatedUser.arn') IN (${arns.map(() => "?").join(", ")})`,
    ];
    parameters.push(...arns.map(stringParameter), ...arns.map(stringParameter));
    if (sessionNames.length > 0) {
      parts.push(`(json_extract_scalar(responseelements, '$.assumedRoleUser.arn') IS NULL AND json_extract_scalar(requestparameters, '$.roleSessionName') IN (${sessionNames.map(() => "?").join(", ")}))`);
      parameters.push(...sessionNames.map(stringParameter));
    }
    conditions.push(`(${parts.join(" OR ")})`);
  }
  if (query.callerArns) inList("useridentity.arn", query.callerArns);
  if (query.crossAccountOnly) {
    // Dropped only when the role's account is all digits and equals the caller's (as
    // matchesEventQuery). Anything unknown makes the comparison NULL, and NOT NULL would drop the
    // row: COALESCE keeps it. split_part past the last field is NULL in Trino and '' in DuckDB;
    // neither is all digits, so both keep the row.
    conditions.push(`NOT COALESCE(regexp_like(${ROLE_ACCOUNT}, ?) AND ${ROLE_ACCOUNT} = ${CALLER_ACCOUNT}, false)`);
    parameters.push(...ROLE_ACCOUNT_PARAMETERS, stringParameter("^[0-9]+$"), ...ROLE_ACCOUNT_PARAMETERS, ...CALLER_ACCOUNT_PARAMETERS);
  }
  if (query.roleNames) {
    // The last "/" segment of roleArn, lower-cased: a superset of roleNameOfArn's matches (which
    // also requires an IAM role ARN). Names with non-ASCII characters are not pushed down: the
    // engine's lower() need not agree with JavaScript's toLowerCase on them, and a disagreement
    // would drop a row the reference keeps; the source's re-match decides alone then.
    if (query.roleNames.every((name) => /^[\x20-\x7e]*$/.test(name))) {
      const names = [...new Set(query.roleNames.map((name) => name.toLowerCase()))];
      conditions.push(`lower(reverse(split_part(reverse(${ROLE_ARN}), ?, ?))) IN (${names.map(() => "?").join(", ")})`);
      parameters.push(stringParameter("/"), integerParameter(1), ...names.map(stringParameter));
    }
  }
  // eventtime is ISO-8601 text ("2026-11-16T09:46:15Z"): text bounds at whole seconds without the
  // zone suffix select every string of those seconds, and an unparseable eventtime cannot fail the
  // statement as from_iso8601_timestamp would. Exact bounds are applied to the rows afterwards.
  const { startMs, endMs } = query.timeRange;
  conditions.push("eventtime >= ?", "eventtime < ?");
  parameters.push(stringParameter(isoSecondPrefix(startMs)), stringParameter(isoSecondPrefix(Math.floor(endMs / 1000) * 1000 + 1000)));

  const tooLong = parameters.find((p) => p.length > MAX_PARAMETER_LENGTH);
  if (tooLong) return { kind: "refused", reason: `a value of ${tooLong.length} characters exceeds Athena's ${MAX_PARAMETER_LENGTH}-character parameter limit` };

  const delivery = { startMs: startMs - window.clockSkewMs, endMs: endMs + window.deliverySlackMs };
  return { kind: "fragment", fragment: { index, predicate: conditions.join(" AND "), parameters, days: utcDays(delivery), accounts: query.accountIds ?? null } };
}

const ROLE_ARN = "json_extract_scalar(requestparameters, '$.roleArn')";
/** The 5th ':' field of roleArn (arnAccountId without its all-digits check); parameters ':' and 5. */
const ROLE_ACCOUNT = `split_part(${ROLE_ARN}, ?, ?)`;
const ROLE_ACCOUNT_PARAMETERS = [stringParameter(":"), integerParameter(5)];
/** userIdentity.accountId, else the caller ARN's 5th ':' field; parameters ':' and 5. */
const CALLER_ACCOUNT = "COALESCE(useridentity.accountid, split_part(useridentity.arn, ?, ?))";
const CALLER_ACCOUNT_PARAMETERS = ROLE_ACCOUNT_PARAMETERS;

function statementFor(group: readonly Fragment[], spec: AthenaTableSpec): AthenaStatement {
  const days = [...new Set(group.flatMap((f) => f.days))].sort((a, b) => a - b);
  const accounts = group.every((f) => f.accounts !== null) ? [...new Set(group.flatMap((f) => f.accounts ?? []))].sort() : null;
  const partition = partitionPredicate(spec, days, accounts);
  const disjunction = group.map((f) => `(${f.predicate})`).join(" OR ");
  const columns = selectedColumns(spec).map((c) => `${c.expression} AS ${c.alias}`).join(", ");
  const where = partition ? `(${partition.sql}) AND (${disjunction})` : `(${disjunction})`;
  return {
    sql: `SELECT ${columns} FROM "${spec.database}"."${spec.table}" WHERE ${where} ORDER BY eventtime, eventid`,
    parameters: [...(partition?.parameters ?? []), ...group.flatMap((f) => f.parameters)],
    queryIndexes: group.map((f) => f.index),
    partitionDays: partition ? days : [],
  };
}

/** The partitions of `days` (delivery dates) and, when the table has an account partition and every query names accounts, those accounts. */
export function partitionPredicate(spec: AthenaTableSpec, days: readonly number[], accounts: readonly string[] | null): { sql: string; parameters: string[] } | null {
  const p = spec.partitioning;
  if (p.kind === "none") return null;
  const parameters: string[] = [];
  let sql: string;
  if (p.kind === "projection") {
    sql = `"${p.dateColumn}" IN (${days.map(() => "?").join(", ")})`;
    parameters.push(...days.map((d) => stringParameter(ymd(d).join("/"))));
  } else {
    const byMonth = new Map<string, string[]>();
    for (const day of days) {
      const [y, m, d] = ymd(day);
      const key = `${y}/${m}`;
      byMonth.set(key, [...(byMonth.get(key) ?? []), d]);
    }
    const months: string[] = [];
    for (const [key, monthDays] of byMonth) {
      const [y = "", m = ""] = key.split("/");
      months.push(`("${p.yearColumn}" = ? AND "${p.monthColumn}" = ? AND "${p.dayColumn}" IN (${monthDays.map(() => "?").join(", ")}))`);
      parameters.push(stringParameter(y), stringParameter(m), ...monthDays.map(stringParameter));
    }
    sql = months.length === 1 ? months[0]! : `(${months.join(" OR ")})`;
  }
  if (p.accountColumn && accounts) {
    sql += ` AND "${p.accountColumn}" IN (${accounts.map(() => "?").join(", ")})`;
    parameters.push(...accounts.map(stringParameter));
  }
  return { sql, parameters };
}

/** Start (ms) of every UTC day that overlaps the range. */
export function utcDays(range: TimeRange): number[] {
  const days: number[] = [];
  for (let day = Math.floor(range.startMs / DAY_MS) * DAY_MS; day <= range.endMs; day += DAY_MS) days.push(day);
  return days;
}

function ymd(dayMs: number): [string, string, string] {
  const iso = new Date(dayMs).toISOString();
  return [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
}

/** "2026-11-16T09:46:15": the whole second, no fraction or zone, as a prefix of CloudTrail's text. */
function isoSecondPrefix(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

function checkIdentifiers(spec: AthenaTableSpec): void {
  const p = spec.partitioning;
  const names = [spec.database, spec.table];
  if (p.kind === "projection") names.push(p.dateColumn, ...(p.regionColumn ? [p.regionColumn] : []), ...(p.accountColumn ? [p.accountColumn] : []));
  if (p.kind === "classic") names.push(p.regionColumn, p.yearColumn, p.monthColumn, p.dayColumn, ...(p.accountColumn ? [p.accountColumn] : []));
  const bad = names.find((n) => !SQL_IDENTIFIER.test(n));
  if (bad !== undefined) throw new Error(`athena source: "${bad}" is not a plain identifier (letters, digits, _)`);
}
