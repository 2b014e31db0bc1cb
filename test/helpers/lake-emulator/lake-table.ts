/**
 * CloudTrail records → rows in CloudTrail Lake's shape (facts §8, AWS "CloudTrail Lake SQL"):
 * eventTime and sessionContext.attributes.creationDate TIMESTAMP, readOnly/managementEvent BOOLEAN,
 * requestParameters/responseElements/additionalEventData/serviceEventDetails MAP(VARCHAR, VARCHAR),
 * userIdentity and resources as structs. Deliberately independent of src/: the emulator must not
 * share a mistake with the source it checks.
 *
 * [UNVERIFIED] map values: Lake's maps hold strings; a nested object (responseElements.credentials)
 * is stored here as its JSON text, a number or boolean as its JSON text ("3600"), a string as is.
 * src/sources/lake/lake-columns.ts documents the same assumption and the query that would check it.
 */

const VARCHAR = "VARCHAR";
const MAP = "MAP(VARCHAR, VARCHAR)";
const ISSUER = `STRUCT(type ${VARCHAR}, principalId ${VARCHAR}, arn ${VARCHAR}, accountId ${VARCHAR}, userName ${VARCHAR})`;
const SESSION_CONTEXT = `STRUCT(attributes STRUCT(creationDate TIMESTAMP, mfaAuthenticated ${VARCHAR}), sessionIssuer ${ISSUER}, `
  + `webIdFederationData STRUCT(federatedProvider ${VARCHAR}, attributes ${MAP}), sourceIdentity ${VARCHAR}, `
  + `ec2RoleDelivery ${VARCHAR}, ec2IssuedInVpc ${VARCHAR})`;
const USER_IDENTITY = `STRUCT(type ${VARCHAR}, principalId ${VARCHAR}, arn ${VARCHAR}, accountId ${VARCHAR}, accessKeyId ${VARCHAR}, `
  + `userName ${VARCHAR}, sessionContext ${SESSION_CONTEXT}, invokedBy ${VARCHAR}, identityProvider ${VARCHAR}, credentialId ${VARCHAR}, `
  + `onBehalfOf STRUCT(userId ${VARCHAR}, identityStoreArn ${VARCHAR}))`;

/** Column name → DuckDB type, in Lake's column order. */
export const LAKE_TABLE_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["eventVersion", VARCHAR],
  ["userIdentity", USER_IDENTITY],
  ["eventTime", "TIMESTAMP"],
  ["eventSource", VARCHAR],
  ["eventName", VARCHAR],
  ["awsRegion", VARCHAR],
  ["sourceIPAddress", VARCHAR],
  ["userAgent", VARCHAR],
  ["errorCode", VARCHAR],
  ["errorMessage", VARCHAR],
  ["requestParameters", MAP],
  ["responseElements", MAP],
  ["additionalEventData", MAP],
  ["requestID", VARCHAR],
  ["eventID", VARCHAR],
  ["readOnly", "BOOLEAN"],
  ["resources", `STRUCT(accountId ${VARCHAR}, type ${VARCHAR}, arn ${VARCHAR}, arnPrefix ${VARCHAR})[]`],
  ["eventType", VARCHAR],
  ["apiVersion", VARCHAR],
  ["managementEvent", "BOOLEAN"],
  ["recipientAccountId", VARCHAR],
  ["sharedEventID", VARCHAR],
  ["vpcEndpointId", VARCHAR],
  ["serviceEventDetails", MAP],
  ["eventCategory", VARCHAR],
  ["sessionCredentialFromConsole", VARCHAR],
  ["eventJson", VARCHAR],
];

type Json = Record<string, unknown>;

export interface LakeRow {
  row: Json;
  /** eventTime in ms, null when the record has none; for the emulator's BytesScanned. */
  eventTimeMs: number | null;
  /** Size of the record's JSON, the emulator's stand-in for the bytes Lake stores for it. */
  bytes: number;
}

export function lakeRowOf(record: unknown): LakeRow | null {
  if (!isObject(record)) return null;
  const eventTime = timestampText(record.eventTime);
  const json = JSON.stringify(record);
  const identity = isObject(record.userIdentity) ? record.userIdentity : null;
  const row: Json = {
    eventVersion: text(record.eventVersion),
    userIdentity: identity && userIdentityOf(identity),
    eventTime,
    eventSource: text(record.eventSource),
    eventName: text(record.eventName),
    awsRegion: text(record.awsRegion),
    sourceIPAddress: text(record.sourceIPAddress),
    userAgent: text(record.userAgent),
    errorCode: text(record.errorCode),
    errorMessage: text(record.errorMessage),
    requestParameters: mapOf(record.requestParameters),
    responseElements: mapOf(record.responseElements),
    additionalEventData: mapOf(record.additionalEventData),
    requestID: text(record.requestID),
    eventID: text(record.eventID),
    readOnly: bool(record.readOnly),
    resources: Array.isArray(record.resources) ? record.resources.filter(isObject).map((r) => ({
      accountId: text(r.accountId), type: text(r.type), arn: text(r.ARN ?? r.arn), arnPrefix: text(r.ARNPrefix ?? r.arnPrefix),
    })) : null,
    eventType: text(record.eventType),
    apiVersion: text(record.apiVersion),
    managementEvent: bool(record.managementEvent),
    recipientAccountId: text(record.recipientAccountId),
    sharedEventID: text(record.sharedEventID),
    vpcEndpointId: text(record.vpcEndpointId),
    serviceEventDetails: mapOf(record.serviceEventDetails),
    eventCategory: text(record.eventCategory),
    sessionCredentialFromConsole: text(record.sessionCredentialFromConsole),
    eventJson: json,
  };
  return { row, eventTimeMs: eventTime === null ? null : Date.parse(`${eventTime.replace(" ", "T")}Z`), bytes: Buffer.byteLength(json) };
}

function userIdentityOf(identity: Json): Json {
  const context = isObject(identity.sessionContext) ? identity.sessionContext : {};
  const attributes = isObject(context.attributes) ? context.attributes : {};
  const issuer = isObject(context.sessionIssuer) ? context.sessionIssuer : null;
  const webId = isObject(context.webIdFederationData) ? context.webIdFederationData : null;
  const onBehalfOf = isObject(identity.onBehalfOf) ? identity.onBehalfOf : null;
  return {
    type: text(identity.type),
    principalId: text(identity.principalId),
    arn: text(identity.arn),
    accountId: text(identity.accountId),
    accessKeyId: text(identity.accessKeyId),
    userName: text(identity.userName),
    sessionContext: {
      attributes: { creationDate: timestampText(attributes.creationDate), mfaAuthenticated: text(attributes.mfaAuthenticated) },
      sessionIssuer: issuer && {
        type: text(issuer.type), principalId: text(issuer.principalId), arn: text(issuer.arn), accountId: text(issuer.accountId), userName: text(issuer.userName),
      },
      webIdFederationData: webId && { federatedProvider: text(webId.federatedProvider), attributes: mapOf(webId.attributes) },
      sourceIdentity: text(context.sourceIdentity),
      ec2RoleDelivery: text(context.ec2RoleDelivery),
      ec2IssuedInVpc: text(context.ec2IssuedInVpc),
    },
    invokedBy: text(identity.invokedBy),
    identityProvider: text(identity.identityProvider),
    credentialId: text(identity.credentialId),
    onBehalfOf: onBehalfOf && { userId: text(onBehalfOf.userId), identityStoreArn: text(onBehalfOf.identityStoreArn) },
  };
}

/** Top-level keys of an object → strings: strings as is, anything else as its JSON text ([UNVERIFIED], see above). */
function mapOf(value: unknown): Record<string, string> | null {
  if (!isObject(value)) return null;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    Object.defineProperty(out, key, { value: typeof v === "string" ? v : JSON.stringify(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const EXTENDED = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** CloudTrail's ISO text (extended, or basic for creationDate) → "YYYY-MM-DD HH:MM:SS[.fff]" for a TIMESTAMP column. */
function timestampText(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const extended = EXTENDED.exec(value);
  if (extended) return `${extended[1]} ${extended[2]}${extended[3] ?? ""}`;
  const basic = BASIC.exec(value);
  if (basic) return `${basic[1]}-${basic[2]}-${basic[3]} ${basic[4]}:${basic[5]}:${basic[6]}`;
  return null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function bool(value: unknown): boolean | null {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return null;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
