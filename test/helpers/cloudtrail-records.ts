/**
 * Builders of realistic raw CloudTrail records for tracer unit tests. Shapes follow
 * /work/shared/docs/cloudtrail-facts.md (§1.4 owner/caller copies, §2 STS and sign-in events) and
 * real public logs: full userIdentity with sessionContext.attributes {creationDate, mfaAuthenticated
 * as the *string* "true"/"false"}, responseElements.credentials.expiration in the human
 * "Nov 16, 2026, 9:46:15 PM" format, upper-case `ARN` in resources, sharedEventID only on
 * cross-account copies.
 *
 * Deliberately independent of src/: ARNs and ids are computed here, so a test cannot pass merely
 * because the helper and the code under test share a mistake.
 */
import { createHash } from "node:crypto";

export type RawRecord = Record<string, unknown>;
export type RawIdentity = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Deterministic ids: readable labels in tests, real-looking values in records.

function digest(label: string): string {
  return createHash("sha256").update(label).digest("hex");
}

/** A UUID-shaped id (eventID, requestID, sharedEventID) derived from a readable label. */
export function uuid(label: string): string {
  const h = digest(`uuid:${label}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function keySuffix(label: string): string {
  const h = digest(`key:${label}`);
  let out = "";
  for (let i = 0; i < 16; i++) out += KEY_ALPHABET[parseInt(h.slice(i * 2, i * 2 + 2), 16) % 32];
  return out;
}

/** A temporary STS access key id (ASIA…). The same label always gives the same key (for reuse tests). */
export function tempKey(label: string): string {
  return `ASIA${keySuffix(label)}`;
}

/** A long-term IAM user access key id (AKIA…). */
export function longTermKey(label: string): string {
  return `AKIA${keySuffix(label)}`;
}

/** An IAM unique id with the given prefix (AIDA user, AROA role). */
export function uniqueId(prefix: "AIDA" | "AROA", label: string): string {
  return `${prefix}${keySuffix(`${prefix}:${label}`)}`.slice(0, 21);
}

function sessionToken(label: string): string {
  return `IQoJb3JpZ2luX2VjEAMaCXVzLWVhc3QtMSJHMEUCIQ${Buffer.from(digest(`token:${label}`), "hex").toString("base64")}`;
}

// ---------------------------------------------------------------------------------------------
// Time formats.

/** "2026-11-16T10:15:00Z" → "20261116T101500Z" (the ISO basic form the docs show for creationDate). */
export function isoBasic(extended: string): string {
  return extended.replace(/[-:]/g, "");
}

/** ISO-extended eventTime plus seconds, back as CloudTrail writes eventTime (no milliseconds). */
export function addSeconds(eventTime: string, seconds: number): string {
  return new Date(Date.parse(eventTime) + seconds * 1000).toISOString().replace(".000Z", "Z");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** credentials.expiration as 2023+ logs write it: "Jul 30, 2024, 9:46:15 PM" (UTC, 12-hour clock). */
export function humanExpiration(eventTime: string, durationSeconds: number): string {
  const d = new Date(Date.parse(eventTime) + durationSeconds * 1000);
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const ss = String(d.getUTCSeconds()).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${h24 < 12 ? "AM" : "PM"}`;
}

// ---------------------------------------------------------------------------------------------
// ARNs, computed here on purpose (not with src/core/issuing-events.ts).

export function accountOfArn(arn: string): string {
  const account = arn.split(":")[4];
  if (!account) throw new Error(`no account in ${arn}`);
  return account;
}

/** arn:aws:iam::111122223333:role/some/path/Name → "Name" */
export function roleNameOf(roleArn: string): string {
  const name = roleArn.split("/").pop();
  if (!name) throw new Error(`no role name in ${roleArn}`);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Sessions: what one issuing call hands out, and how later calls made with it identify themselves.

export interface RoleSession {
  /** The role ARN as requested, with its IAM path if any. */
  roleArn: string;
  sessionName: string;
  /** credentials.accessKeyId handed out by the issuing call. */
  accessKeyId: string;
  /** eventTime of the issuing call = sessionContext.attributes.creationDate, ISO extended. */
  issuedAt: string;
  /** AROA… unique id of the role; derived from the role name when omitted. */
  roleId?: string;
  mfaAuthenticated?: boolean;
  sourceIdentity?: string;
}

/** arn:aws:sts::<acct>:assumed-role/<roleName>/<session> — the role's path is NOT part of it. */
export function sessionArnOf(s: RoleSession): string {
  return `arn:aws:sts::${accountOfArn(s.roleArn)}:assumed-role/${roleNameOf(s.roleArn)}/${s.sessionName}`;
}

export function roleIdOf(s: RoleSession): string {
  return s.roleId ?? uniqueId("AROA", s.roleArn);
}

export interface SessionIdentityOptions {
  /** The key that signed this particular request (console sessions use a fresh one per request). */
  accessKeyId?: string | null;
  creationDateFormat?: "extended" | "basic" | "omitted";
  invokedBy?: string;
  ec2RoleDelivery?: string;
}

/** userIdentity of a call made with an AssumeRole* session (type AssumedRole). */
export function roleSessionIdentity(s: RoleSession, opts: SessionIdentityOptions = {}): RawIdentity {
  const roleId = roleIdOf(s);
  const format = opts.creationDateFormat ?? "extended";
  const attributes: Record<string, unknown> = { mfaAuthenticated: String(s.mfaAuthenticated ?? false) };
  if (format !== "omitted") attributes.creationDate = format === "basic" ? isoBasic(s.issuedAt) : s.issuedAt;
  const sessionContext: Record<string, unknown> = {
    sessionIssuer: {
      type: "Role",
      principalId: roleId,
      arn: s.roleArn,
      accountId: accountOfArn(s.roleArn),
      userName: roleNameOf(s.roleArn),
    },
    webIdFederationData: {},
    attributes,
  };
  if (s.sourceIdentity) sessionContext.sourceIdentity = s.sourceIdentity;
  if (opts.ec2RoleDelivery) sessionContext.ec2RoleDelivery = opts.ec2RoleDelivery;
  const identity: RawIdentity = {
    type: "AssumedRole",
    principalId: `${roleId}:${s.sessionName}`,
    arn: sessionArnOf(s),
    accountId: accountOfArn(s.roleArn),
  };
  const key = opts.accessKeyId === undefined ? s.accessKeyId : opts.accessKeyId;
  if (key !== null) identity.accessKeyId = key;
  identity.sessionContext = sessionContext;
  if (opts.invokedBy) identity.invokedBy = opts.invokedBy;
  return identity;
}

export interface IamUserOptions {
  accountId: string;
  userName: string;
  accessKeyId: string;
  userId?: string;
  /** For GetSessionToken / console sessions of the user: ASIA key + sessionContext.attributes. */
  session?: { creationDate: string; mfaAuthenticated: boolean };
  invokedBy?: string;
}

export function iamUserIdentity(o: IamUserOptions): RawIdentity {
  const identity: RawIdentity = {
    type: "IAMUser",
    principalId: o.userId ?? uniqueId("AIDA", `${o.accountId}:${o.userName}`),
    arn: `arn:aws:iam::${o.accountId}:user/${o.userName}`,
    accountId: o.accountId,
    accessKeyId: o.accessKeyId,
    userName: o.userName,
  };
  if (o.session) {
    identity.sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: o.session.creationDate, mfaAuthenticated: String(o.session.mfaAuthenticated) },
    };
  }
  if (o.invokedBy) identity.invokedBy = o.invokedBy;
  return identity;
}

export function rootIdentity(o: { accountId: string; accessKeyId: string; mfaAuthenticated?: boolean; creationDate?: string }): RawIdentity {
  const identity: RawIdentity = {
    type: "Root",
    principalId: o.accountId,
    arn: `arn:aws:iam::${o.accountId}:root`,
    accountId: o.accountId,
    accessKeyId: o.accessKeyId,
  };
  if (o.creationDate) {
    identity.sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
      attributes: { creationDate: o.creationDate, mfaAuthenticated: String(o.mfaAuthenticated ?? false) },
    };
  }
  return identity;
}

/** The role owner's copy of a cross-account call: no arn, only the caller's unique id and account (§1.4). */
export function awsAccountIdentity(o: { principalId: string; accountId: string }): RawIdentity {
  return { type: "AWSAccount", principalId: o.principalId, accountId: o.accountId };
}

/** An AWS service assuming a role (EC2 instance profile, Lambda): no arn, no accountId (§2.8). */
export function awsServiceIdentity(invokedBy: string): RawIdentity {
  return { type: "AWSService", invokedBy };
}

export function samlUserIdentity(o: { nameQualifier: string; subject: string }): RawIdentity {
  return {
    type: "SAMLUser",
    principalId: `${o.nameQualifier}:${o.subject}`,
    userName: o.subject,
    identityProvider: o.nameQualifier,
  };
}

export function webIdentityUserIdentity(o: { providerArn: string; audience: string; subject: string }): RawIdentity {
  return {
    type: "WebIdentityUser",
    principalId: `${o.providerArn}:${o.audience}:${o.subject}`,
    userName: o.subject,
    identityProvider: o.providerArn,
  };
}

export interface FederatedSession {
  accountId: string;
  name: string;
  accessKeyId: string;
  issuedAt: string;
  /** The IAM user that called GetFederationToken. */
  issuer: { userName: string; userId?: string };
}

export function federatedUserArnOf(s: FederatedSession): string {
  return `arn:aws:sts::${s.accountId}:federated-user/${s.name}`;
}

/** userIdentity of a call made with GetFederationToken credentials (SRT-FED shape). */
export function federatedUserIdentity(s: FederatedSession, opts: { creationDateFormat?: "extended" | "omitted" } = {}): RawIdentity {
  const attributes: Record<string, unknown> = { mfaAuthenticated: "false" };
  if (opts.creationDateFormat !== "omitted") attributes.creationDate = s.issuedAt;
  return {
    type: "FederatedUser",
    principalId: `${s.accountId}:${s.name}`,
    arn: federatedUserArnOf(s),
    accountId: s.accountId,
    accessKeyId: s.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: "IAMUser",
        principalId: s.issuer.userId ?? uniqueId("AIDA", `${s.accountId}:${s.issuer.userName}`),
        arn: `arn:aws:iam::${s.accountId}:user/${s.issuer.userName}`,
        accountId: s.accountId,
        userName: s.issuer.userName,
      },
      webIdFederationData: {},
      attributes,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Events.

export interface ApiCallOptions {
  identity: RawIdentity | null;
  eventID: string;
  eventTime: string;
  recipientAccountId: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  readOnly?: boolean;
  sessionCredentialFromConsole?: boolean;
  errorCode?: string;
  errorMessage?: string;
}

/** Any management API call (the typical subject of a trace). */
export function apiCall(o: ApiCallOptions): RawRecord {
  const record: RawRecord = { eventVersion: "1.09" };
  if (o.identity !== null) record.userIdentity = o.identity;
  Object.assign(record, {
    eventTime: o.eventTime,
    eventSource: o.eventSource ?? "s3.amazonaws.com",
    eventName: o.eventName ?? "GetBucketPolicy",
    awsRegion: o.awsRegion ?? "us-east-1",
    sourceIPAddress: o.sourceIPAddress ?? "198.51.100.10",
    userAgent: o.userAgent ?? "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.9",
  });
  if (o.errorCode) {
    record.errorCode = o.errorCode;
    record.errorMessage = o.errorMessage ?? `${o.errorCode}: not authorized`;
  }
  Object.assign(record, {
    requestParameters: o.requestParameters === undefined ? { bucketName: "acme-payroll-exports" } : o.requestParameters,
    responseElements: o.responseElements === undefined ? null : o.responseElements,
    requestID: uuid(`request:${o.eventID}`),
    eventID: o.eventID,
    readOnly: o.readOnly ?? true,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: o.recipientAccountId,
    eventCategory: "Management",
  });
  if (o.sessionCredentialFromConsole) record.sessionCredentialFromConsole = "true";
  return record;
}

export interface SessionCallOptions extends Omit<ApiCallOptions, "identity" | "recipientAccountId">, SessionIdentityOptions {
  session: RoleSession;
  recipientAccountId?: string;
}

/** A call made with a role session's credentials, delivered to the role's account. */
export function apiCallBySession(o: SessionCallOptions): RawRecord {
  const { session, accessKeyId, creationDateFormat, invokedBy, ec2RoleDelivery, ...rest } = o;
  return apiCall({
    ...rest,
    identity: roleSessionIdentity(session, { accessKeyId, creationDateFormat, invokedBy, ec2RoleDelivery }),
    recipientAccountId: o.recipientAccountId ?? accountOfArn(session.roleArn),
  });
}

export interface AssumeRoleOptions {
  /** userIdentity of the caller as this copy shows it (the full identity, or AWSAccount/AWSService). */
  caller: RawIdentity;
  session: RoleSession;
  eventID: string;
  /** The account this copy was delivered to; the role's account by default. */
  recipientAccountId?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  sharedEventID?: string;
  requestID?: string;
  serialNumber?: string;
  durationSeconds?: number;
  /** Service-assumed events are seen with credentials only (§2.1). */
  omitAssumedRoleUser?: boolean;
  /** Makes this a failed call: errorCode set, responseElements null (§2.10). */
  errorCode?: string;
  additionalEventData?: Record<string, unknown>;
  /** Overrides the eventTime; by default session.issuedAt (creationDate == issuing eventTime, §4.3). */
  eventTime?: string;
}

function roleResources(roleArn: string): Array<Record<string, string>> {
  return [{ ARN: roleArn, accountId: accountOfArn(roleArn), type: "AWS::IAM::Role" }];
}

function stsCredentials(s: RoleSession | FederatedSession, eventTime: string, durationSeconds: number): Record<string, unknown> {
  return {
    accessKeyId: s.accessKeyId,
    sessionToken: sessionToken(`${s.accessKeyId}:${eventTime}`),
    expiration: humanExpiration(eventTime, durationSeconds),
  };
}

/** One copy of a successful (or, with errorCode, failed) sts:AssumeRole. */
export function assumeRoleEvent(o: AssumeRoleOptions): RawRecord {
  const s = o.session;
  const eventTime = o.eventTime ?? s.issuedAt;
  const requestParameters: Record<string, unknown> = { roleArn: s.roleArn, roleSessionName: s.sessionName };
  if (o.durationSeconds !== undefined) requestParameters.durationSeconds = o.durationSeconds;
  if (o.serialNumber) requestParameters.serialNumber = o.serialNumber;
  if (s.sourceIdentity) requestParameters.sourceIdentity = s.sourceIdentity;
  let responseElements: Record<string, unknown> | null = null;
  if (!o.errorCode) {
    responseElements = { credentials: stsCredentials(s, eventTime, o.durationSeconds ?? 3600) };
    if (!o.omitAssumedRoleUser) {
      responseElements.assumedRoleUser = { assumedRoleId: `${roleIdOf(s)}:${s.sessionName}`, arn: sessionArnOf(s) };
    }
    if (s.sourceIdentity) responseElements.sourceIdentity = s.sourceIdentity;
  }
  const record: RawRecord = {
    eventVersion: "1.08",
    userIdentity: o.caller,
    eventTime,
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    awsRegion: o.awsRegion ?? "us-east-1",
    sourceIPAddress: o.sourceIPAddress ?? "198.51.100.10",
    userAgent: o.userAgent ?? "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.9",
  };
  if (o.errorCode) {
    record.errorCode = o.errorCode;
    record.errorMessage = `User: ${String(o.caller.arn ?? o.caller.principalId)} is not authorized to perform: sts:AssumeRole on resource: ${s.roleArn}`;
  }
  Object.assign(record, {
    requestParameters,
    responseElements,
  });
  if (o.additionalEventData) record.additionalEventData = o.additionalEventData;
  Object.assign(record, {
    requestID: o.requestID ?? uuid(`request:${o.eventID}`),
    eventID: o.eventID,
    readOnly: true,
    resources: roleResources(s.roleArn),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: o.recipientAccountId ?? accountOfArn(s.roleArn),
  });
  if (o.sharedEventID) record.sharedEventID = o.sharedEventID;
  record.eventCategory = "Management";
  return record;
}

export interface CrossAccountAssumeRoleOptions {
  /** The caller's full userIdentity, as the caller account's copy shows it. */
  caller: RawIdentity;
  session: RoleSession;
  ownerEventID: string;
  callerEventID: string;
  sharedEventID: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  /** The owner copy's sourceIPAddress; the same as the caller copy's unless given ("AWS Internal" for console switches). */
  ownerSourceIPAddress?: string;
  userAgent?: string;
  serialNumber?: string;
  durationSeconds?: number;
}

/**
 * Both copies of one cross-account AssumeRole (§1.4): the owner copy with an AWSAccount identity
 * (principalId + caller account, no arn), the caller copy with the full identity; same
 * sharedEventID, requestID, eventTime, awsRegion, requestParameters, responseElements; different
 * eventID and recipientAccountId.
 */
export function crossAccountAssumeRole(o: CrossAccountAssumeRoleOptions): { ownerCopy: RawRecord; callerCopy: RawRecord } {
  const callerAccountId = String(o.caller.accountId);
  const requestID = uuid(`request:${o.sharedEventID}`);
  const common = {
    session: o.session, sharedEventID: o.sharedEventID, requestID, awsRegion: o.awsRegion, userAgent: o.userAgent,
    serialNumber: o.serialNumber, durationSeconds: o.durationSeconds,
  };
  const callerCopy = assumeRoleEvent({
    ...common, caller: o.caller, eventID: o.callerEventID, recipientAccountId: callerAccountId, sourceIPAddress: o.sourceIPAddress,
  });
  const ownerCopy = assumeRoleEvent({
    ...common,
    caller: awsAccountIdentity({ principalId: String(o.caller.principalId), accountId: callerAccountId }),
    eventID: o.ownerEventID,
    recipientAccountId: accountOfArn(o.session.roleArn),
    sourceIPAddress: o.ownerSourceIPAddress ?? o.sourceIPAddress,
  });
  // The credentials (incl. the session token) are one response, logged identically in both copies.
  ownerCopy.responseElements = callerCopy.responseElements;
  return { ownerCopy, callerCopy };
}

export interface SamlOptions {
  caller: RawIdentity;
  session: RoleSession;
  samlProviderArn: string;
  eventID: string;
  awsRegion?: string;
  sourceIPAddress?: string;
}

/** sts:AssumeRoleWithSAML (Identity Center sign-ins are this, with an AWSReservedSSO_ role). */
export function assumeRoleWithSamlEvent(o: SamlOptions): RawRecord {
  const s = o.session;
  const record = assumeRoleEvent({
    caller: o.caller, session: s, eventID: o.eventID, awsRegion: o.awsRegion, sourceIPAddress: o.sourceIPAddress,
    userAgent: "aws-internal/3 aws-sdk-java/1.12.720", durationSeconds: 43200,
  });
  record.eventName = "AssumeRoleWithSAML";
  record.requestParameters = {
    sAMLAssertionID: `_${uuid(`saml:${o.eventID}`)}`,
    roleSessionName: s.sessionName,
    roleArn: s.roleArn,
    principalArn: o.samlProviderArn,
    durationSeconds: 43200,
    ...(s.sourceIdentity ? { sourceIdentity: s.sourceIdentity } : {}),
  };
  const response = record.responseElements as Record<string, unknown>;
  record.responseElements = {
    ...response,
    subject: String(o.caller.userName),
    subjectType: "persistent",
    issuer: "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MDEyMzQ1Njc4OTAxX2lucy0wMTIz",
    audience: "https://signin.aws.amazon.com/saml",
    nameQualifier: String(o.caller.identityProvider),
  };
  record.resources = [
    ...roleResources(s.roleArn),
    { ARN: o.samlProviderArn, accountId: accountOfArn(o.samlProviderArn), type: "AWS::IAM::SAMLProvider" },
  ];
  return record;
}

export interface WebIdentityOptions {
  caller: RawIdentity;
  session: RoleSession;
  eventID: string;
  subjectFromWebIdentityToken: string;
  provider: string;
  audience: string;
  awsRegion?: string;
  sourceIPAddress?: string;
}

/** sts:AssumeRoleWithWebIdentity (GitHub Actions OIDC, EKS IRSA). */
export function assumeRoleWithWebIdentityEvent(o: WebIdentityOptions): RawRecord {
  const s = o.session;
  const record = assumeRoleEvent({
    caller: o.caller, session: s, eventID: o.eventID, awsRegion: o.awsRegion, sourceIPAddress: o.sourceIPAddress,
    userAgent: "aws-sdk-js/3.637.0 ua/2.0 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.17.0 api/sts#3.637.0 configure-aws-credentials-for-github-actions",
  });
  record.eventName = "AssumeRoleWithWebIdentity";
  const response = record.responseElements as Record<string, unknown>;
  record.responseElements = {
    subjectFromWebIdentityToken: o.subjectFromWebIdentityToken,
    audience: o.audience,
    provider: o.provider,
    ...response,
  };
  record.additionalEventData = { identityProviderConnectionVerificationMethod: "IAMTrustStore" };
  return record;
}

export interface FederationTokenOptions {
  caller: RawIdentity;
  session: FederatedSession;
  eventID: string;
  awsRegion?: string;
  sourceIPAddress?: string;
}

/** sts:GetFederationToken (SRT-FED shape; readOnly false). */
export function getFederationTokenEvent(o: FederationTokenOptions): RawRecord {
  const s = o.session;
  return {
    eventVersion: "1.08",
    userIdentity: o.caller,
    eventTime: s.issuedAt,
    eventSource: "sts.amazonaws.com",
    eventName: "GetFederationToken",
    awsRegion: o.awsRegion ?? "us-east-1",
    sourceIPAddress: o.sourceIPAddress ?? "198.51.100.10",
    userAgent: "aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.26.2",
    requestParameters: {
      name: s.name,
      policy: "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
    },
    responseElements: {
      credentials: stsCredentials(s, s.issuedAt, 43200),
      federatedUser: { arn: federatedUserArnOf(s), federatedUserId: `${s.accountId}:${s.name}` },
      packedPolicySize: 4,
    },
    requestID: uuid(`request:${o.eventID}`),
    eventID: o.eventID,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: s.accountId,
    eventCategory: "Management",
  };
}

export interface SwitchRoleOptions {
  session: RoleSession;
  switchFrom: string;
  eventID: string;
  sourceIPAddress: string;
  awsRegion?: string;
  eventTime?: string;
}

/** The console's SwitchRole sign-in event (DX shape): AssumedRole identity with NO accessKeyId. */
export function switchRoleEvent(o: SwitchRoleOptions): RawRecord {
  const s = o.session;
  return {
    eventVersion: "1.08",
    userIdentity: {
      type: "AssumedRole",
      principalId: `${roleIdOf(s)}:${s.sessionName}`,
      arn: sessionArnOf(s),
      accountId: accountOfArn(s.roleArn),
    },
    eventTime: o.eventTime ?? s.issuedAt,
    eventSource: "signin.amazonaws.com",
    eventName: "SwitchRole",
    awsRegion: o.awsRegion ?? "us-east-1",
    sourceIPAddress: o.sourceIPAddress,
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    requestParameters: null,
    responseElements: { SwitchRole: "Success" },
    additionalEventData: { SwitchFrom: o.switchFrom, RedirectTo: "https://console.aws.amazon.com/console/home" },
    eventID: o.eventID,
    readOnly: false,
    eventType: "AwsConsoleSignIn",
    managementEvent: true,
    recipientAccountId: accountOfArn(s.roleArn),
    eventCategory: "Management",
  };
}

// ---------------------------------------------------------------------------------------------
// IAM trust-policy changes (sweep). Shapes follow the real Stratus Red Team detonation logs: the
// request carries the document as a JSON *string* (pretty-printed by the CLI), CreateRole's response
// repeats it URL-encoded, UpdateAssumeRolePolicy has responseElements null and names the role only.

export interface TrustPolicyChangeOptions {
  /** The IAM caller's userIdentity. */
  actor: RawIdentity;
  /** The account whose log holds the event (the role's account). */
  accountId: string;
  roleName: string;
  /** An object is serialised as the AWS CLI sends it; a string is logged verbatim. Undefined: not logged. */
  policy: unknown;
  eventID: string;
  eventTime: string;
  errorCode?: string;
  sourceIPAddress?: string;
}

function policyText(policy: unknown): unknown {
  return typeof policy === "string" || policy === undefined ? policy : JSON.stringify(policy, null, 2);
}

function iamCall(o: TrustPolicyChangeOptions, eventName: string, requestParameters: Record<string, unknown>, responseElements: unknown): RawRecord {
  const record: RawRecord = {
    eventVersion: "1.09",
    userIdentity: o.actor,
    eventTime: o.eventTime,
    eventSource: "iam.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: o.sourceIPAddress ?? "198.51.100.10",
    userAgent: "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.9",
  };
  if (o.errorCode) {
    record.errorCode = o.errorCode;
    record.errorMessage = `${o.errorCode}: not authorized`;
  }
  Object.assign(record, {
    requestParameters,
    responseElements: o.errorCode ? null : responseElements,
    requestID: uuid(`request:${o.eventID}`),
    eventID: o.eventID,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: o.accountId,
    eventCategory: "Management",
  });
  return record;
}

/** iam:CreateRole; `path` defaults to "/" as IAM's does. */
export function createRoleEvent(o: TrustPolicyChangeOptions & { path?: string; omitResponse?: boolean }): RawRecord {
  const path = o.path ?? "/";
  const document = policyText(o.policy);
  const requestParameters: Record<string, unknown> = { roleName: o.roleName };
  if (o.path) requestParameters.path = o.path;
  if (document !== undefined) requestParameters.assumeRolePolicyDocument = document;
  const role: Record<string, unknown> = {
    arn: `arn:aws:iam::${o.accountId}:role${path}${o.roleName}`,
    createDate: humanExpiration(o.eventTime, 0).replace(/, (\d+:)/, " $1"),
    path,
    roleId: uniqueId("AROA", `${o.accountId}:${o.roleName}`),
    roleName: o.roleName,
  };
  if (typeof document === "string") role.assumeRolePolicyDocument = encodeURIComponent(document);
  return iamCall(o, "CreateRole", requestParameters, o.omitResponse ? null : { role });
}

/** iam:UpdateAssumeRolePolicy: the role by name only, no response. */
export function updateAssumeRolePolicyEvent(o: TrustPolicyChangeOptions): RawRecord {
  const document = policyText(o.policy);
  const requestParameters: Record<string, unknown> = { roleName: o.roleName };
  if (document !== undefined) requestParameters.policyDocument = document;
  return iamCall(o, "UpdateAssumeRolePolicy", requestParameters, null);
}
