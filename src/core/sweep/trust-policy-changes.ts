import type { CloudTrailEvent } from "../cloudtrail-event.js";
import { arnAccountId } from "../issuing-events.js";
import { objectField, ownField } from "../json-value.js";
import type { Severity } from "../../schema/finding.js";
import type { SweepConfig } from "../../schema/sweep-config.js";
import { admitsAccountToRole, isTrustedAccount, type RoleRef } from "./config-admission.js";
import type { DetectedFinding } from "./detected-finding.js";
import { newFinding, type FindingFacts } from "./new-finding.js";
import { quoted } from "./bounded-text.js";
import { oidcIssuer } from "./oidc-issuer.js";
import { changedRole, knownRoleArns, type KnownRoleArns } from "./role-arns.js";
import { boundsCallerIdentity, constrainsWebIdentitySubject } from "./trust-conditions.js";
import { parseTrustPolicy, type AdmittedPrincipal } from "./trust-policy.js";

/**
 * Successful CreateRole / UpdateAssumeRolePolicy on a trusted account's role whose trust policy opens it:
 * - trust-policy-external-principal: an AWS principal of an account that is neither trusted nor allowed
 *   for this role, or everyone. Critical when everyone is admitted with no condition bounding the
 *   caller's account or organization (sts:ExternalId does not count: it is a shared string); high
 *   otherwise, and high when the document cannot be read (a backdoor must not hide behind malformed
 *   JSON); medium when the record carries no document at all (nothing seen, nothing checked).
 * - trust-policy-unconstrained-web-identity (high): an OIDC provider admitted with no condition pinning
 *   its subject (for GitHub Actions: any repository on GitHub could assume the role).
 * Service principals, SAML providers and Deny statements are not judged. `known`: the role paths the
 * window's calls showed (UpdateAssumeRolePolicy names a role without its path).
 */
export function detectTrustPolicyChanges(
  events: readonly CloudTrailEvent[], config: SweepConfig, known: KnownRoleArns = knownRoleArns(events),
): DetectedFinding[] {
  const seen = new Set<string>();
  const out: DetectedFinding[] = [];
  for (const event of events) {
    if (event.eventName !== "CreateRole" && event.eventName !== "UpdateAssumeRolePolicy") continue;
    if (event.errorCode !== null || seen.has(event.eventID)) continue;
    seen.add(event.eventID);
    const { accountId, role } = changedRole(event, known);
    if (accountId === null || !isTrustedAccount(config, accountId)) continue;
    out.push(...judgeTrustPolicy(event, accountId, role, config));
  }
  return out;
}

function judgeTrustPolicy(event: CloudTrailEvent, roleAccountId: string, role: RoleRef | null, config: SweepConfig): DetectedFinding[] {
  const facts = actorFacts(event, roleAccountId, role);
  const where = `${event.eventName} on ${quoted(role?.arn ?? null)}`;
  const external = (severity: Severity, reason: string, principals: AdmittedPrincipal[] = []): DetectedFinding => ({
    finding: newFinding("trust-policy-external-principal", severity, event, { ...facts, reason, principals }),
    traceFromEventId: event.eventID,
  });

  const document = policyDocument(event);
  if (document === undefined || document === null) {
    return [external("medium", `${where} carries no trust policy document in the log, so who it admits could not be checked.`)];
  }
  const parsed = parseTrustPolicy(document);
  if (!parsed.ok) {
    return [external("high", `${where} set a trust policy that could not be read (${quoted(parsed.reason)}); it is reported because it may admit anyone.`)];
  }

  const out: DetectedFinding[] = [];
  const outsiders = parsed.principals.filter((p) => isOutsider(p, roleAccountId, role, config));
  if (outsiders.length > 0) {
    const unbounded = outsiders.some((p) => admitsEveryone(p) && !boundsCallerIdentity(p.conditions));
    const rule = unbounded
      ? "it admits everyone with no condition bounding the caller's account or organization."
      : "none of them is a trusted account or admitted to this role by an allow entry.";
    out.push(external(unbounded ? "critical" : "high", `${where} admits ${describeAll(outsiders)}; ${rule}`, outsiders));
  }

  const openWebIdentities = parsed.principals.filter((p) => {
    const issuer = p.kind === "Federated" ? oidcIssuer(p.value) : null;
    return issuer !== null && !constrainsWebIdentitySubject(issuer, p.conditions);
  });
  if (openWebIdentities.length > 0) {
    const issuer = oidcIssuer(openWebIdentities[0]!.value);
    out.push({
      finding: newFinding("trust-policy-unconstrained-web-identity", "high", event, {
        ...facts,
        reason: `${where} admits web identities from ${quoted(issuer)} with no condition pinning ${quoted(`${issuer}:sub`)}; any subject of that provider (for GitHub Actions, any repository) can assume the role.`,
        principals: openWebIdentities,
        webIdentity: { provider: openWebIdentities[0]!.value, subject: null },
      }),
      traceFromEventId: event.eventID,
    });
  }
  return out;
}

/** CreateRole logs the document in the request, and URL-encoded in the response; UpdateAssumeRolePolicy in the request. */
function policyDocument(event: CloudTrailEvent): unknown {
  if (event.eventName === "UpdateAssumeRolePolicy") return ownField(event.requestParameters, "policyDocument");
  return ownField(event.requestParameters, "assumeRolePolicyDocument")
    ?? ownField(objectField(event.responseElements, "role"), "assumeRolePolicyDocument");
}

function admitsEveryone(p: AdmittedPrincipal): boolean {
  return p.kind === "*" || (p.kind === "AWS" && p.value === "*");
}

/** Everyone, an AWS principal of an account the config does not admit to this role, or one whose account cannot be told. */
function isOutsider(p: AdmittedPrincipal, roleAccountId: string, role: RoleRef | null, config: SweepConfig): boolean {
  if (admitsEveryone(p)) return true;
  if (p.kind !== "AWS") return false;
  return p.accountId === null || !admitsAccountToRole(config, p.accountId, roleAccountId, role);
}

const LISTED_PRINCIPALS = 3;

function describeAll(principals: readonly AdmittedPrincipal[]): string {
  const listed = principals.slice(0, LISTED_PRINCIPALS).map(describe).join(", ");
  const more = principals.length - LISTED_PRINCIPALS;
  return more > 0 ? `${listed} and ${more} more` : listed;
}

function describe(p: AdmittedPrincipal): string {
  if (p.element === "NotPrincipal") return "everyone (Allow with NotPrincipal)";
  if (admitsEveryone(p)) return "everyone (\"*\")";
  if (p.accountId === null) return `${quoted(p.value)} (account unknown)`;
  return p.value === p.accountId ? `account ${p.accountId}` : `account ${p.accountId} (${quoted(p.value)})`;
}

/** Who changed the policy: the IAM call's own caller, whose chain the sweep traces from this event. */
function actorFacts(event: CloudTrailEvent, roleAccountId: string, role: RoleRef | null): Omit<FindingFacts, "reason"> {
  const identity = event.userIdentity;
  return {
    roleArn: role?.arn ?? null,
    roleAccountId,
    callerAccountId: identity?.accountId ?? arnAccountId(identity?.arn ?? null),
    callerArn: identity?.arn ?? null,
    callerType: identity?.type ?? null,
    sourceIPAddress: event.sourceIPAddress,
    userAgent: event.userAgent,
  };
}
