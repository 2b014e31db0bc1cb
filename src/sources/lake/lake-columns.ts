/**
 * The columns a Lake query selects, and where each lands in the CloudTrail record rebuilt from a
 * result row (see lake-row-record.ts). Only what normalizeRecord reads is selected: Lake bills by
 * bytes scanned, and GetQueryResults hands back every value as a string, so struct columns are
 * read leaf by leaf (a whole struct would come back in Trino's unparseable `{a=b, …}` text).
 *
 * Lake's schema (facts §8, AWS "CloudTrail Lake SQL" 2023): eventTime and
 * userIdentity.sessionContext.attributes.creationDate are timestamps; requestParameters,
 * responseElements and additionalEventData are map<string,string>. The `eventJson` column is
 * undocumented and deliberately not used.
 *
 * [UNVERIFIED] how Lake writes a nested object (responseElements.assumedRoleUser, .credentials)
 * into its map's string value. Assumed here, and in the test emulator: the JSON text of the object
 * ('{"assumedRoleId":"AROA…:s","arn":"arn:aws:sts::…"}'); scalars as their text ("3600", "true").
 * Check on a real store with:
 *   SELECT element_at(responseElements, 'assumedRoleUser'), element_at(responseElements, 'credentials')
 *   FROM <eds-id> WHERE eventName = 'AssumeRole' AND eventTime > timestamp '…' LIMIT 5
 * If it is not JSON, json_extract_scalar finds nothing and traces end in issuer-not-found gaps.
 */

export type LakeColumnKind = "text" | "timestamp" | "map";

export interface LakeColumn {
  /** Trino expression over Lake's columns. */
  expression: string;
  /** Result column name: lower case, as Trino reports names. */
  alias: string;
  /** Where the value goes in the rebuilt record. */
  path: readonly string[];
  kind: LakeColumnKind;
}

function text(expression: string, path: readonly string[]): LakeColumn {
  return { expression, alias: aliasOf(path), path, kind: "text" };
}

function aliasOf(path: readonly string[]): string {
  return path.join("_").toLowerCase();
}

const identity = (...path: string[]): LakeColumn => text(`userIdentity.${path.join(".")}`, ["userIdentity", ...path]);

/** A map column read whole, as JSON object text (Trino: json_format(CAST(map AS JSON))). */
function map(name: string): LakeColumn {
  return { expression: `json_format(CAST(${name} AS JSON))`, alias: name.toLowerCase(), path: [name], kind: "map" };
}

export const LAKE_COLUMNS: readonly LakeColumn[] = [
  text("eventID", ["eventID"]),
  text("eventName", ["eventName"]),
  text("eventSource", ["eventSource"]),
  { expression: "eventTime", alias: "eventtime", path: ["eventTime"], kind: "timestamp" },
  text("eventType", ["eventType"]),
  text("awsRegion", ["awsRegion"]),
  text("recipientAccountId", ["recipientAccountId"]),
  text("sourceIPAddress", ["sourceIPAddress"]),
  text("userAgent", ["userAgent"]),
  text("sharedEventID", ["sharedEventID"]),
  text("requestID", ["requestID"]),
  text("errorCode", ["errorCode"]),
  text("sessionCredentialFromConsole", ["sessionCredentialFromConsole"]),
  identity("type"),
  identity("principalId"),
  identity("arn"),
  identity("accountId"),
  identity("accessKeyId"),
  identity("userName"),
  identity("invokedBy"),
  identity("identityProvider"),
  { ...identity("sessionContext", "attributes", "creationDate"), kind: "timestamp" },
  identity("sessionContext", "attributes", "mfaAuthenticated"),
  identity("sessionContext", "sourceIdentity"),
  identity("sessionContext", "sessionIssuer", "type"),
  identity("sessionContext", "sessionIssuer", "principalId"),
  identity("sessionContext", "sessionIssuer", "arn"),
  identity("sessionContext", "sessionIssuer", "accountId"),
  identity("sessionContext", "sessionIssuer", "userName"),
  identity("sessionContext", "webIdFederationData", "federatedProvider"),
  identity("onBehalfOf", "userId"),
  identity("onBehalfOf", "identityStoreArn"),
  map("requestParameters"),
  map("responseElements"),
  map("additionalEventData"),
];

export function selectList(): string {
  return LAKE_COLUMNS.map((c) => (c.expression.toLowerCase() === c.alias ? c.expression : `${c.expression} AS ${c.alias}`)).join(", ");
}
