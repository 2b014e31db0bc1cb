import { recordAccountId, type CloudTrailEvent } from "./cloudtrail-event.js";
import { arnAccountId, issuedAccessKeyId, issuedSessionArn, parseRoleArn } from "./issuing-events.js";
import { stringField } from "./json-value.js";

/**
 * A declarative question to a source: the conjunction of every field given; a list matches any
 * of its values. Every source (local files, S3, LookupEvents, Athena, Lake) answers exactly this,
 * so the tracer can stay ignorant of storage. `matchesEventQuery` is the reference semantics.
 */
export interface EventQuery {
  eventIds?: readonly string[];
  eventNames?: readonly string[];
  /** The account the record was delivered to (recipientAccountId). */
  accountIds?: readonly string[];
  /** Inclusive range of eventTime, in ms. A record without a parseable eventTime never matches a range. */
  timeRange?: TimeRange;
  sharedEventIds?: readonly string[];
  /** responseElements.credentials.accessKeyId of an issuing event. */
  issuedAccessKeyIds?: readonly string[];
  /** The session ARN an issuing event created (assumedRoleUser.arn or federatedUser.arn). */
  issuedSessionArns?: readonly string[];
  /** userIdentity.arn of the caller. */
  callerArns?: readonly string[];
  /**
   * Drop role assumptions made inside one account: records whose requestParameters.roleArn and
   * caller (userIdentity.accountId, else the caller ARN's account) name the same account. Records
   * where either is unknown are kept. Lets a SQL engine leave the bulk of AssumeRole traffic where it is.
   */
  crossAccountOnly?: boolean;
  /**
   * requestParameters.roleArn names one of these roles: its last path segment, compared without
   * case, as IAM compares role names.
   */
  roleNames?: readonly string[];
}

export interface TimeRange { startMs: number; endMs: number }

export function matchesEventQuery(event: CloudTrailEvent, query: EventQuery): boolean {
  if (query.eventIds && !query.eventIds.includes(event.eventID)) return false;
  if (query.eventNames && !query.eventNames.includes(event.eventName)) return false;
  if (query.accountIds && !includesValue(query.accountIds, recordAccountId(event))) return false;
  if (query.timeRange) {
    const t = event.eventTimeMs;
    if (t === null || t < query.timeRange.startMs || t > query.timeRange.endMs) return false;
  }
  if (query.sharedEventIds && !includesValue(query.sharedEventIds, event.sharedEventID)) return false;
  if (query.issuedAccessKeyIds && !includesValue(query.issuedAccessKeyIds, issuedAccessKeyId(event))) return false;
  if (query.issuedSessionArns && !includesValue(query.issuedSessionArns, issuedSessionArn(event))) return false;
  if (query.callerArns && !includesValue(query.callerArns, event.userIdentity?.arn ?? null)) return false;
  if (query.crossAccountOnly && isSameAccountRoleAssumption(event)) return false;
  if (query.roleNames && !namesRole(query.roleNames, stringField(event.requestParameters, "roleArn"))) return false;
  return true;
}

function isSameAccountRoleAssumption(event: CloudTrailEvent): boolean {
  const roleAccountId = arnAccountId(stringField(event.requestParameters, "roleArn"));
  const callerAccountId = event.userIdentity?.accountId ?? arnAccountId(event.userIdentity?.arn ?? null);
  return roleAccountId !== null && callerAccountId !== null && roleAccountId === callerAccountId;
}

/** The role name of an ARN such as arn:aws:iam::1:role/path/Name, lower-cased; null when it names no role. */
export function roleNameOfArn(arn: string | null): string | null {
  return parseRoleArn(arn)?.roleName.toLowerCase() ?? null;
}

function namesRole(roleNames: readonly string[], roleArn: string | null): boolean {
  const name = roleNameOfArn(roleArn);
  return name !== null && roleNames.some((n) => n.toLowerCase() === name);
}

function includesValue(values: readonly string[], value: string | null): boolean {
  return value !== null && values.includes(value);
}

/**
 * Literal strings that must occur in the text of any record the query matches. A source may skip
 * parsing a file whose text contains none of them. Only text that no JSON writer escapes
 * qualifies: UUID event ids, key ids, and session names made of [A-Za-z0-9_.@-] (IAM also allows
 * "+=," in them, and .NET's default encoder writes "+" as \u002B). A whole ARN never qualifies: it
 * may legally be written with "\/", so an ARN field gives the part after its last "/", the session
 * name of an assumed-role or federated-user ARN.
 */
export function queryNeedles(query: EventQuery): readonly string[] | null {
  const exact = query.eventIds ?? query.sharedEventIds ?? query.issuedAccessKeyIds ?? null;
  if (exact) return exact.every((value) => /^[A-Za-z0-9-]+$/.test(value)) ? exact : null;
  const arns = query.issuedSessionArns ?? query.callerArns ?? null;
  if (!arns) return null;
  const sessionNames = arns.map((arn) => arn.slice(arn.lastIndexOf("/") + 1));
  // Never an empty string (every text holds it) or a name a writer might escape.
  return sessionNames.every((name) => /^[\w.@-]+$/.test(name)) ? [...new Set(sessionNames)] : null;
}
