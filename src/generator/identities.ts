import type { IamRole, IamUser, OutsideAccount } from "./org-model.js";
import { isoSeconds } from "./time-format.js";

/** A JSON object as it will be written; key order is insertion order, as in CloudTrail's records. */
export type JsonObject = { [key: string]: unknown };

/** A long-term access key of an IAM user (AKIA…). */
export interface UserKeyCaller {
  kind: "user-key";
  user: IamUser;
  accessKeyId: string;
}

/** An IAM user's temporary credentials: GetSessionToken or a console sign-in. CloudTrail still says IAMUser. */
export interface UserSessionCaller {
  kind: "user-session";
  user: IamUser;
  accessKeyId: string;
  creationMs: number;
  mfaAuthenticated: boolean;
  /** Console sessions sign every request with a new key. */
  console: boolean;
}

export interface RootCaller {
  kind: "root";
  accountId: string;
  accessKeyId: string;
  creationMs: number;
  mfaAuthenticated: boolean;
  console: boolean;
}

export interface RoleSession {
  kind: "role-session";
  role: IamRole;
  sessionName: string;
  arn: string;
  /** roleId:sessionName, the assumedRoleId. */
  principalId: string;
  /** The key AssumeRole* issued. Console sessions sign with other keys. */
  accessKeyId: string;
  creationMs: number;
  expiresMs: number;
  mfaAuthenticated: boolean;
  sourceIdentity: string | null;
  ec2RoleDelivery: "1.0" | "2.0" | null;
  webIdFederation: { federatedProvider: string } | null;
  console: boolean;
  inScopeOf: { issuerType: string; credentialsIssuedTo: string } | null;
}

export interface FederatedSession {
  kind: "federated";
  user: IamUser;
  name: string;
  arn: string;
  principalId: string;
  accessKeyId: string;
  creationMs: number;
  expiresMs: number;
}

/** Anyone who signs API calls with credentials the org's logs describe. */
export type Caller = UserKeyCaller | UserSessionCaller | RootCaller | RoleSession | FederatedSession;

/** An AWS service assuming a role on a customer's behalf (EC2 instance profile, Lambda). */
export interface ServiceCaller {
  kind: "service";
  service: string;
}

/** A principal in an account whose logs are not in the corpus; only the role owner's copy exists. */
export interface OutsideCaller {
  kind: "outside";
  account: OutsideAccount;
}

export type StsCaller = Caller | ServiceCaller | OutsideCaller;

export interface IdentityOptions {
  /** The key that signed this request, when it differs from the session's (console sessions). */
  signingKey?: string;
  invokedBy?: string;
  /** A stripped export: sessionContext.attributes without creationDate. */
  omitCreationDate?: boolean;
}

export function callerAccountId(caller: StsCaller): string | null {
  switch (caller.kind) {
    case "user-key":
    case "user-session":
      return caller.user.accountId;
    case "root":
      return caller.accountId;
    case "role-session":
      return caller.role.accountId;
    case "federated":
      return caller.user.accountId;
    case "outside":
      return caller.account.id;
    case "service":
      return null;
  }
}

/** What a role owner's AWSAccount copy shows as principalId for this caller. */
export function callerPrincipalId(caller: StsCaller): string | null {
  switch (caller.kind) {
    case "user-key":
    case "user-session":
      return caller.user.principalId;
    case "root":
      return caller.accountId;
    case "role-session":
    case "federated":
      return caller.principalId;
    case "outside":
      return caller.account.callerPrincipalId;
    case "service":
      return null;
  }
}

export function callerArn(caller: Caller): string {
  switch (caller.kind) {
    case "user-key":
    case "user-session":
      return caller.user.arn;
    case "root":
      return `arn:aws:iam::${caller.accountId}:root`;
    case "role-session":
    case "federated":
      return caller.arn;
  }
}

function attributes(creationMs: number, mfa: boolean, omitCreationDate: boolean | undefined): JsonObject {
  return omitCreationDate
    ? { mfaAuthenticated: mfa ? "true" : "false" }
    : { creationDate: isoSeconds(creationMs), mfaAuthenticated: mfa ? "true" : "false" };
}

/** userIdentity of a call signed by `caller`. */
export function identityOf(caller: Caller, options: IdentityOptions = {}): JsonObject {
  let identity: JsonObject;
  switch (caller.kind) {
    case "user-key":
      identity = {
        type: "IAMUser", principalId: caller.user.principalId, arn: caller.user.arn,
        accountId: caller.user.accountId, accessKeyId: options.signingKey ?? caller.accessKeyId, userName: caller.user.name,
      };
      break;
    case "user-session":
      identity = {
        type: "IAMUser", principalId: caller.user.principalId, arn: caller.user.arn,
        accountId: caller.user.accountId, accessKeyId: options.signingKey ?? caller.accessKeyId, userName: caller.user.name,
        sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: attributes(caller.creationMs, caller.mfaAuthenticated, options.omitCreationDate) },
      };
      break;
    case "root":
      identity = {
        type: "Root", principalId: caller.accountId, arn: `arn:aws:iam::${caller.accountId}:root`,
        accountId: caller.accountId, accessKeyId: options.signingKey ?? caller.accessKeyId,
        sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: attributes(caller.creationMs, caller.mfaAuthenticated, options.omitCreationDate) },
      };
      break;
    case "role-session": {
      const sessionContext: JsonObject = {
        sessionIssuer: {
          type: "Role", principalId: caller.role.roleId, arn: caller.role.arn,
          accountId: caller.role.accountId, userName: caller.role.name,
        },
        webIdFederationData: caller.webIdFederation ? { federatedProvider: caller.webIdFederation.federatedProvider, attributes: {} } : {},
        attributes: attributes(caller.creationMs, caller.mfaAuthenticated, options.omitCreationDate),
      };
      if (caller.sourceIdentity) sessionContext["sourceIdentity"] = caller.sourceIdentity;
      if (caller.ec2RoleDelivery) sessionContext["ec2RoleDelivery"] = caller.ec2RoleDelivery;
      identity = {
        type: "AssumedRole", principalId: caller.principalId, arn: caller.arn, accountId: caller.role.accountId,
        accessKeyId: options.signingKey ?? caller.accessKeyId, sessionContext,
      };
      if (caller.inScopeOf) identity["inScopeOf"] = { ...caller.inScopeOf };
      break;
    }
    case "federated":
      identity = {
        type: "FederatedUser", principalId: caller.principalId, arn: caller.arn, accountId: caller.user.accountId,
        accessKeyId: options.signingKey ?? caller.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: "IAMUser", principalId: caller.user.principalId, arn: caller.user.arn, accountId: caller.user.accountId, userName: caller.user.name },
          webIdFederationData: {},
          attributes: attributes(caller.creationMs, false, options.omitCreationDate),
        },
      };
      break;
  }
  if (options.invokedBy) identity["invokedBy"] = options.invokedBy;
  return identity;
}

/** The role owner's copy of a cross-account STS call: no ARN, only who and from which account. */
export function awsAccountIdentity(caller: StsCaller): JsonObject {
  return { type: "AWSAccount", principalId: callerPrincipalId(caller), accountId: callerAccountId(caller) };
}

export function awsServiceIdentity(service: string): JsonObject {
  return { type: "AWSService", invokedBy: service };
}

export function samlUserIdentity(nameQualifier: string, subject: string): JsonObject {
  return { type: "SAMLUser", principalId: `${nameQualifier}:${subject}`, userName: subject, identityProvider: nameQualifier };
}

export function webIdentityUserIdentity(providerArn: string, audience: string, subject: string): JsonObject {
  return { type: "WebIdentityUser", principalId: `${providerArn}:${audience}:${subject}`, userName: subject, identityProvider: providerArn };
}

/** Service events such as KMS RotateKey carry no userIdentity.type at all. */
export function untypedServiceIdentity(accountId: string): JsonObject {
  return { accountId, invokedBy: "AWS Internal" };
}
