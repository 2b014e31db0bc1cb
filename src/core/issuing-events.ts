import type { CloudTrailEvent } from "./cloudtrail-event.js";
import { stringAt, stringField } from "./json-value.js";

/** STS calls that mint role sessions. All three are logged readOnly:true (a ReadOnly=false filter hides them). */
export const ASSUME_ROLE_EVENT_NAMES = ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"] as const;
export const FEDERATION_TOKEN_EVENT_NAME = "GetFederationToken";
/** The signin event that accompanies a console role switch; it carries the real client IP and SwitchFrom. */
export const SWITCH_ROLE_EVENT_NAME = "SwitchRole";

export function isAssumeRoleEvent(event: CloudTrailEvent): boolean {
  return (ASSUME_ROLE_EVENT_NAMES as readonly string[]).includes(event.eventName);
}

/** The temporary access key id an issuing event handed out. */
export function issuedAccessKeyId(event: CloudTrailEvent): string | null {
  return stringAt(event.responseElements, "credentials", "accessKeyId");
}

/**
 * The session ARN an issuing event created. AssumeRole* carries it in assumedRoleUser.arn; some
 * service-assumed events carry only credentials, so it is derived from roleArn + roleSessionName
 * (the session ARN drops the role's IAM path). GetFederationToken carries federatedUser.arn.
 */
export function issuedSessionArn(event: CloudTrailEvent): string | null {
  if (event.eventName === FEDERATION_TOKEN_EVENT_NAME) {
    return stringAt(event.responseElements, "federatedUser", "arn");
  }
  const logged = stringAt(event.responseElements, "assumedRoleUser", "arn");
  if (logged) return logged;
  const roleArn = stringField(event.requestParameters, "roleArn");
  const sessionName = stringField(event.requestParameters, "roleSessionName");
  return roleArn && sessionName ? sessionArnFor(roleArn, sessionName) : null;
}

/** arn:aws:iam::1:role/path/Name + session → arn:aws:sts::1:assumed-role/Name/session */
export function sessionArnFor(roleArn: string, sessionName: string): string | null {
  const role = parseRoleArn(roleArn);
  return role ? `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}` : null;
}

const ASSUMED_ROLE_ARN = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/(.+)$/s;
const FEDERATED_USER_ARN = /^arn:([^:]+):sts::(\d+):federated-user\/(.+)$/s;

export interface SessionArnParts { partition: string; accountId: string; roleName: string; sessionName: string }

export function parseAssumedRoleArn(arn: string | null): SessionArnParts | null {
  const match = arn ? ASSUMED_ROLE_ARN.exec(arn) : null;
  if (!match) return null;
  const [, partition = "", accountId = "", roleName = "", sessionName = ""] = match;
  return { partition, accountId, roleName, sessionName };
}

/** An IAM role ARN, arn:PARTITION:iam::ACCOUNT:role[/PATH/]NAME; null for anything else. */
export function parseRoleArn(arn: string | null): { partition: string; accountId: string; roleName: string } | null {
  const match = arn ? ROLE_ARN.exec(arn) : null;
  return match ? { partition: match[1]!, accountId: match[2]!, roleName: match[3]! } : null;
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d+):role\/(?:.*\/)?([^/]+)$/s;

export function parseFederatedUserArn(arn: string | null): { accountId: string; userName: string } | null {
  const match = arn ? FEDERATED_USER_ARN.exec(arn) : null;
  if (!match) return null;
  return { accountId: match[2] ?? "", userName: match[3] ?? "" };
}

/** The account id inside any IAM/STS ARN (the fifth field), or null. */
export function arnAccountId(arn: string | null): string | null {
  if (!arn) return null;
  // Found by index, not split(":"): the sweep asks this of every role assumption it reads.
  let colon = -1;
  for (let field = 0; field < 4; field++) {
    colon = arn.indexOf(":", colon + 1);
    if (colon === -1) return null;
  }
  const next = arn.indexOf(":", colon + 1);
  const field = arn.slice(colon + 1, next === -1 ? arn.length : next);
  return /^\d+$/.test(field) ? field : null;
}
