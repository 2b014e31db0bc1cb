import type { GenContext } from "./gen-context.js";
import {
  awsAccountIdentity, awsServiceIdentity, callerAccountId, callerArn, identityOf, samlUserIdentity, webIdentityUserIdentity,
  type FederatedSession, type JsonObject, type RoleSession, type StsCaller, type UserKeyCaller, type UserSessionCaller,
} from "./identities.js";
import type { IamRole, OidcProvider, SamlProvider } from "./org-model.js";
import { sessionArnOf } from "./org-model.js";
import { buildRecord, type ResourceRef } from "./record-builders.js";
import { expirationText } from "./time-format.js";

const STS = "sts.amazonaws.com";
const STS_EVENT_VERSION = "1.08";

export type StsEndpoint = "global" | "regional";

interface EndpointFields {
  tlsHost: string | null;
  additionalEventData: JsonObject | undefined;
}

/**
 * Global-endpoint calls are logged in us-east-1 but served near the caller; regional calls are logged
 * where they were served. Both say which in RequestDetails.
 */
function endpointFields(region: string, endpoint: StsEndpoint, servingRegion: string | undefined, viaAws: boolean): EndpointFields {
  if (viaAws) return { tlsHost: null, additionalEventData: undefined };
  return {
    tlsHost: endpoint === "global" ? "sts.amazonaws.com" : `sts.${region}.amazonaws.com`,
    additionalEventData: { RequestDetails: { awsServingRegion: endpoint === "global" ? servingRegion ?? region : region, endpointType: endpoint } },
  };
}

function roleResource(role: IamRole): ResourceRef {
  return { accountId: role.accountId, type: "AWS::IAM::Role", ARN: role.arn };
}

function credentials(ctx: GenContext, accessKeyId: string, expiresMs: number): JsonObject {
  return { accessKeyId, sessionToken: ctx.ids.sessionToken(), expiration: expirationText(expiresMs) };
}

/** What every generated STS call has: when, where it is logged, from where, and (optionally) the key it hands out. */
export interface StsCallCommon {
  time: number;
  /** Where the call is logged: us-east-1 for the global endpoint, else the regional endpoint's region. */
  region: string;
  sourceIPAddress: string;
  userAgent: string;
  /** The temporary key id to issue; a fresh one when absent (scenarios reuse ids on purpose). */
  issuedKey?: string;
}

export interface AssumeRoleRequest extends StsCallCommon {
  caller: StsCaller;
  role: IamRole;
  sessionName: string;
  endpoint: StsEndpoint;
  servingRegion?: string;
  serialNumber?: string;
  sourceIdentity?: string;
  durationSeconds?: number;
  tags?: { key: string; value: string }[];
  /** A console role switch: the sign-in service calls STS, so both copies say "AWS Internal". */
  console?: boolean;
  ec2RoleDelivery?: "1.0" | "2.0";
  inScopeOf?: { issuerType: string; credentialsIssuedTo: string };
}

/** One STS call as the logs hold it: the role owner's copy, and the caller account's copy when it is another org account. */
export interface IssuedCall<S> {
  ownerCopy: JsonObject;
  callerCopy: JsonObject | null;
  session: S;
}

export function assumeRole(ctx: GenContext, req: AssumeRoleRequest): IssuedCall<RoleSession> {
  const { ids } = ctx;
  const isService = req.caller.kind === "service";
  const viaAws = isService || req.console === true;
  const durationSeconds = req.durationSeconds ?? (isService ? 21600 + ctx.rng.int(900) : 3600);
  const expiresMs = req.time + durationSeconds * 1000;
  const issuedKey = req.issuedKey ?? ids.temporaryAccessKeyId();
  const sessionArn = sessionArnOf(req.role, req.sessionName);
  const principalId = `${req.role.roleId}:${req.sessionName}`;
  const carriedSourceIdentity = req.caller.kind === "role-session" ? req.caller.sourceIdentity : null;
  const sourceIdentity = req.sourceIdentity ?? carriedSourceIdentity;
  const callerMfa = (req.caller.kind === "user-session" || req.caller.kind === "root") && req.caller.mfaAuthenticated;

  const requestParameters: JsonObject = { roleArn: req.role.arn, roleSessionName: req.sessionName };
  if (req.durationSeconds !== undefined) requestParameters["durationSeconds"] = req.durationSeconds;
  if (req.serialNumber) requestParameters["serialNumber"] = req.serialNumber;
  if (req.sourceIdentity) requestParameters["sourceIdentity"] = req.sourceIdentity;
  if (req.tags) requestParameters["tags"] = req.tags;

  const responseElements: JsonObject = { credentials: credentials(ctx, issuedKey, expiresMs) };
  // Service-assumed sessions are logged with credentials only (OTRF EC2 sample); the session ARN is derived.
  if (!isService) responseElements["assumedRoleUser"] = { assumedRoleId: principalId, arn: sessionArn };
  if (sourceIdentity) responseElements["sourceIdentity"] = sourceIdentity;
  if (req.tags) responseElements["packedPolicySize"] = 3 + req.tags.length;

  const callerAccount = callerAccountId(req.caller);
  const crossAccount = callerAccount !== null && callerAccount !== req.role.accountId;
  // Service-assumed AssumeRole events carry a sharedEventID even though only one customer account sees them.
  const sharedEventID = crossAccount || isService ? ids.uuid() : undefined;
  const endpoint = endpointFields(req.region, req.endpoint, req.servingRegion, viaAws);
  const sourceIPAddress = req.console ? "AWS Internal" : req.sourceIPAddress;
  const userAgent = req.console ? "AWS Internal" : req.userAgent;
  const common = {
    eventVersion: STS_EVENT_VERSION, time: req.time, eventSource: STS, eventName: "AssumeRole", region: req.region,
    sourceIPAddress, userAgent, requestParameters, responseElements, additionalEventData: endpoint.additionalEventData,
    requestID: ids.uuid(), readOnly: true, resources: [roleResource(req.role)], tlsHost: endpoint.tlsHost,
    sharedEventID,
  };

  let ownerIdentity: JsonObject;
  let callerCopy: JsonObject | null = null;
  if (req.caller.kind === "service") {
    ownerIdentity = awsServiceIdentity(req.caller.service);
  } else if (req.caller.kind === "outside") {
    ownerIdentity = awsAccountIdentity(req.caller);
  } else if (crossAccount) {
    ownerIdentity = awsAccountIdentity(req.caller);
    callerCopy = buildRecord({
      ...common, eventID: ids.uuid(), recipientAccountId: callerAccount!,
      userIdentity: identityOf(req.caller, req.console ? { invokedBy: "AWS Internal" } : {}),
    });
  } else {
    ownerIdentity = identityOf(req.caller, req.console ? { invokedBy: "AWS Internal" } : {});
  }
  const ownerCopy = buildRecord({ ...common, eventID: ids.uuid(), recipientAccountId: req.role.accountId, userIdentity: ownerIdentity });
  const session: RoleSession = {
    kind: "role-session", role: req.role, sessionName: req.sessionName, arn: sessionArn, principalId,
    accessKeyId: issuedKey, creationMs: req.time, expiresMs,
    mfaAuthenticated: req.serialNumber !== undefined || (req.console === true && callerMfa),
    sourceIdentity, ec2RoleDelivery: req.ec2RoleDelivery ?? null, webIdFederation: null,
    console: req.console === true, inScopeOf: req.inScopeOf ?? null,
  };
  return { ownerCopy, callerCopy, session };
}

/**
 * A denied AssumeRole: errorCode set, responseElements null, no credentials issued. Denied
 * cross-account STS requests are logged only in the caller's account (IAM-CT).
 */
export function failedAssumeRole(ctx: GenContext, req: AssumeRoleRequest, errorMessage?: string): JsonObject {
  const caller = req.caller;
  if (caller.kind === "service" || caller.kind === "outside") throw new Error("failed AssumeRole needs an org caller");
  const endpoint = endpointFields(req.region, req.endpoint, req.servingRegion, false);
  const requestParameters: JsonObject = { roleArn: req.role.arn, roleSessionName: req.sessionName };
  if (req.serialNumber) requestParameters["serialNumber"] = req.serialNumber;
  return buildRecord({
    eventVersion: STS_EVENT_VERSION, userIdentity: identityOf(caller), time: req.time, eventSource: STS, eventName: "AssumeRole",
    region: req.region, sourceIPAddress: req.sourceIPAddress, userAgent: req.userAgent,
    errorCode: "AccessDenied",
    errorMessage: errorMessage ?? `User: ${callerArn(caller)} is not authorized to perform: sts:AssumeRole on resource: ${req.role.arn}`,
    requestParameters, responseElements: null, additionalEventData: endpoint.additionalEventData,
    requestID: ctx.ids.uuid(), eventID: ctx.ids.uuid(), readOnly: true, recipientAccountId: callerAccountId(caller)!,
    tlsHost: endpoint.tlsHost,
  });
}

export interface SamlRequest extends StsCallCommon {
  provider: SamlProvider;
  subject: string;
  role: IamRole;
  sessionName: string;
  endpoint: StsEndpoint;
  durationSeconds: number;
  sourceIdentity?: string;
}

export function assumeRoleWithSaml(ctx: GenContext, req: SamlRequest): { record: JsonObject; session: RoleSession } {
  const { ids } = ctx;
  const issuedKey = req.issuedKey ?? ids.temporaryAccessKeyId();
  const expiresMs = req.time + req.durationSeconds * 1000;
  const sessionArn = sessionArnOf(req.role, req.sessionName);
  const principalId = `${req.role.roleId}:${req.sessionName}`;
  const endpoint = endpointFields(req.region, req.endpoint, undefined, false);
  const requestParameters: JsonObject = {
    sAMLAssertionID: `_${ids.uuid()}`, roleSessionName: req.sessionName, roleArn: req.role.arn,
    principalArn: req.provider.arn, durationSeconds: req.durationSeconds,
  };
  if (req.sourceIdentity) requestParameters["sourceIdentity"] = req.sourceIdentity;
  const responseElements: JsonObject = {
    credentials: credentials(ctx, issuedKey, expiresMs),
    assumedRoleUser: { assumedRoleId: principalId, arn: sessionArn },
    subject: req.subject,
    subjectType: req.provider.name.startsWith("AWSSSO_") ? "persistent" : "unspecified",
    issuer: req.provider.issuer,
    audience: "https://signin.aws.amazon.com/saml",
    nameQualifier: req.provider.nameQualifier,
  };
  if (req.sourceIdentity) responseElements["sourceIdentity"] = req.sourceIdentity;
  const record = buildRecord({
    eventVersion: STS_EVENT_VERSION, userIdentity: samlUserIdentity(req.provider.nameQualifier, req.subject), time: req.time,
    eventSource: STS, eventName: "AssumeRoleWithSAML", region: req.region, sourceIPAddress: req.sourceIPAddress,
    userAgent: req.userAgent, requestParameters, responseElements, additionalEventData: endpoint.additionalEventData,
    requestID: ids.uuid(), eventID: ids.uuid(), readOnly: true,
    resources: [roleResource(req.role), { accountId: req.provider.accountId, type: "AWS::IAM::SAMLProvider", ARN: req.provider.arn }],
    recipientAccountId: req.role.accountId, tlsHost: endpoint.tlsHost,
  });
  const session: RoleSession = {
    kind: "role-session", role: req.role, sessionName: req.sessionName, arn: sessionArn, principalId,
    accessKeyId: issuedKey, creationMs: req.time, expiresMs, mfaAuthenticated: false,
    sourceIdentity: req.sourceIdentity ?? null, ec2RoleDelivery: null, webIdFederation: null, console: false, inScopeOf: null,
  };
  return { record, session };
}

export interface WebIdentityRequest extends StsCallCommon {
  provider: OidcProvider;
  /** The token's sub claim, e.g. repo:example-org/infra:ref:refs/heads/main. */
  subject: string;
  audience: string;
  role: IamRole;
  sessionName: string;
}

export function assumeRoleWithWebIdentity(ctx: GenContext, req: WebIdentityRequest): { record: JsonObject; session: RoleSession } {
  const { ids } = ctx;
  const issuedKey = req.issuedKey ?? ids.temporaryAccessKeyId();
  const expiresMs = req.time + 3600 * 1000;
  const sessionArn = sessionArnOf(req.role, req.sessionName);
  const principalId = `${req.role.roleId}:${req.sessionName}`;
  const endpoint = endpointFields(req.region, "regional", undefined, false);
  const record = buildRecord({
    eventVersion: STS_EVENT_VERSION, userIdentity: webIdentityUserIdentity(req.provider.arn, req.audience, req.subject), time: req.time,
    eventSource: STS, eventName: "AssumeRoleWithWebIdentity", region: req.region, sourceIPAddress: req.sourceIPAddress,
    userAgent: req.userAgent,
    requestParameters: { roleArn: req.role.arn, roleSessionName: req.sessionName, durationSeconds: 3600 },
    responseElements: {
      credentials: credentials(ctx, issuedKey, expiresMs),
      subjectFromWebIdentityToken: req.subject,
      assumedRoleUser: { assumedRoleId: principalId, arn: sessionArn },
      provider: req.provider.arn,
      audience: req.audience,
    },
    additionalEventData: { identityProviderConnectionVerificationMethod: "IAMTrustStore", ...endpoint.additionalEventData },
    requestID: ids.uuid(), eventID: ids.uuid(), readOnly: true, resources: [roleResource(req.role)],
    recipientAccountId: req.role.accountId, tlsHost: endpoint.tlsHost,
  });
  const session: RoleSession = {
    kind: "role-session", role: req.role, sessionName: req.sessionName, arn: sessionArn, principalId,
    accessKeyId: issuedKey, creationMs: req.time, expiresMs, mfaAuthenticated: false, sourceIdentity: null,
    ec2RoleDelivery: null, webIdFederation: { federatedProvider: req.provider.arn }, console: false, inScopeOf: null,
  };
  return { record, session };
}

export interface FederationTokenRequest extends StsCallCommon {
  caller: UserKeyCaller;
  name: string;
  endpoint: StsEndpoint;
  durationSeconds: number;
  policy: string;
}

/** GetFederationToken is readOnly:false; its federatedUser.arn is the session later calls show. */
export function getFederationToken(ctx: GenContext, req: FederationTokenRequest): { record: JsonObject; session: FederatedSession } {
  const { ids } = ctx;
  const accountId = req.caller.user.accountId;
  const issuedKey = req.issuedKey ?? ids.temporaryAccessKeyId();
  const expiresMs = req.time + req.durationSeconds * 1000;
  const arn = `arn:aws:sts::${accountId}:federated-user/${req.name}`;
  const principalId = `${accountId}:${req.name}`;
  const endpoint = endpointFields(req.region, req.endpoint, undefined, false);
  const record = buildRecord({
    eventVersion: STS_EVENT_VERSION, userIdentity: identityOf(req.caller), time: req.time, eventSource: STS,
    eventName: "GetFederationToken", region: req.region, sourceIPAddress: req.sourceIPAddress, userAgent: req.userAgent,
    requestParameters: { name: req.name, durationSeconds: req.durationSeconds, policy: req.policy },
    responseElements: {
      credentials: credentials(ctx, issuedKey, expiresMs),
      federatedUser: { federatedUserId: principalId, arn },
      packedPolicySize: 6,
    },
    additionalEventData: endpoint.additionalEventData,
    requestID: ids.uuid(), eventID: ids.uuid(), readOnly: false, recipientAccountId: accountId, tlsHost: endpoint.tlsHost,
  });
  return {
    record,
    session: { kind: "federated", user: req.caller.user, name: req.name, arn, principalId, accessKeyId: issuedKey, creationMs: req.time, expiresMs },
  };
}

export interface SessionTokenRequest extends StsCallCommon {
  caller: UserKeyCaller;
  endpoint: StsEndpoint;
  durationSeconds: number;
  serialNumber?: string;
}

/** Later calls with these credentials still show type IAMUser, with an ASIA key and sessionContext. */
export function getSessionToken(ctx: GenContext, req: SessionTokenRequest): { record: JsonObject; session: UserSessionCaller } {
  const { ids } = ctx;
  const accountId = req.caller.user.accountId;
  const issuedKey = req.issuedKey ?? ids.temporaryAccessKeyId();
  const endpoint = endpointFields(req.region, req.endpoint, undefined, false);
  const requestParameters: JsonObject = { durationSeconds: req.durationSeconds };
  if (req.serialNumber) requestParameters["serialNumber"] = req.serialNumber;
  const record = buildRecord({
    eventVersion: STS_EVENT_VERSION, userIdentity: identityOf(req.caller), time: req.time, eventSource: STS,
    eventName: "GetSessionToken", region: req.region, sourceIPAddress: req.sourceIPAddress, userAgent: req.userAgent,
    requestParameters, responseElements: { credentials: credentials(ctx, issuedKey, req.time + req.durationSeconds * 1000) },
    additionalEventData: endpoint.additionalEventData,
    requestID: ids.uuid(), eventID: ids.uuid(), readOnly: false, recipientAccountId: accountId, tlsHost: endpoint.tlsHost,
  });
  return {
    record,
    session: { kind: "user-session", user: req.caller.user, accessKeyId: issuedKey, creationMs: req.time, mfaAuthenticated: req.serialNumber !== undefined, console: false },
  };
}
