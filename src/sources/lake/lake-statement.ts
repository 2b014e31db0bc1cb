import type { EventQuery } from "../../core/event-query.js";
import { parseAssumedRoleArn } from "../../core/issuing-events.js";
import { selectList } from "./lake-columns.js";
import {
  RefusedLakeValueError, isValidLakeValue, lakeStringLiteral, lakeTimestampLiteral, type LakeValueKind,
} from "./lake-literals.js";
import { isEventDataStoreId } from "./lake-uri.js";

/** StartQuery's documented limit on QueryStatement. */
export const MAX_STATEMENT_CHARS = 10_000;

export interface LakeStatement {
  sql: string;
  /** Indexes into the batch of the queries this statement answers (rows are re-matched per query). */
  queryIndexes: number[];
}

export interface LakeStatementPlan {
  statements: LakeStatement[];
  /** Queries that are not sent at all, with the one-line reason. */
  refused: { queryIndex: number; reason: string }[];
}

export class RefusedLakeQueryError extends Error {
  override readonly name = "RefusedLakeQueryError";
}

/**
 * A batch of EventQuery → as few SELECTs as fit StartQuery's statement limit, each the OR of its
 * queries' predicates. The SQL is a superset filter: the source re-matches every row with
 * matchesEventQuery, so a predicate may be looser than the reference semantics, never stricter.
 * Pure: no I/O, so it is tested on its own and nothing reaches SQL without passing through here.
 */
export function planLakeStatements(
  eventDataStore: string, queries: readonly EventQuery[], maxChars: number = MAX_STATEMENT_CHARS,
): LakeStatementPlan {
  if (!isEventDataStoreId(eventDataStore)) throw new RangeError(`not an event data store id: ${JSON.stringify(eventDataStore)}`);
  const head = `SELECT ${selectList()} FROM ${eventDataStore} WHERE `;
  const refused: LakeStatementPlan["refused"] = [];
  const statements: LakeStatement[] = [];
  let current: { predicates: string[]; queryIndexes: number[] } = { predicates: [], queryIndexes: [] };
  const sqlOf = (predicates: readonly string[]): string => head + predicates.map((p) => `(${p})`).join(" OR ");
  const flush = (): void => {
    if (current.predicates.length > 0) statements.push({ sql: sqlOf(current.predicates), queryIndexes: current.queryIndexes });
    current = { predicates: [], queryIndexes: [] };
  };

  queries.forEach((query, queryIndex) => {
    let predicate: string;
    try {
      predicate = lakePredicate(query);
    } catch (error) {
      if (error instanceof RefusedLakeValueError || error instanceof RefusedLakeQueryError) {
        refused.push({ queryIndex, reason: error.message });
        return;
      }
      throw error;
    }
    if (sqlOf([predicate]).length > maxChars) {
      refused.push({ queryIndex, reason: `refused to send a Lake query of more than ${maxChars} characters (StartQuery's limit)` });
      return;
    }
    if (sqlOf([...current.predicates, predicate]).length > maxChars) flush();
    current.predicates.push(predicate);
    current.queryIndexes.push(queryIndex);
  });
  flush();
  return { statements, refused };
}

const ISSUED_ACCESS_KEY = "json_extract_scalar(element_at(responseElements, 'credentials'), '$.accessKeyId')";
const ASSUMED_ROLE_USER_ARN = "json_extract_scalar(element_at(responseElements, 'assumedRoleUser'), '$.arn')";
const FEDERATED_USER_ARN = "json_extract_scalar(element_at(responseElements, 'federatedUser'), '$.arn')";
const REQUESTED_SESSION_NAME = "element_at(requestParameters, 'roleSessionName')";
const ROLE_ARN = "element_at(requestParameters, 'roleArn')";
/** The 5th ':' field of roleArn (arnAccountId without its all-digits check). */
const ROLE_ACCOUNT = `split_part(${ROLE_ARN}, ':', 5)`;
/** userIdentity.accountId, else the caller ARN's 5th ':' field. */
const CALLER_ACCOUNT = "COALESCE(userIdentity.accountId, split_part(userIdentity.arn, ':', 5))";
/**
 * crossAccountOnly: drop a row only when the role's account is all digits and equals the caller's,
 * as matchesEventQuery does. An unknown side makes the comparison NULL, and NOT NULL would drop the
 * row: COALESCE keeps it. (split_part past the last field is NULL in Trino, '' in DuckDB: neither is
 * all digits.)
 */
const NOT_SAME_ACCOUNT = `NOT COALESCE(regexp_like(${ROLE_ACCOUNT}, '^[0-9]+$') AND ${ROLE_ACCOUNT} = ${CALLER_ACCOUNT}, false)`;
/** roleNames: roleArn's last "/" segment, lower-cased (a superset of roleNameOfArn, which also requires a role ARN). */
const ROLE_NAME_OF_ARN = `lower(reverse(split_part(reverse(${ROLE_ARN}), '/', 1)))`;

/** One query's conjunction. Throws RefusedLakeValueError / RefusedLakeQueryError. */
export function lakePredicate(query: EventQuery): string {
  if (!query.timeRange) {
    // Lake bills every byte scanned and partitions by eventTime only: without a range, the whole store.
    throw new RefusedLakeQueryError("refused to run a Lake query without a time range: it would scan (and bill) the whole event data store");
  }
  const { startMs, endMs } = query.timeRange;
  const parts = [`eventTime >= ${lakeTimestampLiteral(startMs)}`, `eventTime <= ${lakeTimestampLiteral(endMs)}`];
  if (query.eventIds) parts.push(inList("eventID", "event ID", query.eventIds));
  if (query.eventNames) parts.push(inList("eventName", "event name", query.eventNames));
  if (query.accountIds) parts.push(inList("recipientAccountId", "account ID", query.accountIds));
  if (query.sharedEventIds) parts.push(inList("sharedEventID", "event ID", query.sharedEventIds));
  if (query.issuedAccessKeyIds) parts.push(inList(ISSUED_ACCESS_KEY, "access key ID", query.issuedAccessKeyIds));
  if (query.issuedSessionArns) parts.push(issuedSessionPredicate(query.issuedSessionArns));
  if (query.callerArns) parts.push(inList("userIdentity.arn", "ARN", query.callerArns));
  if (query.crossAccountOnly) parts.push(NOT_SAME_ACCOUNT);
  if (query.roleNames) parts.push(roleNamesPredicate(query.roleNames));
  return parts.join(" AND ");
}

/**
 * issuedSessionArn's three ways (issuing-events.ts): assumedRoleUser.arn, federatedUser.arn, or
 * (service-assumed events without assumedRoleUser) roleArn + roleSessionName. The last is matched
 * loosely by session name; the source's re-match checks the role.
 */
function issuedSessionPredicate(arns: readonly string[]): string {
  const alternatives = [inList(ASSUMED_ROLE_USER_ARN, "ARN", arns), inList(FEDERATED_USER_ARN, "ARN", arns)];
  const sessionNames = [...new Set(arns.map((arn) => parseAssumedRoleArn(arn)?.sessionName).filter((s): s is string => s !== undefined))]
    // A name STS would not accept cannot have come from a roleSessionName parameter; the ARN itself was already validated.
    .filter((name) => isValidLakeValue("session name", name));
  if (sessionNames.length > 0) alternatives.push(inList(REQUESTED_SESSION_NAME, "session name", sessionNames));
  return `(${alternatives.join(" OR ")})`;
}

/**
 * Names are checked as given (a name that IAM would refuse is refused, not lower-cased into shape
 * first), then compared lower-cased, as IAM compares role names.
 */
function roleNamesPredicate(names: readonly string[]): string {
  const bad = names.find((name) => !isValidLakeValue("role name", name));
  if (bad !== undefined) throw new RefusedLakeValueError(bad, "role name");
  return inList(ROLE_NAME_OF_ARN, "role name", names.map((name) => name.toLowerCase()));
}

function inList(expression: string, kind: LakeValueKind, values: readonly string[]): string {
  // An empty list matches nothing (matchesEventQuery); `IN ()` is not SQL.
  if (values.length === 0) return "FALSE";
  const literals = [...new Set(values)].map((v) => lakeStringLiteral(kind, v));
  return literals.length === 1 ? `${expression} = ${literals[0]}` : `${expression} IN (${literals.join(", ")})`;
}
