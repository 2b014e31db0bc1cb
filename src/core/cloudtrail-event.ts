import {
  isJsonObject, objectField, objectOrJsonString, ownField, stringAt, stringField, type JsonObject,
} from "./json-value.js";
import { parseCloudTrailTime } from "./cloudtrail-time.js";
import { KEPT_MEMBERS, keepMembers } from "./kept-members.js";

/** The parts of `userIdentity` that attribution depends on. Field names are CloudTrail's own. */
export interface UserIdentity {
  /** CloudTrail's userIdentity.type; null for service events that carry none (e.g. KMS RotateKey). */
  type: string | null;
  principalId: string | null;
  arn: string | null;
  accountId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  invokedBy: string | null;
  identityProvider: string | null;
  /** sessionContext.attributes.creationDate, verbatim; see creationTimeMs for the parsed instant. */
  creationDate: string | null;
  creationTimeMs: number | null;
  /** sessionContext.attributes.mfaAuthenticated is the *string* "true"/"false" in CloudTrail. */
  mfaAuthenticated: boolean | null;
  sourceIdentity: string | null;
  sessionIssuer: SessionIssuer | null;
  webIdFederatedProvider: string | null;
  onBehalfOfUserId: string | null;
  identityStoreArn: string | null;
}

export interface SessionIssuer {
  type: string | null;
  principalId: string | null;
  arn: string | null;
  accountId: string | null;
  userName: string | null;
}

/** Where a record was read from; sources fill in what they know (a file, an S3 key, a query). */
export interface RecordLocation {
  /** File path, S3 URI, or "lookup-events:us-east-1" — for reports, never parsed. */
  origin: string;
  /** The account / region the storage layout says the record belongs to, when it says so. */
  accountId: string | null;
  region: string | null;
}

/**
 * A CloudTrail record reduced to what tracing and detection read. requestParameters,
 * responseElements and additionalEventData hold only the members listed in KEPT_MEMBERS.
 */
export interface CloudTrailEvent {
  eventID: string;
  eventName: string;
  eventSource: string | null;
  eventTime: string | null;
  eventTimeMs: number | null;
  eventType: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  sharedEventID: string | null;
  requestID: string | null;
  errorCode: string | null;
  userIdentity: UserIdentity | null;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  additionalEventData: JsonObject | null;
  sessionCredentialFromConsole: boolean;
  location: RecordLocation | null;
}

export type NormalizeResult =
  | { ok: true; event: CloudTrailEvent }
  | { ok: false; reason: string };

/**
 * Turns one untrusted JSON value into a CloudTrailEvent, or says why it is not one.
 * Only eventID and eventName are required: without an eventID a record cannot be deduplicated or
 * cited, and without an eventName nothing can be said about it. Everything else may be absent
 * (Logstash exports drop eventTime, service events drop userIdentity.type).
 */
export function normalizeRecord(raw: unknown, location: RecordLocation | null = null): NormalizeResult {
  if (!isJsonObject(raw)) return { ok: false, reason: "record is not a JSON object" };
  const eventID = stringField(raw, "eventID");
  if (!eventID) return { ok: false, reason: "record has no eventID" };
  const eventName = stringField(raw, "eventName");
  if (!eventName) return { ok: false, reason: `record ${eventID} has no eventName` };
  const eventTime = stringField(raw, "eventTime");
  return {
    ok: true,
    event: {
      eventID,
      eventName,
      eventSource: stringField(raw, "eventSource"),
      eventTime,
      eventTimeMs: parseCloudTrailTime(eventTime),
      eventType: stringField(raw, "eventType"),
      awsRegion: stringField(raw, "awsRegion"),
      recipientAccountId: stringField(raw, "recipientAccountId"),
      sourceIPAddress: stringField(raw, "sourceIPAddress"),
      userAgent: stringField(raw, "userAgent"),
      sharedEventID: stringField(raw, "sharedEventID"),
      requestID: stringField(raw, "requestID"),
      errorCode: stringField(raw, "errorCode"),
      userIdentity: normalizeUserIdentity(ownField(raw, "userIdentity")),
      requestParameters: keepMembers(objectOrJsonString(ownField(raw, "requestParameters")), KEPT_MEMBERS.requestParameters),
      responseElements: keepMembers(objectOrJsonString(ownField(raw, "responseElements")), KEPT_MEMBERS.responseElements),
      additionalEventData: keepMembers(objectOrJsonString(ownField(raw, "additionalEventData")), KEPT_MEMBERS.additionalEventData),
      sessionCredentialFromConsole: isTrue(ownField(raw, "sessionCredentialFromConsole")),
      location,
    },
  };
}

function normalizeUserIdentity(value: unknown): UserIdentity | null {
  if (!isJsonObject(value)) return null;
  const sessionContext = objectField(value, "sessionContext");
  const attributes = objectField(sessionContext, "attributes");
  const issuer = objectField(sessionContext, "sessionIssuer");
  const creationDate = stringField(attributes, "creationDate");
  const mfa = ownField(attributes, "mfaAuthenticated");
  return {
    type: stringField(value, "type"),
    principalId: stringField(value, "principalId"),
    arn: stringField(value, "arn"),
    accountId: stringField(value, "accountId"),
    accessKeyId: stringField(value, "accessKeyId"),
    userName: stringField(value, "userName"),
    invokedBy: stringField(value, "invokedBy"),
    identityProvider: stringField(value, "identityProvider"),
    creationDate,
    creationTimeMs: parseCloudTrailTime(creationDate),
    mfaAuthenticated: mfa === undefined || mfa === null || mfa === "" ? null : isTrue(mfa),
    sourceIdentity: stringField(sessionContext, "sourceIdentity"),
    sessionIssuer: issuer && Object.keys(issuer).length > 0 ? {
      type: stringField(issuer, "type"),
      principalId: stringField(issuer, "principalId"),
      arn: stringField(issuer, "arn"),
      accountId: stringField(issuer, "accountId"),
      userName: stringField(issuer, "userName"),
    } : null,
    webIdFederatedProvider: stringAt(sessionContext, "webIdFederationData", "federatedProvider"),
    onBehalfOfUserId: stringAt(value, "onBehalfOf", "userId"),
    identityStoreArn: stringAt(value, "onBehalfOf", "identityStoreArn"),
  };
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** The account a record belongs to: CloudTrail's recipientAccountId, else what its storage location says. */
export function recordAccountId(event: CloudTrailEvent): string | null {
  return event.recipientAccountId ?? event.location?.accountId ?? null;
}
