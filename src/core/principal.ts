import type { CloudTrailEvent, UserIdentity } from "./cloudtrail-event.js";
import { stringAt, stringField } from "./json-value.js";
import { arnAccountId, parseAssumedRoleArn, parseFederatedUserArn } from "./issuing-events.js";
import type { Principal } from "../schema/trace-report.js";

const EC2_INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/**
 * Who made a call, from its userIdentity. `issuingEvent` is the issuing call (AssumeRole*, GetFederationToken) this
 * principal made, when known: it adds what only the issuing call shows (MFA serial, OIDC subject, the
 * EC2 instance id in the session name).
 */
export function principalFromIdentity(identity: UserIdentity, issuingEvent: CloudTrailEvent | null = null): Principal {
  const role = parseAssumedRoleArn(identity.arn);
  const federated = parseFederatedUserArn(identity.arn);
  const requestedSession = stringField(issuingEvent?.requestParameters, "roleSessionName");
  return {
    type: identity.type,
    arn: identity.arn,
    accountId: identity.accountId ?? arnAccountId(identity.arn),
    principalId: identity.principalId,
    accessKeyId: identity.accessKeyId,
    userName: identity.userName ?? federated?.userName ?? null,
    sessionName: role?.sessionName ?? null,
    roleArn: identity.sessionIssuer?.type === "Role" ? identity.sessionIssuer.arn : null,
    identityProvider: identity.identityProvider ?? identity.webIdFederatedProvider,
    invokedBy: identity.invokedBy,
    mfaAuthenticated: mfaOf(identity, issuingEvent),
    sourceIdentity: identity.sourceIdentity,
    webIdentitySubject: identity.type === "WebIdentityUser"
      ? stringField(issuingEvent?.responseElements, "subjectFromWebIdentityToken") ?? identity.userName
      : null,
    instanceId: identity.type === "AWSService" && requestedSession && EC2_INSTANCE_ID.test(requestedSession)
      ? requestedSession : null,
  };
}

/**
 * MFA as CloudTrail shows it: the session's own mfaAuthenticated attribute, else, for a long-term key
 * calling STS, whether the call passed an MFA serialNumber. Null where MFA does not apply.
 */
function mfaOf(identity: UserIdentity, issuingEvent: CloudTrailEvent | null): boolean | null {
  if (identity.mfaAuthenticated !== null) return identity.mfaAuthenticated;
  if (identity.type !== "IAMUser" && identity.type !== "Root") return null;
  if (!issuingEvent) return null;
  return stringField(issuingEvent.requestParameters, "serialNumber") !== null;
}

/** The session a role-session principal stands for: the issuing call's own view of it. */
export function sessionPrincipal(identity: UserIdentity, issuingEvent: CloudTrailEvent | null): Principal {
  const principal = principalFromIdentity(identity);
  const requestedRoleArn = stringField(issuingEvent?.requestParameters, "roleArn");
  return {
    ...principal,
    roleArn: principal.roleArn ?? requestedRoleArn,
    sourceIdentity: principal.sourceIdentity
      ?? stringField(issuingEvent?.responseElements, "sourceIdentity")
      ?? stringField(issuingEvent?.requestParameters, "sourceIdentity"),
  };
}

/**
 * For a console switch whose caller copy is missing: what SwitchFrom says, and nothing more.
 * With no ARN at all (an issuing call without userIdentity), a principal that is entirely unknown.
 */
export function principalFromArn(arn: string | null): Principal {
  const role = parseAssumedRoleArn(arn);
  const type = !arn ? null : role ? "AssumedRole" : /:user\//.test(arn) ? "IAMUser" : /:root$/.test(arn) ? "Root" : null;
  return {
    type, arn, accountId: arnAccountId(arn), principalId: null, accessKeyId: null,
    userName: arn && !role && type === "IAMUser" ? arn.split("/").pop() ?? null : null,
    sessionName: role?.sessionName ?? null, roleArn: null, identityProvider: null, invokedBy: null,
    mfaAuthenticated: null, sourceIdentity: null, webIdentitySubject: null, instanceId: null,
  };
}

export function switchFromArn(switchRole: CloudTrailEvent): string | null {
  return stringAt(switchRole.additionalEventData, "SwitchFrom");
}
