/**
 * SQL literals for CloudTrail Lake. Lake has no parameter binding for ad-hoc queries (facts §8:
 * QueryParameters only serve dashboard queries), so every value is checked against the strict
 * shape of its kind before it is quoted. Values come from logs an attacker may have written (a
 * session name is whatever the caller asked for), so nothing is escaped and hoped for: a value
 * that does not look like its kind is refused, and the query with it is never sent.
 */

export type LakeValueKind = "event ID" | "ARN" | "account ID" | "access key ID" | "event name" | "session name" | "role name";

/**
 * CloudTrail eventIDs and sharedEventIDs are RFC 4122 UUIDs in every record seen (facts, corpus).
 * Case-insensitive, though CloudTrail writes lower case.
 */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * IAM and STS ARNs only (the tracer searches for sessions, users, roles, root). The resource part
 * allows what IAM names and paths, role session names and federated user names may hold
 * ([\w+=,.@-] and "/" for paths), nothing else: no quote, space, backslash or control character.
 */
const IAM_ARN = /^arn:aws(?:-[a-z]+)*:(?:iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/:-]{1,1600}$/;
const ACCOUNT_ID = /^\d{12}$/;
/** AKIA long-term and ASIA temporary keys; IAM documents 16–128 characters. */
const ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{12,124}$/;
/** API operation names: letters and digits ("AssumeRoleWithSAML", "GetObject"). */
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
/** A role session name as STS accepts it: 2–64 of [\w+=,.@-]. */
const SESSION_NAME = /^[A-Za-z0-9_+=,.@-]{2,64}$/;
/** An IAM role name as IAM accepts it: 1–64 of [\w+=,.@-]. */
const ROLE_NAME = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

const PATTERNS: Record<LakeValueKind, RegExp> = {
  "event ID": EVENT_ID,
  ARN: IAM_ARN,
  "account ID": ACCOUNT_ID,
  "access key ID": ACCESS_KEY_ID,
  "event name": EVENT_NAME,
  "session name": SESSION_NAME,
  "role name": ROLE_NAME,
};

export class RefusedLakeValueError extends Error {
  override readonly name = "RefusedLakeValueError";
  constructor(readonly value: string, readonly kind: LakeValueKind) {
    super(`refused to put ${shown(value)} into Lake SQL: not a valid ${kind}`);
  }
}

export function isValidLakeValue(kind: LakeValueKind, value: string): boolean {
  return PATTERNS[kind].test(value);
}

/** 'value', after checking it is a valid `kind`; throws RefusedLakeValueError otherwise. */
export function lakeStringLiteral(kind: LakeValueKind, value: string): string {
  if (!isValidLakeValue(kind, value)) throw new RefusedLakeValueError(value, kind);
  // The patterns admit no quote; the check is repeated here so a loosened pattern cannot open a hole.
  if (value.includes("'")) throw new RefusedLakeValueError(value, kind);
  return `'${value}'`;
}

/** timestamp 'YYYY-MM-DD HH:MM:SS.mmm' (UTC, as eventTime is stored), from epoch ms we computed ourselves. */
export function lakeTimestampLiteral(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(ms) || year < 1970 || year > 9999) throw new RangeError(`not a time Lake SQL can hold: ${ms}`);
  return `timestamp '${date.toISOString().replace("T", " ").replace("Z", "")}'`;
}

/** The value as a problem line shows it: JSON-quoted (control characters visible), and short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value);
}
